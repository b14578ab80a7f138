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
  chunk: "chunk",
  refund: "refund",
  hold: "hold",
  quote: "quote",
  /** The sandbox bank rail's record of a payout it received, under the payment's id. */
  railRecord: "rail#sandbox",
  /** An inbound credit's rail reference, claimed once (`inbound#<owner>#<reference>`). */
  inboundCredit: "inbound",
} as const;

export type ListedKind = "account" | "topup" | "payment" | "batch" | "refund" | "hold";

export function itemKey(id: string, sk: string): { pk: string; sk: string } {
  return { pk: id, sk };
}

/**
 * gsi1 partitions per merchant and kind. Payments are spread over 8 by a hash of their id: a payroll
 * writes thousands of payments a second for one merchant, more than one index partition takes
 * (1,000 writes/s), and a throttled index throttles the table writes that feed it. Accounts,
 * top-ups and batches are created at API rates and keep one partition. Lists query every partition
 * of a kind and merge (listOwned in reads.ts).
 */
export const LIST_PARTITIONS: Readonly<Record<ListedKind, number>> = {
  account: 1,
  topup: 1,
  payment: 8,
  batch: 1,
  refund: 1,
  hold: 1,
};

/** gsi1 partition keys of a merchant's resources of `kind`. */
export function listPartitions(merchantId: string, kind: ListedKind): string[] {
  const count = LIST_PARTITIONS[kind];
  if (count === 1) return [`${merchantId}#${kind}`];
  return Array.from({ length: count }, (_, shard) => `${merchantId}#${kind}#${shard}`);
}

/** gsi1 keys of one resource; the sort key is the time-ordered id. */
export function listKeys(
  merchantId: string,
  kind: ListedKind,
  id: string,
): { gsi1pk: string; gsi1sk: string } {
  const partitions = listPartitions(merchantId, kind);
  return { gsi1pk: partitions[fnv1a(id) % partitions.length] as string, gsi1sk: id };
}

/**
 * Filtered lists. Each filter a list accepts has its own sparse, keys-only index whose sort key is
 * the resource id (`gsi1sk`, time-ordered), so a filter is one key condition and `created[…]`,
 * `starting_after` and `ending_before` are sort-key ranges inside it: no page reads an item it does
 * not answer with. One item can sit in one partition per index, hence one index per filter:
 *   gsi3  status       `mer_…#payment#status#failed#0..7`, `mer_…#batch#status#scheduled`
 *   gsi4  source       `mer_…#payment#source#acct_…#0..7`, `mer_…#batch#source#acct_…`
 *   gsi5  destination  `mer_…#payment#destination#acct_…`
 *   gsi6  batch        `mer_…#payment#batch#bat_…#0..7`
 * The merchant id leads every key, so another merchant's account id finds nothing. Payments'
 * status, source and batch partitions are write-sharded like gsi1 (a payroll writes thousands of
 * payments a second from one source, in one batch, with one status). Destination is not: every
 * payment to an account also updates that account's item, so its index partition never takes more
 * writes than the account's own partition already does.
 */
export const LIST_FILTERS = {
  payment: ["status", "source", "destination", "batch"],
  batch: ["status", "source"],
} as const;

export type FilteredKind = keyof typeof LIST_FILTERS;
export type ListFilterName = (typeof LIST_FILTERS)[FilteredKind][number];

export const FILTER_INDEX: Readonly<Record<ListFilterName, { index: string; pk: string }>> = {
  status: { index: "gsi3", pk: "gsi3pk" },
  source: { index: "gsi4", pk: "gsi4pk" },
  destination: { index: "gsi5", pk: "gsi5pk" },
  batch: { index: "gsi6", pk: "gsi6pk" },
};

function filterShards(kind: FilteredKind, filter: ListFilterName): number {
  return kind === "payment" && filter !== "destination" ? LIST_PARTITIONS.payment : 1;
}

