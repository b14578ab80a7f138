// Owns the single-table key layout. Every aggregate lives under its own id as partition key, so
// no two accounts, payments or batches ever share a partition (no hot key across aggregates).
// gsi1 lists a merchant's resources newest-first; gsi2 is a sparse work index for sweepers.

export const SK = {
  merchant: "merchant",
  apiKey: "apikey",
  account: "account",
  topup: "topup",
  payment: "payment",
  batch: "batch",
  idempotency: "idem",
} as const;

export type ListedKind = "account" | "topup" | "payment" | "batch";

export function itemKey(id: string, sk: string): { pk: string; sk: string } {
  return { pk: id, sk };
}

/** gsi1: one partition per merchant and resource kind; the sort key is the time-ordered id. */
export function listKeys(
  merchantId: string,
  kind: ListedKind,
  id: string,
): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `${merchantId}#${kind}`, gsi1sk: id };
}

export function apiKeyKey(secretHash: string): { pk: string; sk: string } {
  return { pk: `apikey#${secretHash}`, sk: SK.apiKey };
}

export function idempotencyKey(merchantId: string, key: string): { pk: string; sk: string } {
  return { pk: `idem#${merchantId}#${key}`, sk: SK.idempotency };
}

/** gsi2 partitions: each is a queue of things a sweeper must look at again. */
export const WORK = {
  /** Bank payments reserved but not yet settled or reversed. */
  processingPayments: "work#payment-processing",
  /** Batches waiting for their scheduled time (sort key: scheduled_at). */
  scheduledBatches: "work#batch-scheduled",
  /** Batches released and not yet completed. */
  activeBatches: "work#batch-active",
} as const;

/** A batch's chunk items live under the batch id: `chunk#00042` sorts chunks in item order. */
export function batchChunkKey(batchId: string, index: number): { pk: string; sk: string } {
  return { pk: batchId, sk: `${BATCH_CHUNK_PREFIX}${String(index).padStart(5, "0")}` };
}

/** A batch's counter shards: `count#07`; one Query on the batch id reads all of them. */
export function batchCounterKey(batchId: string, shard: number): { pk: string; sk: string } {
  return { pk: batchId, sk: `${BATCH_COUNTER_PREFIX}${String(shard).padStart(2, "0")}` };
}

export const BATCH_CHUNK_PREFIX = "chunk#";
export const BATCH_COUNTER_PREFIX = "count#";

/** gsi2 sort key of work items: zero-padded epoch seconds, then the id, so a range reads "due by". */
export function workSortKey(epochSeconds: number, id: string): string {
  return `${String(epochSeconds).padStart(11, "0")}#${id}`;
}
