// Owns releasing a batch: reserve the whole total from the source wallet in one transaction (or
// fail the batch unfunded), then send one message per chunk. Safe to run again at any point: a
// second release finds the batch reserved and only re-sends chunks if the first never finished.
import { type Batch, isDue } from "../domain/batches.js";
import {
  failBatchAtRelease,
  markDispatched,
  type ReserveOutcome,
  readBatch,
  reserveBatchTotal,
  unprocessedChunks,
} from "../ledger/batches.js";
import { foldPendingCredits } from "../ledger/credits.js";
import { itemKey, SK } from "../ledger/keys.js";
import { getKeys } from "../ledger/reads.js";
import type { Item } from "../ledger/records.js";
import type { BatchFailureCode } from "../schemas/batches.js";
import type { BatchDeps } from "./deps.js";
import { lockBatchRates } from "./fx.js";
import { itemRules } from "./item-rules.js";
import { judgeRelease, outflowRules } from "./release-rules.js";

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

/** Debits that lost a race for the source's room in a row before the release is tried again later. */
const MAX_RESERVE_ATTEMPTS = 5;

type Reserved =
  | { outcome: Exclude<ReserveOutcome, "insufficient_funds"> }
  | { outcome: "refused"; code: BatchFailureCode };

/**
 * Reserves the batch's total under the source's outflow rules (release-rules.ts). When the debit's
 * condition fails, the source is read once to tell why: a rule broken on the exact counters or
 * funds missing (after folding pending credits once) refuse the batch with that code; a guard that
 * only the fast path needed is replaced by the exact one and the debit tried again.
 */
async function reserveWithinRules(deps: BatchDeps, batch: Batch, nowMs: number): Promise<Reserved> {
  const rules = outflowRules((await itemRules(deps, batch, nowMs))?.rules ?? []);
  let judged = judgeRelease(rules, batch.amountTotal, nowMs);
  let folded = false;
  for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
    let source: Item | null | undefined;
    if (judged.kind === "read") {
      source = await readSource(deps, batch);
      judged = judgeRelease(rules, batch.amountTotal, nowMs, source);
    }
    if (judged.kind === "broken") return { outcome: "refused", code: judged.code };
    if (judged.kind === "read") throw new Error("the rules asked for the counters they were given");
    const outcome = await reserveBatchTotal(deps.store, batch, nowMs, judged.risk);
    if (outcome !== "insufficient_funds") return { outcome };
    source = await readSource(deps, batch);
    judged = judgeRelease(rules, batch.amountTotal, nowMs, source);
    if (judged.kind === "broken") return { outcome: "refused", code: judged.code };
    if (Number(source?.balance ?? 0) >= batch.amountTotal) continue;
    // Credits that arrived while the source was hot wait as pending entries: fold them in first.
    if (!folded && (await foldPendingCredits(deps.store, batch.source))) {
      folded = true;
      continue;
    }
    return { outcome: "refused", code: "insufficient_funds" };
  }
  // Payments kept taking the room between the read and the debit: the release queue tries again.
  throw new Error(`batch ${batch.id}: the source's outflow guard kept failing under contention`);
}

async function readSource(deps: BatchDeps, batch: Batch): Promise<Item | null> {
  const items = await getKeys(deps.store, [itemKey(batch.source, SK.account)]);
  return items.get(batch.source) ?? null;
}

export async function releaseBatch(deps: BatchDeps, batchId: string, nowMs: number): Promise<ReleaseOutcome> {
  let batch = await readBatch(deps.store, batchId);
  if (!batch) return "nothing_to_do";
  // A scheduled batch is released by the scheduler (which marks it queued first), never early.
  if (batch.status === "scheduled" && !isDue(batch, nowMs)) return "nothing_to_do";
  if (batch.status === "scheduled" || batch.status === "queued") {
    // A cross-currency batch locks its rates now and reserves the exact cost of its items.
    if (batch.fx) batch = { ...batch, ...(await lockBatchRates(deps, batch, nowMs)) };
    const reserved = await reserveWithinRules(deps, batch, nowMs);
    const outcome = reserved.outcome;
    const log = { batchId, merchantId: batch.merchantId, amount: batch.amountTotal };
    if (outcome === "refused") {
      await failBatchAtRelease(deps.store, batch, nowMs, reserved.code);
      deps.logger.info(`batch failed: ${reserved.code}`, log);
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
