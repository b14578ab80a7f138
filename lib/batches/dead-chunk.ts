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
  type ItemVerdict,
  itemPayout,
  judgeChunkItems,
  settleBatchItem,
} from "../domain/batches.js";
import type { Payment } from "../domain/payments.js";
import { type ChunkWrites, type Credit, commitChunk, fenceChunk } from "../ledger/batch-chunks.js";
import type { ChunkMessage } from "../queues/batch-queues.js";
import { type ChunkRound, readDestinations } from "./chunk-round.js";
import type { BatchDeps } from "./deps.js";
import { itemRules } from "./item-rules.js";
import type { ChunkOutcome } from "./pay-chunk.js";

/**
 * What a chunk that kept failing ends as. Its deliveries may have sent bank items to the rail before
 * failing, so the rail is asked about each bank item (never sent again): a payout it accepted is
 * recorded as paid and credited, one it declined as channel_declined, one it never received as
 * processing_error. Wallet items are paid here, judged exactly as the consumer judges them: a wallet
 * credit needs nothing outside this table, so whatever kept the chunk failing (throttling, a conflict
 * storm, a rail outage on its bank items) is no reason for a payee to go unpaid. Only an error of
 * this transaction itself leaves the message in the dead-letter queue, to be tried again.
 */
async function planDeadChunk(
  deps: BatchDeps,
  batch: Batch,
  chunk: BatchChunk,
  accounts: ReadonlyMap<string, Account>,
  refused: ReadonlySet<string>,
): Promise<ChunkWrites> {
  const verdicts = judgeChunkItems(batch, chunk.items, accounts, refused, await itemRules(deps, batch));
  const payments: Payment[] = [];
  const results: ItemResult[] = await Promise.all(
    chunk.items.map(async (item, position): Promise<ItemResult> => {
      const account = accounts.get(item.destination);
      const verdict = verdicts[position] as ItemVerdict;
      let settled: ReturnType<typeof settleBatchItem>;
      if (account?.type === "bank" && account.merchantId === batch.merchantId) {
        const status = await deps.rail.status(payoutFor(itemPayout(batch, chunk, position), account));
        if (status === "unknown")
          return { status: "failed", failureCode: "processing_error", paymentId: null };
        settled = settleBatchItem(
          batch,
          chunk,
          position,
          "bank",
          status === "accepted" ? null : "channel_declined",
        );
      } else {
        settled =
          verdict.kind === "pay"
            ? settleBatchItem(batch, chunk, position, verdict.channel, null)
            : settleBatchItem(batch, chunk, position, null, verdict.code);
      }
      payments.push(settled.payment);
      return settled.result;
    }),
  );
  const credits: Credit[] = [...creditsByDestination(chunk.items, results)].map(([destination, amount]) => ({
    destination,
    amount,
    type: accounts.get(destination)?.type === "bank" ? "bank" : "wallet",
    currency: accounts.get(destination)?.currency,
  }));
  return { results, payments, credits };
}

/** A consumer that claimed a send before the fence may still be sending: ask the rail later. */
export class RailSendersRunningError extends Error {
  override name = "RailSendersRunningError";
}

/** The dead-letter path: a chunk that kept failing ends with every item terminal, truthfully. */
export async function endDeadChunk(
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
    const refused = new Set<string>();
    let current = accounts;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0)
        current = await readDestinations(
          deps,
          chunk.items.map((item) => item.destination),
        );
      const plan = await planDeadChunk(deps, batch, chunk, current, refused);
      const outcome = await commitChunk(deps.store, batch, chunk, plan, round.nowMs);
      if (outcome.kind === "credit_refused") {
        // A destination filled up since it was read: its items fail with balance_limit_exceeded.
        if (attempt === 2)
          throw new Error(`dead chunk ${chunk.batchId}/${chunk.index}: destinations kept refusing credits`);
        for (const destination of outcome.destinations) refused.add(destination);
        continue;
      }
      if (outcome.kind === "committed") {
        const count = (status: ItemResult["status"], code?: string) =>
          plan.results.filter((result) => result.status === status && (!code || result.failureCode === code))
            .length;
        deps.logger.warn("dead chunk: ended by the dead-letter drain", {
          batchId: batch.id,
          merchantId: batch.merchantId,
          chunk: chunk.index,
          items: chunk.items.length,
          succeeded: count("succeeded"),
          failed: count("failed"),
          processingError: count("failed", "processing_error"),
        });
        deps.metrics?.batchItemsProcessingError(count("failed", "processing_error"));
      }
      break;
    }
  }
  round.checkCompletion(message, batch);
  return "paid";
}
