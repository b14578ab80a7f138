// Owns the transactions that pay a batch: one per chunk (results, payments, destination credits and
// the chunk's tally, at most 52 actions), and the one that completes the batch and returns what its
// failed items did not spend to the source wallet. The source wallet is not touched per item: it
// was debited once, for the whole total, at release. No two chunks write the same item unless they
// pay the same destination, and a destination contended that way is credited through a pending
// entry instead (credits.ts), so chunks paid in parallel do not cancel each other.
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  addTallies,
  type Batch,
  type BatchChunk,
  type BatchTally,
  chunkItemResources,
  type ItemResult,
  tallyChunk,
} from "../domain/batches.js";
import { newEvent } from "../domain/events.js";
import type { Payment } from "../domain/payments.js";
import type { Currency } from "../money/index.js";
import { batchFrom, chunkFrom, resultsItem, tallyFrom, tallyItem } from "./batch-records.js";
import { batchEvent } from "./batches.js";
import { type Credit as CreditAction, crediting } from "./credits.js";
import { putEvent } from "./events.js";
import { putHouseEntry } from "./fx-house.js";
import {
  BATCH_COUNTER_PREFIX,
  batchChunkKey,
  batchCounterKey,
  filterPartitions,
  itemKey,
  SK,
} from "./keys.js";
import { getItems } from "./reads.js";
import { type LedgerStore, paymentItem } from "./records.js";
import { sendSingleWrite, type TransactItem, transact } from "./transact.js";

/** Chunks read together, by batch id and index (see `chunkRef`). */
export interface BatchesAndChunks {
  batches: Map<string, Batch>;
  chunks: Map<string, BatchChunk>;
}

export function chunkRef(batchId: string, index: number): string {
  return `${batchId}/${index}`;
}

/**
 * The headers and chunks a consumer invocation needs to start, in one BatchGetItem: up to 10
 * messages name at most 10 chunks and 10 batches, far under its 100 keys.
 */
export async function readBatchesAndChunks(
  store: LedgerStore,
  wanted: readonly { batchId: string; index: number }[],
): Promise<BatchesAndChunks> {
  const keys = new Map<string, { pk: string; sk: string }>();
  for (const { batchId, index } of wanted) {
    keys.set(batchId, itemKey(batchId, SK.batch));
    keys.set(chunkRef(batchId, index), batchChunkKey(batchId, index));
  }
  const read: BatchesAndChunks = { batches: new Map(), chunks: new Map() };
  for (const item of await getItems(store, [...keys.values()])) {
    if (item.sk === SK.batch) read.batches.set(String(item.pk), batchFrom(item));
    else {
      const chunk = chunkFrom(item);
      read.chunks.set(chunkRef(chunk.batchId, chunk.index), chunk);
    }
  }
  return read;
}

export interface Credit {
  destination: string;
  /** In the destination's currency (the item's). */
  amount: number;
  type: "wallet" | "bank";
  /** The destination's currency when it is not the batch's (a converted item). */
  currency?: Currency | undefined;
}

/** What processing a chunk writes: a result per item, a payment per executed item, the credits. */
export interface ChunkWrites {
  results: readonly ItemResult[];
  payments: readonly Payment[];
  credits: readonly Credit[];
}

/**
 * The house FX entries of a chunk's converted items that succeeded: per currency, the source costs
 * in (batch currency, out of the reservation) and the delivered amounts out (each item currency).
 */
function chunkHouseEntries(
  store: LedgerStore,
  batch: Batch,
  chunk: BatchChunk,
  payments: readonly Payment[],
  nowSec: number,
) {
  const byCurrency = new Map<Currency, { amount: number; fee: number; remainder: number }>();
  const add = (currency: Currency, amount: number, fee = 0, remainder = 0) => {
    const sum = byCurrency.get(currency) ?? { amount: 0, fee: 0, remainder: 0 };
    sum.amount += amount;
    sum.fee += fee;
    sum.remainder += remainder;
    byCurrency.set(currency, sum);
  };
  for (const payment of payments) {
    if (payment.status !== "succeeded" || !payment.fx) continue;
    add(payment.fx.sourceCurrency, payment.fx.sourceAmount, payment.fx.fee, payment.fx.remainder);
    add(payment.fx.destinationCurrency, -payment.fx.destinationAmount);
  }
  const entry = `${chunk.batchId}#${String(chunk.index).padStart(5, "0")}`;
  return [...byCurrency].map(([currency, sum]) =>
    putHouseEntry(store.table, { merchantId: batch.merchantId, currency, entry, ...sum }, nowSec),
  );
}

export type ChunkCommit =
  | { kind: "committed" }
  /** Another delivery of the same chunk got there first; nothing was written by this one. */
  | { kind: "already_processed" }
  /** A destination refused its credit (balance ceiling); nothing was written. */
  | { kind: "credit_refused"; destinations: string[] };

