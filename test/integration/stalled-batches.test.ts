import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import type { BatchDeps } from "../../lib/batches/deps.js";
import { releaseBatch } from "../../lib/batches/release.js";
import { sweepActiveBatches } from "../../lib/batches/sweep.js";
import { sandboxBankRail } from "../../lib/channels/bank-rail.js";
import { faultsFrom } from "../../lib/faults.js";
import { tableRailBooks } from "../../lib/ledger/rail-books.js";
import type { ChunkMessage } from "../../lib/queues/batch-queues.js";
import { ledgerStore, newMerchant, openWallet } from "../support/fixtures.js";

// The scheduler's stall rule, run in this process against the stack's DynamoDB with a queue port
// that keeps what it is sent (so no consumer ever pays these chunks) and reports a chosen backlog.

function deps(backlog: number, sent: ChunkMessage[]): BatchDeps {
  const store = ledgerStore();
  return {
    store,
    queues: {
      async sendRelease() {},
      async sendChunks(batchId, chunks) {
        for (const chunk of chunks) sent.push({ batch_id: batchId, chunk });
      },
      async retryAfter() {},
      async itemsBacklog() {
        return backlog;
      },
    },
    rail: sandboxBankRail({ latencyMs: 0, books: tableRailBooks(store) }),
    faults: faultsFrom(undefined),
    logger: new Logger({ serviceName: "payrail-test", logLevel: "SILENT" }),
    stalledAfterMs: 300_000,
    railSendersDoneAfterMs: 90_000,
  };
}

describe("stalled batches", () => {
  it("does not send again a batch merely waiting in a long items queue after 300 s, and does once the queue is empty", async () => {
    const merchant = await newMerchant("stall-queue");
    const source = await openWallet(merchant, "USD", 10_000);
    const payee = await openWallet(merchant, "USD");
    const dueAt = Date.now() + 86_400_000;
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(dueAt).toISOString(),
      items: Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, destination: payee, amount: 10 })),
    });
    expect(created.status).toBe(202);
    const batchId = created.body.id as string;
    const released: ChunkMessage[] = [];
    expect(await releaseBatch(deps(0, released), batchId, dueAt + 1_000)).toBe("released");
    expect(released.map((m) => m.chunk)).toEqual([0, 1]);

    // Ten minutes later nothing of it was paid, but 40,000 messages wait in the queue ahead of it.
    const later = dueAt + 600_000;
    const whileBusy: ChunkMessage[] = [];
    await sweepActiveBatches(deps(40_000, whileBusy), later);
    expect(whileBusy.filter((m) => m.batch_id === batchId)).toEqual([]);

    // The queue is empty and the batch still has unpaid chunks: its messages were lost.
    const whenIdle: ChunkMessage[] = [];
    await sweepActiveBatches(deps(0, whenIdle), later);
    expect(whenIdle.filter((m) => m.batch_id === batchId).map((m) => m.chunk)).toEqual([0, 1]);
  });
});