/** The partitions of `filter`'s index that hold a merchant's `kind` with that value. */
export function filterPartitions(
  merchantId: string,
  kind: FilteredKind,
  filter: ListFilterName,
  value: string,
): string[] {
  const base = `${merchantId}#${kind}#${filter}#${value}`;
  const count = filterShards(kind, filter);
  if (count === 1) return [base];
  return Array.from({ length: count }, (_, shard) => `${base}#${shard}`);
}

/**
 * The filter-index partition keys of one resource (`{gsi3pk: …, gsi4pk: …}`); a filter whose value
 * is null (a payment outside any batch) is left out, which keeps the index sparse.
 */
export function filterKeys(
  merchantId: string,
  kind: FilteredKind,
  id: string,
  values: Partial<Record<ListFilterName, string | null>>,
): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const filter of LIST_FILTERS[kind] as readonly ListFilterName[]) {
    const value = values[filter];
    if (value === undefined || value === null) continue;
    const partitions = filterPartitions(merchantId, kind, filter, value);
    keys[FILTER_INDEX[filter].pk] = partitions[fnv1a(id) % partitions.length] as string;
  }
  return keys;
}

/** 32-bit FNV-1a: a stable, evenly spread hash of an id (no crypto needed, ids are already random). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function apiKeyKey(secretHash: string): { pk: string; sk: string } {
  return { pk: `apikey#${secretHash}`, sk: SK.apiKey };
}

/**
 * gsi1 keys of an API key record: a merchant's keys in one mode sorted by key id (`GET /v1/api_keys`
 * is one Query on this small partition). `owner` is the ledger owner (mer_… or mer_….live).
 */
export function apiKeyListKeys(owner: string, keyId: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `${owner}#apikey`, gsi1sk: keyId };
}

export function idempotencyKey(merchantId: string, key: string): { pk: string; sk: string } {
  return { pk: `idem#${merchantId}#${key}`, sk: SK.idempotency };
}

/**
 * A payment's copy of one of its refunds (pk=pay_…, sk=refund#re_…), written in the refund's own
 * transaction: `GET /v1/refunds?payment=` is one Query on the payment's partition, newest first.
 */
export function paymentRefundKey(paymentId: string, refundId: string): { pk: string; sk: string } {
  return { pk: paymentId, sk: `${PAYMENT_REFUND_PREFIX}${refundId}` };
}

export const PAYMENT_REFUND_PREFIX = "refund#";

/** gsi2 partitions: each is a queue of things a sweeper must look at again. */
export const WORK = {
  /**
   * Bank payments reserved but not yet settled or reversed; written twice by every bank payout, so
   * it is sharded like gsi1 (processingPaymentsPartition). Unsharded entries written before the
   * shards existed are still read (processingPaymentsPartitions).
   */
  processingPayments: "work#payment-processing",
  /** Batches waiting for their scheduled time (sort key: scheduled_at). */
  scheduledBatches: "work#batch-scheduled",
  /** Batches released and not yet completed. */
  activeBatches: "work#batch-active",
  /** Sandbox rail: payouts its receiving bank will return, by when (acknowledged ones leave). */
  railReturns: "work#rail-returns",
  /** Holds still held, by expiry (sort key: expires_at); capture, void and expiry take them out. */
  heldHolds: "work#hold-expiry",
} as const;

/**
 * Work-index partitions of processing bank payments: one partition takes about 1,000 writes/s and
 * every payout writes its entry twice (reserve, then settle or reverse), so one partition capped the
 * service at about 500 bank payouts/s. 16 shards by a hash of the payment id: about 8,000/s.
 */
export const PROCESSING_PAYMENT_SHARDS = 16;

export function processingPaymentsPartition(paymentId: string): string {
  return `${WORK.processingPayments}#${String(fnv1a(paymentId) % PROCESSING_PAYMENT_SHARDS).padStart(2, "0")}`;
}

/** Every partition a recovery sweep reads: the shards, and the unsharded one of older entries. */
export function processingPaymentsPartitions(): string[] {
  return [
    WORK.processingPayments,
    ...Array.from(
      { length: PROCESSING_PAYMENT_SHARDS },
      (_, shard) => `${WORK.processingPayments}#${String(shard).padStart(2, "0")}`,
    ),
  ];
}

