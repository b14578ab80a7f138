// Owns the batch header's lifecycle in the ledger: storing a new batch (chunks, then the header with
// its idempotency record), reserving its total from the source wallet in one transaction, failing,
// canceling and releasing it, and the reads the API and the sweepers need. Every status change is
// conditional on the status it leaves, so concurrent actors (cancel vs. release, two releases)
// cannot both win.
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type Batch, type BatchChunk, type PlannedBatch, toBatchResource } from "../domain/batches.js";
import { newEvent } from "../domain/events.js";
import type { ListRequest } from "../domain/lists.js";
import type { BatchFailureCode } from "../schemas/batches.js";
import type { EventType } from "../schemas/events.js";
import { debitWallet } from "./accounts.js";
import { batchFrom, batchHeaderItem, chunkFrom, chunkItem } from "./batch-records.js";
import { commitWithIdempotency } from "./commit.js";
import { putEvent } from "./events.js";
import { type IdempotencyClaim, rejectClaimedKey, type StoredResponse } from "./idempotency.js";
import { batchChunkKey, filterPartitions, idempotencyKey, itemKey, SK, WORK, workSortKey } from "./keys.js";
import { getItems, getOwned, isOwnWrite, listOwned } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import type { RiskWrite } from "./risk-counters.js";
import { sendSingleWrite, type TransactItem, transact } from "./transact.js";

/** The event a batch's status change records, with the batch as it is after the change. */
export function batchEvent(table: string, type: EventType, batch: Batch, nowMs = Date.now()): TransactItem {
  return putEvent(table, newEvent(type, batch.merchantId, toBatchResource(batch), nowMs));
}

