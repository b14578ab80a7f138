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
