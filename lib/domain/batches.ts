// Owns the batch aggregate and its rules: how a request becomes a batch cut into chunks, when it is
// due, what each item's fate is given its destination, how chunk tallies add up to the batch's
// counts, and when a batch is complete and how much of its reservation returns to the source.
// Pure: the ledger supplies the stored state, this module supplies the decisions.
import { BatchNotCancelableError } from "../errors.js";
import { type Currency, MAX_BALANCE, sumAmounts } from "../money/index.js";
import type {
  BatchFailureCode,
  BatchItemResource,
  BatchItemStatus,
  BatchResource,
  BatchStatus,
  CreateBatchRequest,
} from "../schemas/batches.js";
import type { PaymentFailureCode } from "../schemas/payments.js";
import type { Account } from "./accounts.js";
import type { BatchApproval, KeyRef } from "./approvals.js";
import { type BatchFx, fxTotals, itemCost } from "./batch-fx.js";
import { derivedId, newId } from "./ids.js";
import { isLiveOwner } from "./modes.js";
import {
  type Channel,
  channelFor,
  failed,
  type Payment,
  type PaymentOrder,
  paymentFrom,
} from "./payments.js";
import { evaluateRisk } from "./risk/evaluate.js";
import type { RiskRule } from "./risk/rules.js";

/**
 * Items per chunk. A chunk is one SQS message and one TransactWriteItems: 1 chunk update + up to 25
 * payment puts + up to 25 destination credits + 1 counter item = at most 52 of the 100 actions a
 * transaction allows, and a chunk item (25 items with 500-character descriptions plus results)
 * stays far below DynamoDB's 400 KB item limit.
 */
export const CHUNK_SIZE = 25;

export interface Batch {
  id: string;
  merchantId: string;
  status: BatchStatus;
  source: string;
  currency: Currency;
  /** Unix seconds the merchant asked for, or null for "now". */
  scheduledAt: number | null;
  description: string | null;
  metadata: Record<string, string>;
  itemCount: number;
  amountTotal: number;
  chunkCount: number;
  failureCode: BatchFailureCode | null;
  /** Final tally, stored when the batch reaches a terminal state. */
  final: BatchTally | null;
  /** Succeeded items whose payout the bank returned later, and their amount (counted apart). */
  returned: { count: number; amount: number };
  createdAt: number;
  completedAt: number | null;
  /** Milliseconds when the total was reserved; the time part of every item's payment id. */
  releasedAtMs: number | null;
  /** Cross-currency batches only: the items' other currencies and, from release, the locked rates. */
  fx?: BatchFx | null;
  /** The key that created it; absent on batches created before keys had ids. */
  createdBy?: KeyRef | null;
  /** Present when the approval policy required approval (lib/domain/approvals.ts). */
  approval?: BatchApproval | null;
}

export interface ChunkItem {
  /** The merchant's reference for the item. */
  id: string;
  destination: string;
  amount: number;
  description: string | null;
  /** The item's own currency when it differs from the batch's (its amount is in it); else absent. */
  currency?: Currency | null;
}

export interface ItemResult {
  /** `returned`: it succeeded, then the bank returned the payout (lib/ledger/returns.ts). */
  status: "succeeded" | "failed" | "returned";
  failureCode: PaymentFailureCode | null;
  /** Null when no payment was executed for the item (it died in the dead-letter queue). */
  paymentId: string | null;
}

export interface BatchChunk {
  batchId: string;
  index: number;
  merchantId: string;
  items: ChunkItem[];
  /** Present once the chunk was processed; `results[i]` belongs to `items[i]`. */
  results: ItemResult[] | null;
  /** Unix seconds. */
  processedAt: number | null;
}

/** What processed chunks add up to; each chunk's counter item holds its own. */
export interface BatchTally {
  processed: number;
  succeeded: number;
  failed: number;
  amountSucceeded: number;
  amountFailed: number;
  /** Cross-currency batches: item amounts by the items' own currency (`amounts_by_currency`). */
  byCurrency?: Record<string, { succeeded: number; failed: number }>;
}