const WRITE_CONCURRENCY = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `inputs` with at most `limit` in flight. */
export async function inParallel<T, R>(
  inputs: readonly T[],
  limit: number,
  work: (input: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await work(inputs[i] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * A replay must not write 10,000 items again before finding out: when the key is already taken,
 * this answers the replay (or 409/422) before anything is stored.
 */
export async function refuseTakenKey(store: LedgerStore, claim: IdempotencyClaim | undefined): Promise<void> {
  if (!claim) return;
  const { Item } = await store.dynamo.send(
    new GetCommand({
      TableName: store.table,
      Key: idempotencyKey(claim.merchantId, claim.key),
      ConsistentRead: true,
    }),
  );
  if (Item && Number(Item.expires_at) >= claim.now) await rejectClaimedKey(store.dynamo, store.table, claim);
}

async function writeChunks(store: LedgerStore, chunks: readonly BatchChunk[]): Promise<void> {
  const groups: BatchChunk[][] = [];
  for (let i = 0; i < chunks.length; i += 25) groups.push(chunks.slice(i, i + 25));
  await inParallel(groups, WRITE_CONCURRENCY, async (group) => {
    let requests: Record<string, unknown>[] = group.map((chunk) => ({
      PutRequest: { Item: chunkItem(chunk) },
    }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error("chunk writes kept coming back unprocessed");
      if (attempt > 0) await sleep(Math.random() * 20 * 2 ** attempt);
      const { UnprocessedItems } = await store.dynamo.send(
        new BatchWriteCommand({ RequestItems: { [store.table]: requests as never } }),
      );
      requests = (UnprocessedItems?.[store.table] as Record<string, unknown>[] | undefined) ?? [];
    }
  });
}

/**
 * Stores a new batch. Chunks first (invisible until the header exists: every read starts at the
 * header), then the header and the idempotency record in one transaction. A crash between the two
 * leaves orphan chunks under an id nothing refers to; a crash after the header leaves a due batch
 * in the work index, which the scheduler releases.
 */
export async function insertBatch(
  store: LedgerStore,
  planned: PlannedBatch,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<void> {
  await writeChunks(store, planned.chunks);
  const { batch } = planned;
  const awaitingApproval = batch.status === "requires_approval";
  const header = {
    Put: {
      TableName: store.table,
      Item: {
        ...batchHeaderItem(batch),
        // Scheduled and queued batches both wait in the same index until released, sorted by when
        // they are due; a batch due now is due at its creation time. A batch awaiting approval is
        // in no work queue: nothing may release it before an approval puts it there.
        ...(awaitingApproval
          ? {}
          : {
              gsi2pk: WORK.scheduledBatches,
              gsi2sk: workSortKey(batch.scheduledAt ?? batch.createdAt, batch.id),
            }),
      },
      // A fresh random id never exists; the condition only guards against an id collision.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
  const at = Date.now();
  const created = batchEvent(store.table, "batch.created", batch, at);
  // One millisecond later: event ids sort by time, so the log lists the two in the order they mean
  // (one shared stamp would order them by the ids' random part).
  const events = awaitingApproval
    ? [created, batchEvent(store.table, "batch.requires_approval", batch, at + 1)]
    : [created];
  const outcome = await commitWithIdempotency(store, [header, ...events], claim, response);
  if (outcome.ok) return;
  // The id is fresh: a header under it is this request's own write whose answer was lost. Answering
  // an error here would invite a retry without a key that pays the payroll twice.
  if (await isOwnWrite(store, batch.id, SK.batch, batch.merchantId, batch.createdAt)) return;
  throw new Error(`batch id collision: ${batch.id}`);
}

export async function findBatch(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Batch | undefined> {
  const item = await getOwned(store, id, SK.batch, merchantId);
  return item ? batchFrom(item) : undefined;
}

/** The header without an ownership check, for the asynchronous workers (they hold no merchant). */
export async function readBatch(
  store: LedgerStore,
  id: string,
): Promise<(Batch & ReturnType<typeof dispatchState>) | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(id, SK.batch), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { ...batchFrom(Item), ...dispatchState(Item) };
}

function dispatchState(item: Item): {
  dispatchedAtMs: number | null;
  redispatchedAtMs: number | null;
  progressAtMs: number;
} {
  const dispatchedAtMs = item.dispatched_at_ms == null ? null : Number(item.dispatched_at_ms);
  return {
    dispatchedAtMs,
    redispatchedAtMs: item.redispatched_at_ms == null ? null : Number(item.redispatched_at_ms),
    progressAtMs: Math.max(
      Number(item.released_at_ms ?? 0),
      dispatchedAtMs ?? 0,
      Number(item.redispatched_at_ms ?? 0),
    ),
  };
}

export async function listBatches(
  store: LedgerStore,
  merchantId: string,
  request: ListRequest<"status" | "source">,
): Promise<{ batches: Batch[]; hasMore: boolean }> {
  const page = await listOwned(store, merchantId, "batch", request);
  return { batches: page.items.map(batchFrom), hasMore: page.hasMore };
}

function statusChange(
  store: LedgerStore,
  batchId: string,
  set: string,
  condition: string,
  values: Record<string, unknown>,
  remove = "",
) {
  return {
    TableName: store.table,
    Key: itemKey(batchId, SK.batch),
    UpdateExpression: `SET ${set}${remove ? ` REMOVE ${remove}` : ""}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: values,
  };
}

/** The batch's status-index partition for `status` (gsi3): every status change moves it there. */
function statusPartition(batch: Pick<Batch, "merchantId">, status: Batch["status"]): string {
  return filterPartitions(batch.merchantId, "batch", "status", status)[0] as string;
}

export type ReserveOutcome = "reserved" | "insufficient_funds" | "not_releasable";

/**
 * Release, step 1: the whole total leaves the source wallet and the batch becomes `processing`,
 * in one transaction. From here until completion the total is an outstanding reservation held by
 * the batch: wallets + bank payouts + reservations = top-ups at every instant. The debit counts the
 * total into the source's outflow windows and carries the window rules' guards (`risk`), exactly
 * as a real-time payment's debit does; a failed guard reads as `insufficient_funds` here, and the
 * caller tells the two apart on the wallet it reads then.
 */
export async function reserveBatchTotal(
  store: LedgerStore,
  batch: Batch,
  nowMs: number,
  risk: RiskWrite,
): Promise<ReserveOutcome> {
  const outcome = await transact(store.dynamo, [
    debitWallet(store.table, batch.source, batch.merchantId, batch.amountTotal, batch.currency, risk),
    {
      Update: statusChange(
        store,
        batch.id,
        `#status = :processing, gsi3pk = :statusPk, released_at_ms = :now, gsi2pk = :active, gsi2sk = :sk${
          // A cross-currency batch stores its locked rates and the exact total they cost with the debit.
          batch.fx ? ", amount_total = :total, fx = :fx" : ""
        }`,
        // A batch is released once; cancel and release both leave `scheduled`, so only one wins.
        "#status IN (:scheduled, :queued)",
        {
          ":processing": "processing",
          ":statusPk": statusPartition(batch, "processing"),
          ":now": nowMs,
          ":active": WORK.activeBatches,
          ":sk": workSortKey(Math.floor(nowMs / 1000), batch.id),
          ":scheduled": "scheduled",
          ":queued": "queued",
          ...(batch.fx
            ? {
                ":total": batch.amountTotal,
                ":fx": {
                  totals: batch.fx.totals,
                  rates: batch.fx.rates,
                  fee_basis_points: batch.fx.feeBasisPoints,
                },
              }
            : {}),
        },
      ),
    },
    batchEvent(store.table, "batch.released", { ...batch, status: "processing", releasedAtMs: nowMs }),
  ]);
  if (outcome.ok) return "reserved";
  if (outcome.failed[1]) return "not_releasable";
  return "insufficient_funds";
}

/**
 * Release could not take the batch's total (the source cannot cover it, or it would pass a window
 * rule): it fails as a whole with `code` and no item is paid.
 */
export async function failBatchAtRelease(
  store: LedgerStore,
  batch: Batch,
  nowMs: number,
  code: BatchFailureCode,
): Promise<boolean> {
  const completedAt = Math.floor(nowMs / 1000);
  const fail = statusChange(
    store,
    batch.id,
    "#status = :failed, gsi3pk = :statusPk, failure_code = :code, completed_at = :now",
    // Only a batch that was never reserved can fail at release.
    "#status IN (:scheduled, :queued)",
    {
      ":failed": "failed",
      ":statusPk": statusPartition(batch, "failed"),
      ":code": code,
      ":now": completedAt,
      ":scheduled": "scheduled",
      ":queued": "queued",
    },
    "gsi2pk, gsi2sk",
  );
  const failed: Batch = { ...batch, status: "failed", failureCode: code, completedAt };
  const outcome = await transact(store.dynamo, [
    { Update: fail },
    batchEvent(store.table, "batch.failed", failed),
  ]);
  return outcome.ok;
}

/**
 * Cancels a scheduled batch; false when it has left `scheduled` meanwhile. The batch records which
 * request canceled it, so that request, if its answer was lost and its write is met again, still
 * learns that it was the one that canceled (200), while any other request is told 409.
 */
export async function cancelScheduledBatch(
  store: LedgerStore,
  batch: Batch,
  nowMs: number,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<boolean> {
  const cancel = statusChange(
    store,
    batch.id,
    "#status = :canceled, gsi3pk = :statusPk, completed_at = :now, canceled_by_request = :request",
    // Nothing was reserved while scheduled, so canceling moves no money.
    "#status = :scheduled AND merchant_id = :merchant",
    {
      ":canceled": "canceled",
      ":statusPk": statusPartition(batch, "canceled"),
      ":now": Math.floor(nowMs / 1000),
      ":request": requestId,
      ":scheduled": "scheduled",
      ":merchant": batch.merchantId,
    },
    "gsi2pk, gsi2sk",
  );
  const canceled: Batch = { ...batch, status: "canceled", completedAt: Math.floor(nowMs / 1000) };
  const event = batchEvent(store.table, "batch.canceled", canceled);
  const outcome = await commitWithIdempotency(store, [{ Update: cancel }, event], claim, response);
  if (outcome.ok) return true;
  const current = await getOwned(store, batch.id, SK.batch, batch.merchantId);
  return current?.status === "canceled" && current.canceled_by_request === requestId;
}

/** A scheduled batch became due: from now on it can no longer be canceled. */
export async function markQueued(
  store: LedgerStore,
  batch: Pick<Batch, "id" | "merchantId">,
  nowMs: number,
): Promise<boolean> {
  return conditionalUpdate(
    store,
    statusChange(
      store,
      batch.id,
      "#status = :queued, gsi3pk = :statusPk, queued_at_ms = :now",
      "#status = :scheduled",
      {
        ":queued": "queued",
        ":statusPk": statusPartition(batch, "queued"),
        ":scheduled": "scheduled",
        ":now": nowMs,
      },
    ),
  );
}

/** Every chunk message was sent (first dispatch) or sent again (a sweeper's re-dispatch). */
export async function markDispatched(
  store: LedgerStore,
  batchId: string,
  nowMs: number,
  again: boolean,
): Promise<void> {
  const attribute = again ? "redispatched_at_ms" : "dispatched_at_ms";
  await conditionalUpdate(
    store,
    // A completed batch needs no dispatch record; losing this race is fine.
    statusChange(store, batchId, `${attribute} = :now`, "#status = :processing", {
      ":now": nowMs,
      ":processing": "processing",
    }),
  );
}

async function conditionalUpdate(
  store: LedgerStore,
  input: ConstructorParameters<typeof UpdateCommand>[0],
): Promise<boolean> {
  try {
    await sendSingleWrite(() => store.dynamo.send(new UpdateCommand(input)));
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

/** Indexes of the chunks not processed yet, in order (what a (re-)dispatch sends). */
export async function unprocessedChunks(
  store: LedgerStore,
  batch: Pick<Batch, "id" | "chunkCount">,
): Promise<number[]> {
  const { chunks } = await readChunks(store, batch, undefined, batch.chunkCount);
  return chunks.filter((chunk) => chunk.processedAt === null).map((chunk) => chunk.index);
}

/** Chunks in item order, `limit` at a time, after chunk `afterIndex` if given (item listing). */
export async function readChunks(
  store: LedgerStore,
  batch: Pick<Batch, "id" | "chunkCount">,
  afterIndex: number | undefined,
  limit: number,
): Promise<{ chunks: BatchChunk[]; more: boolean }> {
  const first = afterIndex === undefined ? 0 : afterIndex + 1;
  const end = Math.min(batch.chunkCount, first + limit);
  const keys = Array.from({ length: Math.max(0, end - first) }, (_, i) => batchChunkKey(batch.id, first + i));
  const chunks = (await getItems(store, keys)).map(chunkFrom).sort((a, b) => a.index - b.index);
  return { chunks, more: end < batch.chunkCount };
}

/** Ids from one gsi2 work partition, oldest first, with sort key below `before` when given. */
export async function workItems(
  store: LedgerStore,
  partition: string,
  before?: string,
  max = 500,
): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.dynamo.send(
      new QueryCommand({
        TableName: store.table,
        IndexName: "gsi2",
        KeyConditionExpression: before ? "gsi2pk = :work AND gsi2sk < :before" : "gsi2pk = :work",
        ExpressionAttributeValues: before
          ? { ":work": partition, ":before": before }
          : { ":work": partition },
        Limit: 100,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item.pk));
    start = page.LastEvaluatedKey;
  } while (start && ids.length < max);
  return ids;
}

/** Batches waiting for release whose time has come (scheduled or queued, due at or before `nowMs`). */
export function dueBatchIds(store: LedgerStore, nowMs: number): Promise<string[]> {
  return workItems(store, WORK.scheduledBatches, workSortKey(Math.floor(nowMs / 1000) + 1, ""));
}

export function activeBatchIds(store: LedgerStore): Promise<string[]> {
  return workItems(store, WORK.activeBatches);
}