function recordResults(
  store: LedgerStore,
  chunk: BatchChunk,
  results: readonly ItemResult[],
  nowSec: number,
): TransactItem {
  return {
    Update: {
      TableName: store.table,
      Key: batchChunkKey(chunk.batchId, chunk.index),
      UpdateExpression: "SET results = :results, processed_at = :now",
      // The exactly-once guard: whatever delivers this chunk again (duplicate message, redrive,
      // a retry after a crash, the dead-letter drain) finds it processed and writes nothing.
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(processed_at)",
      ExpressionAttributeValues: { ":results": resultsItem(results), ":now": nowSec },
    },
  };
}

function addToTally(store: LedgerStore, chunk: BatchChunk, tally: BatchTally, nowMs: number): TransactItem {
  // Cross-currency batches also count each item currency's amounts, as flat `cur_<code>_s|f` numbers.
  const byCurrency = { add: "", values: {} as Record<string, number> };
  for (const [currency, own] of Object.entries(tally.byCurrency ?? {})) {
    byCurrency.add += `, cur_${currency}_s :${currency}s, cur_${currency}_f :${currency}f`;
    byCurrency.values[`:${currency}s`] = own.succeeded;
    byCurrency.values[`:${currency}f`] = own.failed;
  }
  return {
    Update: {
      TableName: store.table,
      // One counter item per chunk: a counter shared by chunks paid in parallel is a contended item
      // (their transactions would cancel each other); the tally is the sum over one Query.
      Key: batchCounterKey(chunk.batchId, chunk.index),
      // No condition: the chunk update in the same transaction already guarantees this chunk is
      // counted once. ADD creates the item.
      UpdateExpression: `ADD #processed :p, #succeeded :s, #failed :f, amount_succeeded :as, amount_failed :af${byCurrency.add} SET updated_at_ms = :now`,
      ExpressionAttributeNames: { "#processed": "processed", "#succeeded": "succeeded", "#failed": "failed" },
      ExpressionAttributeValues: {
        ":p": tally.processed,
        ":s": tally.succeeded,
        ":f": tally.failed,
        ":as": tally.amountSucceeded,
        ":af": tally.amountFailed,
        ":now": nowMs,
        ...byCurrency.values,
      },
    },
  };
}

/** One batch.item.failed event per failed item of the chunk, each with the item as GET lists it. */
function failedItemEvents(
  store: LedgerStore,
  batch: Batch,
  chunk: BatchChunk,
  results: readonly ItemResult[],
  nowSec: number,
): TransactItem[] {
  const processed: BatchChunk = { ...chunk, results: [...results], processedAt: nowSec };
  return chunkItemResources(batch, processed)
    .filter((item) => item.status === "failed")
    .map((item) => putEvent(store.table, newEvent("batch.item.failed", batch.merchantId, item)));
}

/**
 * Writes a processed chunk: its results, one payment per executed item, one credit per destination
 * (items to the same destination are summed), its tally and one event per failed item, all or
 * nothing (at most 1 + 25 + 25 + 1 + 25 = 77 of a transaction's 100 actions).
 */
export async function commitChunk(
  store: LedgerStore,
  batch: Batch,
  chunk: BatchChunk,
  { results, payments, credits }: ChunkWrites,
  nowMs: number,
): Promise<ChunkCommit> {
  const creditActions = new Map(
    credits.map((credit, i): [number, CreditAction] => [
      1 + i,
      {
        account: credit.destination,
        merchantId: batch.merchantId,
        amount: credit.amount,
        expect: { type: credit.type, currency: credit.currency ?? batch.currency },
        entry: `${chunk.batchId}#${String(chunk.index).padStart(5, "0")}`,
        paid: true,
      },
    ]),
  );
  const { items: creditItems, options } = await crediting(store, creditActions);
  const items: TransactItem[] = [
    recordResults(store, chunk, results, Math.floor(nowMs / 1000)),
    ...credits.map((_credit, i) => creditItems.get(1 + i) as TransactItem),
    ...payments.map(
      (payment): TransactItem => ({
        Put: {
          TableName: store.table,
          Item: paymentItem(payment),
          // Item payment ids are derived from the item's position; the chunk guard above already
          // makes a second write impossible, this keeps a payment from ever being overwritten.
          ConditionExpression: "attribute_not_exists(pk)",
        },
      }),
    ),
    addToTally(store, chunk, tallyChunk(chunk.items, results, batch), nowMs),
    ...failedItemEvents(store, batch, chunk, results, Math.floor(nowMs / 1000)),
    ...chunkHouseEntries(store, batch, chunk, payments, Math.floor(nowMs / 1000)),
  ];
  const outcome = await transact(store.dynamo, items, options);
  if (outcome.ok) return { kind: "committed" };
  if (outcome.failed[0]) return { kind: "already_processed" };
  const refused = credits.filter((_credit, i) => outcome.failed[1 + i]).map((credit) => credit.destination);
  if (refused.length > 0) return { kind: "credit_refused", destinations: refused };
  throw new Error(`chunk ${chunk.batchId}/${chunk.index} failed an unexpected condition`);
}

/**
 * The live tally: the sum of the chunks' counter items (one Query: a 10,000-item batch has 400 of
 * about 150 bytes, 60 KB, one page of DynamoDB's 1 MB).
 */