export const EMPTY_TALLY: BatchTally = {
  processed: 0,
  succeeded: 0,
  failed: 0,
  amountSucceeded: 0,
  amountFailed: 0,
};

export interface PlannedBatch {
  batch: Batch;
  chunks: BatchChunk[];
}

/** Turns a validated request into a batch and its chunks. Due now → `queued`, later → `scheduled`. */
export function planBatch(
  merchantId: string,
  request: CreateBatchRequest,
  nowMs: number,
  createdBy: KeyRef | null = null,
): PlannedBatch {
  const id = newId("batch", nowMs);
  const scheduledAtMs = request.scheduled_at === undefined ? null : request.scheduled_at * 1000;
  const items: ChunkItem[] = request.items.map((item) => ({
    id: item.id,
    destination: item.destination,
    amount: item.amount,
    description: item.description ?? null,
    currency: item.currency && item.currency !== request.currency ? item.currency : null,
  }));
  const converted = items.some((item) => item.currency);
  const totals = fxTotals(request.currency, request.items);
  const chunks = chunkItems(items).map((chunkItems, index) => ({
    batchId: id,
    index,
    merchantId,
    items: chunkItems,
    results: null,
    processedAt: null,
  }));
  const batch: Batch = {
    id,
    merchantId,
    status: scheduledAtMs !== null && scheduledAtMs > nowMs ? "scheduled" : "queued",
    source: request.source,
    currency: request.currency,
    scheduledAt: scheduledAtMs === null ? null : Math.floor(scheduledAtMs / 1000),
    description: request.description ?? null,
    metadata: request.metadata ?? {},
    itemCount: items.length,
    // A cross-currency batch's total is known at release (locked rates); until then the items in
    // the batch currency (the creation adds an estimate of the rest, lib/batches/create.ts).
    amountTotal: sumAmounts(items.filter((item) => !item.currency).map((item) => item.amount)),
    chunkCount: chunks.length,
    failureCode: null,
    final: null,
    returned: { count: 0, amount: 0 },
    createdAt: Math.floor(nowMs / 1000),
    completedAt: null,
    releasedAtMs: null,
    fx: converted ? { totals, rates: null, feeBasisPoints: null } : null,
    createdBy,
    approval: null,
  };
  return { batch, chunks };
}

/**
 * A batch paid now must be covered by its source's balance when it is accepted: refused up front
 * rather than accepted and failed as a whole moments later. A scheduled batch is checked at release
 * (the balance may change until then), and so is this one again: the reservation is the real check.
 */
export function isUnfundedNow(batch: Pick<Batch, "status" | "amountTotal">, sourceBalance: number): boolean {
  return batch.status === "queued" && sourceBalance < batch.amountTotal;
}

export function chunkItems<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** The position of a chunk's item in the whole batch (what its payment id derives from). */
export function itemIndex(chunkIndex: number, position: number): number {
  return chunkIndex * CHUNK_SIZE + position;
}

/** The deterministic payment id of item `index`: a retried chunk re-derives the same id. */
export function itemPaymentId(
  batch: Pick<Batch, "id" | "releasedAtMs" | "createdAt">,
  index: number,
): string {
  return derivedId("payment", batch.releasedAtMs ?? batch.createdAt * 1000, `${batch.id}#${index}`);
}

/**
 * The payment order of the item at `position` of a chunk; its id is derived, so every retry agrees.
 * Its creation time is the batch's release (the time in its id), not the moment its chunk ran: a
 * payment's `created_at` and its place in lists and `created[…]` filters then always agree.
 */
export function itemOrder(
  batch: Pick<Batch, "id" | "merchantId" | "source" | "currency" | "releasedAtMs" | "createdAt">,
  chunk: Pick<BatchChunk, "index" | "items">,
  position: number,
): PaymentOrder {
  const item = chunk.items[position] as BatchChunk["items"][number];
  return {
    id: itemPaymentId(batch, itemIndex(chunk.index, position)),
    merchantId: batch.merchantId,
    source: batch.source,
    destination: item.destination,
    amount: item.amount,
    currency: batch.currency,
    description: item.description ?? undefined,
    batchId: batch.id,
    batchItemIndex: itemIndex(chunk.index, position),
    now: batch.releasedAtMs ?? batch.createdAt * 1000,
  };
}

