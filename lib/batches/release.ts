// Owns releasing a batch: reserve the whole total from the source wallet in one transaction (or
// fail the batch unfunded), then send one message per chunk. Safe to run again at any point: a
// second release finds the batch reserved and only re-sends chunks if the first never finished.
import { type Batch, isDue } from "../domain/batches.js";
import {
  failUnfundedBatch,
  markDispatched,
  readBatch,
  reserveBatchTotal,
  unprocessedChunks,
} from "../ledger/batches.js";
import { foldPendingCredits } from "../ledger/credits.js";
import type { BatchDeps } from "./deps.js";
import { lockBatchRates } from "./fx.js";

export type ReleaseOutcome = "released" | "failed" | "redispatched" | "nothing_to_do";

/** Sends every chunk not processed yet; duplicates of chunks in flight are harmless. */
export async function dispatchChunks(
  deps: BatchDeps,
  batch: Pick<Batch, "id" | "chunkCount">,
  nowMs: number,
  again: boolean,
): Promise<number> {
  const chunks = await unprocessedChunks(deps.store, batch);
  await deps.queues.sendChunks(batch.id, chunks);
  await markDispatched(deps.store, batch.id, nowMs, again);
  return chunks.length;
}

export async function releaseBatch(deps: BatchDeps, batchId: string, nowMs: number): Promise<ReleaseOutcome> {
  let batch = await readBatch(deps.store, batchId);
  if (!batch) return "nothing_to_do";
  // A scheduled batch is released by the scheduler (which marks it queued first), never early.
  if (batch.status === "scheduled" && !isDue(batch, nowMs)) return "nothing_to_do";
  if (batch.status === "scheduled" || batch.status === "queued") {
    // A cross-currency batch locks its rates now and reserves the exact cost of its items.
    if (batch.fx) batch = { ...batch, ...(await lockBatchRates(deps, batch, nowMs)) };
    let outcome = await reserveBatchTotal(deps.store, batch, nowMs);
    // Credits that arrived while the source was hot wait as pending entries: fold them in first.
    if (outcome === "insufficient_funds" && (await foldPendingCredits(deps.store, batch.source)))
      outcome = await reserveBatchTotal(deps.store, batch, nowMs);
    const log = { batchId, merchantId: batch.merchantId, amount: batch.amountTotal };
    if (outcome === "insufficient_funds") {
      await failUnfundedBatch(deps.store, batch, nowMs);
      deps.logger.info("batch failed: insufficient funds", log);
      return "failed";
    }
    if (outcome === "reserved") {
      deps.logger.info("batch reserved", log);
      deps.faults.inject("release.after-reserve", batch.metadata);
      deps.faults.inject("release.before-dispatch", batch.metadata);
      await dispatchChunks(deps, batch, nowMs, false);
      return "released";
    }
    // Someone else moved it (another release, a cancel): act on what it is now.
    batch = await readBatch(deps.store, batchId);
    if (!batch) return "nothing_to_do";
  }
  if (batch.status === "processing" && batch.dispatchedAtMs === null) {
    // This is a redelivery after a release that reserved but did not finish sending.
    deps.faults.inject("release.before-dispatch", batch.metadata);
    await dispatchChunks(deps, batch, nowMs, false);
    return "redispatched";
  }
  return "nothing_to_do";
}
