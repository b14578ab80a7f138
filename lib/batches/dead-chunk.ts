// Owns the dead-letter path of the items queue: a chunk that kept failing ends with every item
// terminal, truthfully. Its deliveries may have sent bank items to the rail before failing, so the
// rail is asked about each of them (never sent again) before anything is failed. A live copy of the
// chunk (an SQS duplicate, a stall re-dispatch) could still be sending while the drain asks, so the
// drain first fences the chunk (no copy may send from then on) and asks only once every send
// claimed before the fence has outlived the consumer's timeout (see fenceChunk in the ledger).

import { payoutFor } from "../channels/bank-rail.js";
import type { Account } from "../domain/accounts.js";
import {
  type Batch,
  type BatchChunk,
  creditsByDestination,
  type ItemResult,
  itemOrder,
  settleItem,
} from "../domain/batches.js";
import { type Payment, paymentFrom } from "../domain/payments.js";
import { type ChunkWrites, type Credit, commitChunk, fenceChunk } from "../ledger/batch-chunks.js";
import type { ChunkMessage } from "../queues/batch-queues.js";
import type { ChunkRound } from "./chunk-round.js";
import type { BatchDeps } from "./deps.js";
import type { ChunkOutcome } from "./pay-chunk.js";

/**
 * What a chunk that kept failing ends as. Its deliveries may have sent bank items to the rail before
 * failing, so the rail is asked about each bank item (never sent again): a payout it accepted is
 * recorded as paid and credited, one it declined as channel_declined, one it never received as
 * processing_error. Wallet items were never credited (that happens only in the chunk's transaction),
 * so they fail with processing_error. If the rail cannot be asked, the drain is retried later.
 */
async function planDeadChunk(
  deps: BatchDeps,
  batch: Batch,
  chunk: BatchChunk,
  accounts: ReadonlyMap<string, Account>,
): Promise<ChunkWrites> {
  const payments: Payment[] = [];
  const results: ItemResult[] = await Promise.all(
    chunk.items.map(async (item, position): Promise<ItemResult> => {
      const unpaid: ItemResult = { status: "failed", failureCode: "processing_error", paymentId: null };
      const account = accounts.get(item.destination);
      if (account?.type !== "bank") return unpaid;
      const order = itemOrder(batch, chunk, position);
      const status = await deps.rail.status(payoutFor(paymentFrom(order, "processing", "bank"), account));
      if (status === "unknown") return unpaid;
      const { payment, result } = settleItem(
        order,
        "bank",
        status === "accepted" ? null : "channel_declined",
      );
      payments.push(payment);
      return result;
    }),
  );
  const credits: Credit[] = [...creditsByDestination(chunk.items, results)].map(([destination, amount]) => ({
    destination,
    amount,
    type: "bank",
  }));
  return { results, payments, credits };
}

/** A consumer that claimed a send before the fence may still be sending: ask the rail later. */
export class RailSendersRunningError extends Error {
  override name = "RailSendersRunningError";
}

/** The dead-letter path: a chunk that kept failing ends with every item terminal, truthfully. */
export async function failDeadChunk(
  deps: BatchDeps,
  round: ChunkRound,
  message: ChunkMessage,
): Promise<ChunkOutcome> {
  const { batch, chunk } = await round.read(message);
  if (!batch || !chunk || batch.status !== "processing") return "skipped";
  if (!chunk.results) {
    const accounts = await round.destinations(chunk);
    if (chunk.items.some((item) => accounts.get(item.destination)?.type === "bank")) {
      const fence = await fenceChunk(deps.store, chunk, round.nowMs);
      if (fence.kind === "processed") {
        // A live copy finished the chunk after all; only the completion check is left.
        round.checkCompletion(message, batch);
        return "paid";
      }
      const sendersDoneAt = (fence.lastClaimMs ?? 0) + deps.railSendersDoneAfterMs;
      if (fence.lastClaimMs !== null && round.nowMs < sendersDoneAt) {
        // The message comes back after the dead-letter queue's visibility timeout (longer).
        throw new RailSendersRunningError(
          `dead chunk ${chunk.batchId}/${chunk.index}: a send claimed at ${fence.lastClaimMs} may still run until ${sendersDoneAt}`,
        );
      }
    }
    const plan = await planDeadChunk(deps, batch, chunk, accounts);
    const outcome = await commitChunk(deps.store, batch, chunk, plan, round.nowMs);
    if (outcome.kind === "credit_refused")
      throw new Error(`dead chunk ${chunk.batchId}/${chunk.index}: a bank account refused its credit`);
    if (outcome.kind === "committed") {
      const paid = plan.results.filter((result) => result.status === "succeeded").length;
      deps.logger.warn("dead chunk: items failed with processing_error", {
        batchId: batch.id,
        merchantId: batch.merchantId,
        chunk: chunk.index,
        items: chunk.items.length,
        paidByTheRail: paid,
        failed: chunk.items.length - paid,
      });
    }
  }
  round.checkCompletion(message, batch);
  return "paid";
}