/** How an executed item ends: its payment, succeeded when `code` is null or failed with it, and its result. */
export function settleItem(
  order: PaymentOrder,
  channel: Channel | null,
  code: PaymentFailureCode | null,
): { payment: Payment; result: ItemResult } {
  const payment =
    code === null
      ? paymentFrom(order, "succeeded", channel)
      : failed(paymentFrom(order, "failed", channel), code);
  return {
    payment,
    result: {
      status: payment.status === "succeeded" ? "succeeded" : "failed",
      failureCode: code,
      paymentId: payment.id,
    },
  };
}

/**
 * settleItem for a batch item: a converted item's payment is its source cost in the batch currency
 * (what the reservation gave for it) and carries `fx`, with the item's amount as what arrived.
 */
export function settleBatchItem(
  batch: Pick<Batch, "id" | "merchantId" | "source" | "currency" | "releasedAtMs" | "createdAt" | "fx">,
  chunk: Pick<BatchChunk, "index" | "items">,
  position: number,
  channel: Channel | null,
  code: PaymentFailureCode | null,
): { payment: Payment; result: ItemResult } {
  const settled = settleItem(itemOrder(batch, chunk, position), channel, code);
  const cost = itemCost(batch, chunk.items[position] as ChunkItem);
  if (!cost.fx) return settled;
  return {
    ...settled,
    payment: { ...settled.payment, amount: cost.cost, currency: batch.currency, fx: cost.fx },
  };
}

/** What the bank rail is asked to pay for an item: its amount in its own currency. */
export function itemPayout(
  batch: Pick<Batch, "id" | "merchantId" | "releasedAtMs" | "createdAt" | "currency">,
  chunk: Pick<BatchChunk, "index" | "items">,
  position: number,
): { id: string; merchantId: string; amount: number; currency: string } {
  const item = chunk.items[position] as ChunkItem;
  return {
    id: itemPaymentId(batch, itemIndex(chunk.index, position)),
    // The payout's mode comes from its owner (lib/domain/modes.ts).
    merchantId: batch.merchantId,
    amount: item.amount,
    currency: item.currency ?? batch.currency,
  };
}

/** What the stall rule needs to know of an active batch. */
export interface BatchProgress {
  id: string;
  /** When its chunk messages were last sent (first dispatch or a re-dispatch); null: never. */
  sentAtMs: number | null;
  /** Its last sign of life: release, dispatch, or a chunk paid (the tally's last update). */
  lastProgressMs: number;
  /** When a chunk of it was last paid; 0 when none was. */
  lastPaidMs: number;
}

/**
 * Whether an active batch's unprocessed chunks are lost and must be sent again. Age alone does not
 * say so: at payroll scale a batch can wait minutes in a long items queue behind others, and sending
 * it again would double the load when the system is busiest. A batch is stalled when it made no
 * progress for `stalledAfterMs` AND its messages cannot be in the queue any more: the queue is empty,
 * or a batch sent after it has been paid since (the consumers have moved past its messages).
 */
export function isStalled(
  batch: BatchProgress,
  others: readonly BatchProgress[],
  queueBacklog: number,
  nowMs: number,
  stalledAfterMs: number,
): boolean {
  if (nowMs - batch.lastProgressMs < stalledAfterMs) return false;
  if (queueBacklog === 0) return true;
  const sentAt = batch.sentAtMs ?? 0;
  return others.some(
    (other) =>
      other.id !== batch.id &&
      other.sentAtMs !== null &&
      other.sentAtMs > sentAt &&
      other.lastPaidMs > other.sentAtMs,
  );
}

export function isDue(batch: Pick<Batch, "scheduledAt">, nowMs: number): boolean {
  return batch.scheduledAt === null || batch.scheduledAt * 1000 <= nowMs;
}

/** Only a batch that has not been released may be canceled. */
export function assertCancelable(batch: Pick<Batch, "status">): void {
  if (batch.status !== "scheduled") throw new BatchNotCancelableError(batch.status);
}

export type ItemVerdict = { kind: "pay"; channel: Channel } | { kind: "fail"; code: PaymentFailureCode };

