import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { chunkRound } from "../../lib/batches/chunk-round.js";
import { endDeadChunk, RailSendersRunningError } from "../../lib/batches/dead-chunk.js";
import type { BatchDeps } from "../../lib/batches/deps.js";
import { payChunk } from "../../lib/batches/pay-chunk.js";
import { releaseBatch } from "../../lib/batches/release.js";
import { type BankRail, sandboxBankRail } from "../../lib/channels/bank-rail.js";
import { itemPaymentId } from "../../lib/domain/batches.js";
import { faultsFrom } from "../../lib/faults.js";
import { readBatch } from "../../lib/ledger/batches.js";
import { tableRailBooks } from "../../lib/ledger/rail-books.js";
import type { ChunkMessage } from "../../lib/queues/batch-queues.js";
import { allItems, awaitBatch } from "../support/batches.js";
import {
  balanceOf,
  ledgerStore,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";

// The dead-letter drain racing a live copy of the same chunk, interleaved deterministically in this
// process against the stack's DynamoDB. The drain and the copy each get their own rail port (the
// injected hook): the same sandbox rail and books, with pauses at the points where the race is lost.
// Whatever the interleaving, an item ends as the rail decided: paid out and `succeeded`, or never
// received and `failed` with its money back; never paid out and refunded.

const SENDERS_DONE_AFTER_MS = 90_000;

function deps(rail: BankRail, sent: ChunkMessage[] = []): BatchDeps {
  return {
    store: ledgerStore(),
    queues: {
      async sendRelease() {},
      async sendChunks(batchId, chunks) {
        for (const chunk of chunks) sent.push({ batch_id: batchId, chunk });
      },
      async retryAfter() {},
      async itemsBacklog() {
        return 0;
      },
    },
    rail,
    faults: faultsFrom(undefined),
    logger: new Logger({ serviceName: "payrail-test", logLevel: "SILENT" }),
    stalledAfterMs: 300_000,
    railSendersDoneAfterMs: SENDERS_DONE_AFTER_MS,
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sandbox = () => sandboxBankRail({ latencyMs: 0, books: tableRailBooks(ledgerStore()) });

/** A released one-item batch paying `amount` to a fresh bank account; its chunk message is kept here. */
async function releasedBankBatch(merchant: TestMerchant, amount: number) {
  const source = await openWallet(merchant, "USD", 10_000);
  const bank = await openBankAccount(merchant, "000777000001");
  const dueAt = new Date(Date.now() + 86_400_000);
  const created = await merchant.http.post("/v1/batches", {
    source,
    currency: "USD",
    scheduled_at: dueAt.toISOString(),
    items: [{ id: "payee", destination: bank, amount }],
  });
  expect(created.status, created.text).toBe(202);
  const sent: ChunkMessage[] = [];
  expect(await releaseBatch(deps(sandbox(), sent), created.body.id, dueAt.getTime() + 1_000)).toBe(
    "released",
  );
  const message = sent[0] as ChunkMessage;
  return { batchId: created.body.id as string, source, bank, message, releasedAt: dueAt.getTime() + 1_000 };
}

/** What the rail knows of the batch's only item (its payment id is derived from the batch and position). */
async function railStatusOf(batchId: string): Promise<string> {
  const batch = await readBatch(ledgerStore(), batchId);
  if (!batch) throw new Error(`no batch ${batchId}`);
  return sandbox().status({
    paymentId: itemPaymentId(batch, 0),
    livemode: false,
    accountNumber: "",
    accountLast4: "0001",
    routingNumber: "110000000",
    amount: batch.amountTotal,
    currency: "USD",
  });
}

async function finish(round: ReturnType<typeof chunkRound>) {
  await round.finish();
}

describe("the dead-letter drain and a live copy of the same chunk", () => {
  it("a copy that starts while the drain waits between its rail question and its commit does not send", async () => {
    const merchant = await newMerchant("fence-question");
    const { batchId, source, bank, message, releasedAt } = await releasedBankBatch(merchant, 4_000);
    const rail = sandbox();
    const asked = deferred();
    const copySent = deferred();
    const copyDone = deferred();
    const drainDone = deferred();
    // The drain pauses after the rail answered its question until the copy has sent (or given up).
    const drainRail: BankRail = {
      ...rail,
      send: (instruction) => rail.send(instruction),
      async status(instruction) {
        const status = await rail.status(instruction);
        asked.resolve();
        await Promise.race([copySent.promise, copyDone.promise]);
        return status;
      },
    };
    // The copy pauses after its send until the drain has committed, so the drain's commit comes first.
    const copyRail: BankRail = {
      ...rail,
      async send(instruction) {
        const result = await rail.send(instruction);
        copySent.resolve();
        await drainDone.promise;
        return result;
      },
      status: (instruction) => rail.status(instruction),
    };
    const drainDeps = deps(drainRail);
    const drainRound = chunkRound(drainDeps, [message], releasedAt + 10_000);
    const drain = endDeadChunk(drainDeps, drainRound, message).finally(() => drainDone.resolve());
    await asked.promise;
    const copyDeps = deps(copyRail);
    const copyRound = chunkRound(copyDeps, [message], releasedAt + 10_000);
    const copy = payChunk(copyDeps, copyRound, message).finally(() => copyDone.resolve());
    const [drained, copied] = await Promise.all([drain, copy]);
    await Promise.all([finish(drainRound), finish(copyRound)]);

    expect({ drained, copied }).toEqual({ drained: "paid", copied: "skipped" });
    expect(await railStatusOf(batchId)).toBe("unknown");
    const batch = await awaitBatch(merchant, batchId);
    expect(batch.status).toBe("completed");
    const items = await allItems(merchant, batchId);
    expect(items.map((item) => [item.status, item.failure_code])).toEqual([["failed", "processing_error"]]);
    expect(await balanceOf(merchant, bank)).toBe(0);
    expect(await balanceOf(merchant, source)).toBe(10_000);
  });

  it("a drain that finds a send claimed before its fence asks the rail only after the sender's timeout", async () => {
    const merchant = await newMerchant("fence-claimed");
    const { batchId, source, bank, message, releasedAt } = await releasedBankBatch(merchant, 3_000);
    const rail = sandbox();
    const sending = deferred();
    const drainTried = deferred();
    let drainQuestions = 0;
    // The copy has claimed its send and is slow to deliver it: it sends only after the drain tried.
    const copyRail: BankRail = {
      ...rail,
      async send(instruction) {
        sending.resolve();
        await drainTried.promise;
        return rail.send(instruction);
      },
      status: (instruction) => rail.status(instruction),
    };
    const drainRail: BankRail = {
      ...rail,
      send: (instruction) => rail.send(instruction),
      status(instruction) {
        drainQuestions++;
        return rail.status(instruction);
      },
    };
    const copyDeps = deps(copyRail);
    const copyRound = chunkRound(copyDeps, [message], releasedAt + 10_000);
    const copy = payChunk(copyDeps, copyRound, message);
    await sending.promise;

    // Right away: the claim is recent, so the drain fences and leaves the question for later.
    const drainDeps = deps(drainRail);
    const early = chunkRound(drainDeps, [message], Date.now());
    await expect(endDeadChunk(drainDeps, early, message)).rejects.toBeInstanceOf(RailSendersRunningError);
    expect(drainQuestions).toBe(0);
    drainTried.resolve();
    expect(await copy).toBe("paid");
    await finish(copyRound);

    // Once the sender's timeout has passed, the drain finds the chunk paid by the copy and the
    // batch completed: nothing is left for it to do.
    const later = chunkRound(drainDeps, [message], Date.now() + SENDERS_DONE_AFTER_MS + 1_000);
    expect(await endDeadChunk(drainDeps, later, message)).toBe("skipped");
    await finish(later);
    expect(drainQuestions).toBe(0);
    expect(await railStatusOf(batchId)).toBe("accepted");
    expect((await allItems(merchant, batchId)).map((item) => item.status)).toEqual(["succeeded"]);
    expect(await balanceOf(merchant, bank)).toBe(3_000);
    expect(await balanceOf(merchant, source)).toBe(7_000);
  });

  it("a drain that finds no claimed send asks at once, and a copy arriving after the fence sends nothing", async () => {
    const merchant = await newMerchant("fence-unclaimed");
    const { batchId, source, bank, message, releasedAt } = await releasedBankBatch(merchant, 2_000);
    const drainDeps = deps(sandbox());
    const round = chunkRound(drainDeps, [message], releasedAt + 10_000);
    expect(await endDeadChunk(drainDeps, round, message)).toBe("paid");
    await finish(round);
    const copyDeps = deps(sandbox());
    const copyRound = chunkRound(copyDeps, [message], releasedAt + 20_000);
    expect(await payChunk(copyDeps, copyRound, message)).toBe("duplicate");
    await finish(copyRound);
    expect(await railStatusOf(batchId)).toBe("unknown");
    expect(await balanceOf(merchant, bank)).toBe(0);
    expect(await balanceOf(merchant, source)).toBe(10_000);
  });
});