export async function readTally(
  store: LedgerStore,
  batchId: string,
): Promise<{ tally: BatchTally; updatedAtMs: number }> {
  const Items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.dynamo.send(
      new QueryCommand({
        TableName: store.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :count)",
        ExpressionAttributeValues: { ":pk": batchId, ":count": BATCH_COUNTER_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    Items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const tally = addTallies(Items.map(tallyFrom));
  let updatedAtMs = 0;
  for (const item of Items) updatedAtMs = Math.max(updatedAtMs, Number(item.updated_at_ms ?? 0));
  return { tally, updatedAtMs };
}

/**
 * Completes a batch whose every item is terminal: final tally on the header, out of the work index,
 * and the unspent reservation back to the source, in one transaction. False when another actor
 * completed it first.
 */
export async function completeBatch(
  store: LedgerStore,
  batch: Batch,
  tally: BatchTally,
  refund: number,
  nowMs: number,
): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: store.table,
        Key: itemKey(batch.id, SK.batch),
        UpdateExpression:
          "SET #status = :completed, gsi3pk = :statusPk, #final = :final, completed_at = :now REMOVE gsi2pk, gsi2sk",
        // Completion happens once, so the refund below is paid once.
        ConditionExpression: "#status = :processing",
        ExpressionAttributeNames: { "#status": "status", "#final": "final" },
        ExpressionAttributeValues: {
          ":completed": "completed",
          ":statusPk": filterPartitions(batch.merchantId, "batch", "status", "completed")[0],
          ":processing": "processing",
          ":final": tallyItem(tally),
          ":now": Math.floor(nowMs / 1000),
        },
      },
    },
  ];
  const completed: Batch = {
    ...batch,
    status: "completed",
    final: tally,
    completedAt: Math.floor(nowMs / 1000),
  };
  items.push(batchEvent(store.table, "batch.completed", completed));
  // No ceiling on the refund: this money left this wallet at release, so returning it must not fail.
  const { items: refunds, options } = await crediting(
    store,
    refund > 0
      ? new Map([
          [
            items.length,
            {
              account: batch.source,
              merchantId: batch.merchantId,
              amount: refund,
              entry: `${batch.id}#refund`,
            },
          ],
        ])
      : new Map(),
  );
  const refundItem = refunds.get(items.length);
  if (refundItem) items.push(refundItem);
  const outcome = await transact(store.dynamo, items, options);
  return outcome.ok;
}

// The dead-letter fence. A chunk's bank items are sent to the rail outside any transaction, so a
// copy of the chunk (an SQS duplicate, a stall re-dispatch) could send while the dead-letter drain
// asks the rail and fails the items it never received: paid out and refunded. A consumer therefore
// claims the right to send (refused once the drain fenced the chunk), and the drain fences first,
// then waits until every claim made before the fence has outlived the consumer's timeout.

/** True when `error` is DynamoDB refusing a single-item write's condition. */
function conditionFailed(error: unknown): boolean {
  return (error as Error).name === "ConditionalCheckFailedException";
}

/**
 * A consumer's claim to send `chunk`'s bank items to the rail now. False once the dead-letter drain
 * has fenced the chunk (or it is processed): the caller must not send.
 */
export async function claimRailSend(store: LedgerStore, chunk: BatchChunk, nowMs: number): Promise<boolean> {
  try {
    await sendSingleWrite(() =>
      store.dynamo.send(
        new UpdateCommand({
          TableName: store.table,
          Key: batchChunkKey(chunk.batchId, chunk.index),
          // The latest claim is what the drain waits for; claims only move forward in time.
          UpdateExpression: "SET rail_claimed_at_ms = :now",
          ConditionExpression:
            "attribute_exists(pk) AND attribute_not_exists(drain_fenced_at_ms) AND attribute_not_exists(processed_at)",
          ExpressionAttributeValues: { ":now": nowMs },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

export type ChunkFence =
  | { kind: "processed" }
  /** The chunk is fenced; `lastClaimMs` is when a consumer last claimed a send (null: never). */
  | { kind: "fenced"; lastClaimMs: number | null };

/** The drain's fence on `chunk`: from now on no consumer may send its bank items. Idempotent. */
export async function fenceChunk(store: LedgerStore, chunk: BatchChunk, nowMs: number): Promise<ChunkFence> {
  try {
    const { Attributes } = await sendSingleWrite(() =>
      store.dynamo.send(
        new UpdateCommand({
          TableName: store.table,
          Key: batchChunkKey(chunk.batchId, chunk.index),
          UpdateExpression: "SET drain_fenced_at_ms = if_not_exists(drain_fenced_at_ms, :now)",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(processed_at)",
          ExpressionAttributeValues: { ":now": nowMs },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    const claimed = Attributes?.rail_claimed_at_ms;
    return { kind: "fenced", lastClaimMs: claimed == null ? null : Number(claimed) };
  } catch (error) {
    if (conditionFailed(error)) return { kind: "processed" };
    throw error;
  }
}