/**
 * The fate of one item given its destination as read before the chunk's transaction. Unknown and
 * foreign accounts look the same (account_not_found); the source itself was funded at release, so
 * an item only needs a destination of this merchant in the batch currency.
 */
export function judgeBatchItem(
  batch: Pick<Batch, "merchantId" | "currency">,
  destination: Account | undefined,
  itemCurrency: Currency | null = null,
): ItemVerdict {
  if (!destination || destination.merchantId !== batch.merchantId) {
    return { kind: "fail", code: "account_not_found" };
  }
  // The destination holds the item's currency: the batch's, or the one the item names.
  if (destination.currency !== (itemCurrency ?? batch.currency))
    return { kind: "fail", code: "currency_mismatch" };
  return { kind: "pay", channel: channelFor(destination.type) };
}

/**
 * Items paying into a destination that cannot take the chunk's whole credit for it fail with
 * balance_limit_exceeded (credits are aggregated per destination, so they succeed or fail together).
 */
export function overLimitDestinations(
  credits: ReadonlyMap<string, number>,
  balances: ReadonlyMap<string, number>,
): Set<string> {
  const over = new Set<string>();
  for (const [destination, amount] of credits) {
    if ((balances.get(destination) ?? 0) > MAX_BALANCE - amount) over.add(destination);
  }
  return over;
}

/**
 * Each item's fate before any rail answer: its destination's verdict, and balance_limit_exceeded for
 * destinations that refused a credit or could not take the chunk's whole credit. Shared by the
 * consumer and the dead-letter drain, so a chunk ends the same whichever of them pays it.
 */
export function judgeChunkItems(
  batch: Pick<Batch, "merchantId" | "currency" | "fx">,
  items: readonly Pick<ChunkItem, "destination" | "amount" | "currency">[],
  accounts: ReadonlyMap<string, Account>,
  refused: ReadonlySet<string>,
  risk?: { rules: readonly RiskRule[]; nowMs: number },
): ItemVerdict[] {
  const verdicts: ItemVerdict[] = items.map((item) => {
    if (refused.has(item.destination)) return { kind: "fail", code: "balance_limit_exceeded" };
    const verdict = judgeBatchItem(batch, accounts.get(item.destination), item.currency ?? null);
    // A converted item whose source cost would exceed 10^12 minor units is not paid.
    if (verdict.kind === "pay" && !itemCost(batch, item).ok)
      return { kind: "fail", code: "amount_too_large" };
    if (verdict.kind === "pay" && risk) {
      // An item in another currency than the batch answers only to the rules without a currency.
      const sameCurrency = item.currency == null || item.currency === batch.currency;
      const rules = sameCurrency ? risk.rules : risk.rules.filter((rule) => rule.currency === null);
      const broken = itemRuleBroken(rules, item, accounts.get(item.destination), risk.nowMs);
      if (broken) return { kind: "fail", code: broken };
    }
    return verdict;
  });
  // Credits are summed per destination, so the ceiling is checked on the sum before anything is sent.
  const intended = new Map<string, number>();
  items.forEach((item, i) => {
    if (verdicts[i]?.kind === "pay")
      intended.set(item.destination, (intended.get(item.destination) ?? 0) + item.amount);
  });
  const balances = new Map([...accounts].map(([id, account]) => [id, account.balance]));
  const over = overLimitDestinations(intended, balances);
  return verdicts.map((verdict, i) =>
    verdict.kind === "pay" && over.has(items[i]?.destination ?? "")
      ? { kind: "fail", code: "balance_limit_exceeded" }
      : verdict,
  );
}

/**
 * The risk engine on one batch item: the rules about the item itself (single amount, deny list,
 * new destination) decide it as they decide a real-time payment. An item cannot wait for review on
 * its own (approving a whole batch is the batch's business), so a review rule fails it too. The
 * outflow rules judge the batch's total at release (lib/batches/release-rules.ts), not each item.
 */
