// Owns completing a batch: when the counter shards say every item is terminal, the batch becomes
// `completed` and its unspent reservation returns to the source, once (conditional on `processing`).
import { type Batch, decideFinalize } from "../domain/batches.js";
import { completeBatch, readTally } from "../ledger/batch-chunks.js";
import type { BatchDeps } from "./deps.js";

/** Completes `batch` if its last item is done; true when this call completed it. */
export async function completeIfDone(deps: BatchDeps, batch: Batch, nowMs: number): Promise<boolean> {
  if (batch.status !== "processing") return false;
  const { tally } = await readTally(deps.store, batch.id);
  const decision = decideFinalize(batch, tally);
  if (decision.kind === "wait") return false;
  const completed = await completeBatch(deps.store, batch, decision.tally, decision.refund, nowMs);
  if (completed) {
    deps.logger.info("batch completed", {
      batchId: batch.id,
      merchantId: batch.merchantId,
      succeeded: decision.tally.succeeded,
      failed: decision.tally.failed,
      refund: decision.refund,
    });
  }
  return completed;
}
