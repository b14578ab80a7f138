// Owns paying one chunk of a batch, the unit of work of the items queue. The destinations (read for
// the whole invocation, see chunk-round.ts) are judged by the pure item rules; bank items go over
// the rail (idempotent per payment id, and the ids are derived from the item's position, so a retry
// repeats the same reference); then one transaction records everything. A chunk already processed
// is a duplicate delivery and writes nothing. After the writes, the round checks whether the batch
// is done.

import { type BankRail, type PayoutResult, type PayoutStatus, payoutFor } from "../channels/bank-rail.js";
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
import type { Channel, Payment } from "../domain/payments.js";
import { type ChunkWrites, type Credit, claimRailSend, commitChunk } from "../ledger/batch-chunks.js";
import type { ChunkMessage } from "../queues/batch-queues.js";
import type { PaymentFailureCode } from "../schemas/payments.js";
import { type ChunkRound, readDestinations } from "./chunk-round.js";
import type { BatchDeps } from "./deps.js";
import { itemRules } from "./item-rules.js";

export type ChunkOutcome = "paid" | "duplicate" | "skipped";

/** The dead-letter drain owns the chunk (see fenceChunk): this copy must not send it to the rail. */
export class ChunkFencedError extends Error {
  override name = "ChunkFencedError";
}

/** Thrown when the rail neither answered the send nor the status question: retry the message. */
export class RailUnavailableError extends Error {
  override name = "RailUnavailableError";
}

async function railDecision(
  rail: BankRail,
  payment: { id: string; merchantId: string; amount: number; currency: string },
  account: Account,
): Promise<PayoutResult> {
  const instruction = payoutFor(payment, account);
  try {
    return await rail.send(instruction);
  } catch (sendError) {
    let status: PayoutStatus;
    try {
      status = await rail.status(instruction);
    } catch (error) {
      throw new RailUnavailableError(`bank rail unavailable for ${payment.id}`, { cause: error });
    }
    // Never received: nothing was paid, and the message's retry sends it again.
    if (status === "unknown")
      throw new RailUnavailableError(`bank rail did not receive ${payment.id}`, { cause: sendError });
    return status;
  }
}

async function planChunk(
  deps: BatchDeps,
  batch: Batch,
  chunk: BatchChunk,
  accounts: ReadonlyMap<string, Account>,
  refused: ReadonlySet<string>,
): Promise<ChunkWrites> {
  const verdicts = judgeChunkItems(batch, chunk.items, accounts, refused, await itemRules(deps, batch));
  const sendsToRail = verdicts.some((verdict) => verdict.kind === "pay" && verdict.channel === "bank");
  // Claimed right before sending, so the drain's fence either refuses this claim or sees it and waits.
  if (sendsToRail && !(await claimRailSend(deps.store, chunk, Date.now())))
    throw new ChunkFencedError(`chunk ${chunk.batchId}/${chunk.index} is owned by the dead-letter drain`);

  const payments: Payment[] = [];
  const results: ItemResult[] = await Promise.all(
    chunk.items.map(async (item, position): Promise<ItemResult> => {
      const verdict = verdicts[position] as ItemVerdict;
      let code: PaymentFailureCode | null = verdict.kind === "fail" ? verdict.code : null;
      let channel: Channel | null = verdict.kind === "pay" ? verdict.channel : null;
      if (code === null && channel === "bank") {
        const account = accounts.get(item.destination) as Account;
        const decision = await railDecision(deps.rail, itemPayout(batch, chunk, position), account);
        if (decision === "declined") code = "channel_declined";
      }
      if (code !== null && channel === "ledger") channel = null;
      const { payment, result } = settleBatchItem(batch, chunk, position, channel, code);
      payments[position] = payment;
      return result;
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

/** Pays one chunk exactly once, however often its message arrives. */
export async function payChunk(
  deps: BatchDeps,
  round: ChunkRound,
  message: ChunkMessage,
): Promise<ChunkOutcome> {
  const { batch, chunk } = await round.read(message);
  const log = { batchId: message.batch_id, chunk: message.chunk };
  if (!batch || !chunk) {
    deps.logger.error("chunk message for an unknown batch or chunk", log);
    return "skipped";
  }
  if (chunk.results) {
    // Duplicate delivery (or a retry after a crash that followed the write): finish what the first
    // delivery may not have, the completion check.
    round.checkCompletion(message, batch);
    return "duplicate";
  }
  if (batch.status !== "processing") {
    // Chunks are only sent after the total was reserved; anything else is a stray message.
    deps.logger.error("chunk message for a batch that is not processing", { ...log, status: batch.status });
    return "skipped";
  }
  deps.faults.inject("consume.before-write", batch.metadata);
  const refused = new Set<string>();
  let accounts = await round.destinations(chunk);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0)
      accounts = await readDestinations(
        deps,
        chunk.items.map((item) => item.destination),
      );
    let plan: ChunkWrites;
    try {
      plan = await planChunk(deps, batch, chunk, accounts, refused);
    } catch (error) {
      if (!(error instanceof ChunkFencedError)) throw error;
      // The drain ends every item of this chunk; this message has nothing left to do.
      deps.logger.warn("chunk fenced by the dead-letter drain; not sent", log);
      return "skipped";
    }
    deps.faults.inject("consume.before-commit", batch.metadata);
    const outcome = await commitChunk(deps.store, batch, chunk, plan, round.nowMs);
    if (outcome.kind === "credit_refused") {
      for (const destination of outcome.destinations) refused.add(destination);
      continue;
    }
    if (outcome.kind === "committed") deps.faults.inject("consume.after-write", batch.metadata);
    round.checkCompletion(message, batch);
    return outcome.kind === "committed" ? "paid" : "duplicate";
  }
  throw new Error(`chunk ${message.batch_id}/${message.chunk}: destinations kept refusing credits`);
}