export function itemRuleBroken(
  rules: readonly RiskRule[],
  item: Pick<ChunkItem, "destination" | "amount">,
  destination: Account | undefined,
  nowMs: number,
): PaymentFailureCode | null {
  const itemRules = rules.filter((rule) => ITEM_RULE_TYPES.has(rule.type));
  if (itemRules.length === 0) return null;
  const decision = evaluateRisk(itemRules, {
    amount: item.amount,
    destination: item.destination,
    nowMs,
    destinationFirstPaidAt: destination?.firstPaidAt ?? null,
  });
  return decision.kind === "broken" ? decision.code : null;
}

const ITEM_RULE_TYPES = new Set<RiskRule["type"]>(["amount", "blocked_destinations", "new_destination"]);

/** The sum credited to each destination by the succeeded items of a chunk. */
export function creditsByDestination(
  items: readonly ChunkItem[],
  results: readonly ItemResult[],
): Map<string, number> {
  const credits = new Map<string, number>();
  items.forEach((item, i) => {
    if (results[i]?.status !== "succeeded") return;
    credits.set(item.destination, (credits.get(item.destination) ?? 0) + item.amount);
  });
  return credits;
}

/**
 * A chunk's tally. Amounts are in the batch currency: a converted item counts its source cost at
 * the locked rate (what the reservation holds for it); `byCurrency` counts each item's own amount.
 */
export function tallyChunk(
  items: readonly ChunkItem[],
  results: readonly ItemResult[],
  batch?: Pick<Batch, "currency" | "fx">,
): BatchTally {
  const tally: BatchTally = { ...EMPTY_TALLY };
  const byCurrency: NonNullable<BatchTally["byCurrency"]> = {};
  items.forEach((item, i) => {
    const cost = batch?.fx ? itemCost(batch, item).cost : item.amount;
    const own = byCurrency[item.currency ?? batch?.currency ?? ""] ?? { succeeded: 0, failed: 0 };
    tally.processed++;
    if (results[i]?.status === "succeeded") {
      tally.succeeded++;
      tally.amountSucceeded += cost;
      own.succeeded += item.amount;
    } else {
      tally.failed++;
      tally.amountFailed += cost;
      own.failed += item.amount;
    }
    byCurrency[item.currency ?? batch?.currency ?? ""] = own;
  });
  if (batch?.fx) tally.byCurrency = byCurrency;
  return tally;
}

export function addTallies(tallies: Iterable<BatchTally>): BatchTally {
  const sum: BatchTally = { ...EMPTY_TALLY };
  for (const tally of tallies) {
    sum.processed += tally.processed;
    sum.succeeded += tally.succeeded;
    sum.failed += tally.failed;
    sum.amountSucceeded += tally.amountSucceeded;
    sum.amountFailed += tally.amountFailed;
    for (const [currency, own] of Object.entries(tally.byCurrency ?? {})) {
      sum.byCurrency ??= {};
      const total = sum.byCurrency[currency] ?? { succeeded: 0, failed: 0 };
      total.succeeded += own.succeeded;
      total.failed += own.failed;
      sum.byCurrency[currency] = total;
    }
  }
  return sum;
}

export type FinalizeDecision =
  | { kind: "wait"; pending: number }
  /** Every item is terminal: complete the batch and return `refund` to the source wallet. */
  | { kind: "complete"; tally: BatchTally; refund: number };

export function decideFinalize(
  batch: Pick<Batch, "status" | "itemCount" | "amountTotal">,
  tally: BatchTally,
): FinalizeDecision {
  if (batch.status !== "processing" || tally.processed < batch.itemCount) {
    return { kind: "wait", pending: batch.itemCount - tally.processed };
  }
  if (
    tally.processed !== batch.itemCount ||
    tally.amountSucceeded + tally.amountFailed !== batch.amountTotal
  ) {
    // The counters can only add up to more than the batch if a chunk was counted twice.
    throw new Error(`batch tally does not add up: ${JSON.stringify(tally)}`);
  }
  return { kind: "complete", tally, refund: batch.amountTotal - tally.amountSucceeded };
}

/** The tally a batch shows: final when terminal, all-failed when it failed unfunded, live otherwise. */
export function tallyOf(batch: Batch, live: BatchTally): BatchTally {
  if (batch.final) return batch.final;
  if (batch.status === "failed") {
    return {
      processed: batch.itemCount,
      succeeded: 0,
      failed: batch.itemCount,
      amountSucceeded: 0,
      amountFailed: batch.amountTotal,
    };
  }
  return live;
}

