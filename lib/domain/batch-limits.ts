// Owns the limits of a batch request that the API and the CLI both check (the CLI before anything
// is sent). Pure constants with no imports, so the CLI package can bundle them without zod.
export const MAX_BATCH_ITEMS = 10_000;
/** A batch item's own id: the caller's reference, unique within the batch. */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