/**
 * A batch's chunk items, each under a partition key of its own (`bat_…#00042`, sk=chunk): a batch
 * paid at payroll speed updates 134 chunks a second (8 write units each) and its POST writes 400
 * at once, more than one partition takes (1,000 WCU/s) had they shared the batch id. Readers
 * compute the keys from the header's chunk count (one BatchGetItem per 100 chunks).
 */
export function batchChunkKey(batchId: string, index: number): { pk: string; sk: string } {
  return { pk: `${batchId}#${String(index).padStart(5, "0")}`, sk: SK.chunk };
}

/**
 * A batch's counter items, one per chunk (`count#00042`), under the batch id: one Query reads all
 * of them. Per chunk, not shared: chunks paid in parallel never write the same counter.
 */
export function batchCounterKey(batchId: string, chunkIndex: number): { pk: string; sk: string } {
  return { pk: batchId, sk: `${BATCH_COUNTER_PREFIX}${String(chunkIndex).padStart(5, "0")}` };
}

export const BATCH_COUNTER_PREFIX = "count#";

/** gsi2 sort key of work items: zero-padded epoch seconds, then the id, so a range reads "due by". */
export function workSortKey(epochSeconds: number, id: string): string {
  return `${String(epochSeconds).padStart(11, "0")}#${id}`;
}

/**
 * A merchant's events live in the base table under 16 partition keys (`mer_…#evt#07`, by a hash of
 * the event id), sorted by the time-ordered event id: a merchant paying thousands a second writes
 * each partition at a sixteenth of that (one partition takes 1,000 writes/s), every event is an
 * item of its own (never updated, so never a hot item in a transaction), and a list page is 16
 * strongly consistent Queries merged, with no index lag between a commit and its visibility.
 */
export const EVENT_PARTITIONS = 16;

/**
 * The events about one object (`GET /v1/events?object=pay_…`): a partition of the sparse gsi6 index,
 * sorted by event id (`gsi1sk`). Events never sit in gsi6 for anything else (its payment partitions
 * are keyed `…#payment#batch#…`), so one index serves both. An object has a handful of events, so
 * its partition is never hot.
 */
export function eventObjectPartition(merchantId: string, objectId: string): string {
  return `${merchantId}#event#object#${objectId}`;
}

export function eventPartitions(merchantId: string): string[] {
  return Array.from(
    { length: EVENT_PARTITIONS },
    (_, shard) => `${merchantId}#evt#${String(shard).padStart(2, "0")}`,
  );
}

/** The key of event `id` of `merchantId`: a merchant can only ever address its own events. */
export function eventKey(merchantId: string, id: string): { pk: string; sk: string } {
  return { pk: eventPartitions(merchantId)[fnv1a(id) % EVENT_PARTITIONS] as string, sk: id };
}

/** A merchant's webhook endpoints: one small partition (a few items, read once per fan-out). */
export function webhookEndpointKey(merchantId: string, endpointId: string): { pk: string; sk: string } {
  return { pk: webhookEndpointsPartition(merchantId), sk: endpointId };
}

export function webhookEndpointsPartition(merchantId: string): string {
  return `${merchantId}#webhooks`;
}

/**
 * An endpoint's delivery log under 8 partition keys (`we_…#dlv#3`, by a hash of the attempt id),
 * sorted by the time-ordered attempt id: an endpoint receiving a payroll's events logs thousands
 * of attempts a second, more than one partition takes.
 */
export const DELIVERY_PARTITIONS = 8;

export function deliveryPartitions(endpointId: string): string[] {
  return Array.from({ length: DELIVERY_PARTITIONS }, (_, shard) => `${endpointId}#dlv#${shard}`);
}

export function deliveryKey(endpointId: string, attemptId: string): { pk: string; sk: string } {
  return {
    pk: deliveryPartitions(endpointId)[fnv1a(attemptId) % DELIVERY_PARTITIONS] as string,
    sk: attemptId,
  };
}