export function toBatchResource(batch: Batch, live: BatchTally = EMPTY_TALLY): BatchResource {
  // A canceled batch never ran: its items are canceled, not failed, and counted apart.
  const canceled = batch.status === "canceled" && !batch.final;
  const tally = canceled ? EMPTY_TALLY : tallyOf(batch, live);
  return {
    id: batch.id,
    object: "batch",
    livemode: isLiveOwner(batch.merchantId),
    status: batch.status,
    source: batch.source,
    currency: batch.currency,
    scheduled_at: batch.scheduledAt,
    description: batch.description,
    metadata: batch.metadata,
    counts: {
      total: batch.itemCount,
      pending: canceled ? 0 : batch.itemCount - tally.processed,
      // A returned item was counted succeeded when it was paid; it is shown as returned instead.
      succeeded: tally.succeeded - batch.returned.count,
      failed: tally.failed,
      returned: batch.returned.count,
      canceled: canceled ? batch.itemCount : 0,
    },
    amounts: {
      total: batch.amountTotal,
      succeeded: tally.amountSucceeded - batch.returned.amount,
      failed: tally.amountFailed,
      returned: batch.returned.amount,
      canceled: canceled ? batch.amountTotal : 0,
    },
    failure_code: batch.failureCode,
    created_at: batch.createdAt,
    completed_at: batch.completedAt,
    created_by: batch.createdBy ? keyRefResource(batch.createdBy) : null,
    approval: batch.approval
      ? {
          status: batch.approval.status,
          required_because: batch.approval.requiredBecause,
          decided_by: batch.approval.decidedBy ? keyRefResource(batch.approval.decidedBy) : null,
          decided_at: batch.approval.decidedAt,
          reason: batch.approval.reason,
        }
      : null,
    ...(batch.fx ? fxResource(batch, batch.fx, tally, canceled) : {}),
  };
}

function keyRefResource(ref: KeyRef): { api_key: string; name: string | null } {
  return { api_key: ref.apiKey, name: ref.name };
}

/** A cross-currency batch's amounts in each item currency, and the rates it locked at release. */
function fxResource(batch: Batch, fx: BatchFx, tally: BatchTally, canceled: boolean) {
  const amounts: Record<string, { total: number; succeeded: number; failed: number; canceled: number }> = {};
  for (const [currency, total] of Object.entries(fx.totals)) {
    const own = tally.byCurrency?.[currency] ?? { succeeded: 0, failed: 0 };
    amounts[currency] = {
      total: total?.amount ?? 0,
      succeeded: own.succeeded,
      // A batch that failed unfunded paid none of its items.
      failed: batch.status === "failed" && !batch.final ? (total?.amount ?? 0) : own.failed,
      canceled: canceled ? (total?.amount ?? 0) : 0,
    };
  }
  return {
    amounts_by_currency: amounts,
    fx: { rates: fx.rates, fee_basis_points: fx.feeBasisPoints },
  };
}

/** The items of a chunk as the API shows them; unprocessed items follow the batch's fate. */
export function chunkItemResources(batch: Batch, chunk: BatchChunk): BatchItemResource[] {
  const never: PaymentFailureCode | null = batch.status === "failed" ? "batch_failed" : null;
  const canceled = batch.status === "canceled";
  return chunk.items.map((item, position) => {
    const result = chunk.results?.[position];
    const status: BatchItemStatus = result
      ? result.status
      : never
        ? "failed"
        : canceled
          ? "canceled"
          : "pending";
    return {
      id: item.id,
      object: "batch_item",
      livemode: isLiveOwner(batch.merchantId),
      batch: batch.id,
      payment: result?.paymentId ?? null,
      destination: item.destination,
      amount: item.amount,
      ...(item.currency ? { currency: item.currency } : {}),
      status,
      failure_code: result ? result.failureCode : never,
      processed_at: result ? chunk.processedAt : never || canceled ? batch.completedAt : null,
    };
  });
}
