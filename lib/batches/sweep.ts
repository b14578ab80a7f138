// Owns the scheduler's batch duties, driven by the clock it is given (the EventBridge event's time):
// release batches whose time has come, complete active batches whose items are all terminal, and
// re-send the unprocessed chunks of active batches that stopped making progress (lost messages).
// Every step is conditional in the ledger, so a sweep racing a worker changes nothing twice.
import { type BatchProgress, isStalled } from "../domain/batches.js";
import { readTally } from "../ledger/batch-chunks.js";
import { activeBatchIds, dueBatchIds, markQueued, readBatch } from "../ledger/batches.js";
import { completeIfDone } from "./complete.js";
import type { BatchDeps } from "./deps.js";
import { dispatchChunks } from "./release.js";

export interface ReleaseReport {
  released: number;
}

export async function releaseDueBatches(deps: BatchDeps, nowMs: number): Promise<ReleaseReport> {
  let released = 0;
  for (const id of await dueBatchIds(deps.store, nowMs)) {
    const batch = await readBatch(deps.store, id);
    if (!batch) continue;
    // Due scheduled batches become queued (no longer cancelable) before the release is requested,
    // so the release worker, which runs on its own clock, accepts them.
    if (batch.status === "scheduled" && !(await markQueued(deps.store, batch, nowMs))) continue;
    if (batch.status !== "scheduled" && batch.status !== "queued") continue;
    await deps.queues.sendRelease(id);
    released++;
  }
  return { released };
}

export interface ActiveSweepReport {
  completed: number;
  redispatched: number;
}

export async function sweepActiveBatches(deps: BatchDeps, nowMs: number): Promise<ActiveSweepReport> {
  const report: ActiveSweepReport = { completed: 0, redispatched: 0 };
  const pending: { batch: NonNullable<Awaited<ReturnType<typeof readBatch>>>; progress: BatchProgress }[] =
    [];
  for (const id of await activeBatchIds(deps.store)) {
    const batch = await readBatch(deps.store, id);
    // The work index is eventually consistent: a batch completed a moment ago may still be listed.
    if (batch?.status !== "processing") continue;
    if (await completeIfDone(deps, batch, nowMs)) {
      report.completed++;
      continue;
    }
    const { updatedAtMs } = await readTally(deps.store, id);
    const sentAtMs =
      batch.dispatchedAtMs === null ? null : Math.max(batch.dispatchedAtMs, batch.redispatchedAtMs ?? 0);
    pending.push({
      batch,
      progress: {
        id,
        sentAtMs,
        lastProgressMs: Math.max(batch.progressAtMs, updatedAtMs),
        lastPaidMs: updatedAtMs,
      },
    });
  }
  const everyone = pending.map(({ progress }) => progress);
  let backlog: number | undefined;
  for (const { batch, progress } of pending) {
    if (nowMs - progress.lastProgressMs < deps.stalledAfterMs) continue;
    // Asked only when some batch is old enough to be suspected, at most once per sweep.
    backlog ??= await deps.queues.itemsBacklog();
    if (!isStalled(progress, everyone, backlog, nowMs, deps.stalledAfterMs)) {
      deps.logger.info("batch waiting in the items queue; not sent again", { batchId: batch.id, backlog });
      continue;
    }
    const id = batch.id;
    const sent = await dispatchChunks(deps, batch, nowMs, true);
    deps.logger.warn("stalled batch: unprocessed chunks sent again", {
      batchId: id,
      merchantId: batch.merchantId,
      sent,
    });
    report.redispatched++;
  }
  return report;
}
