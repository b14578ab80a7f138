import { Logger } from "@aws-lambda-powertools/logger";
import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { chunkWork } from "../../lib/batches/chunk-round.js";
import type { BatchDeps } from "../../lib/batches/deps.js";
import { payChunk } from "../../lib/batches/pay-chunk.js";
import { releaseBatch } from "../../lib/batches/release.js";
import { workOnRecords } from "../../lib/batches/sqs-records.js";
import { sandboxBankRail } from "../../lib/channels/bank-rail.js";
import { faultsFrom } from "../../lib/faults.js";
import { tableRailBooks } from "../../lib/ledger/rail-books.js";
import { type ChunkMessage, chunkMessageSchema } from "../../lib/queues/batch-queues.js";
import { readCounts, resetCounts } from "../../scripts/local/dynamo-counter.js";
import { localLedgerStore } from "../../scripts/local/local-clients.js";
import { sumOfBalances } from "../support/batches.js";
import { balanceOf, newMerchant, openWallet } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

// The item-consume handler's work (lib/batches), run in this process against the stack's DynamoDB
// through the counting pass-through, so one invocation's requests are counted exactly. The release
// is run here too, with a queue port that keeps the chunk messages instead of sending them, so the
// stack's SQS pollers never see them and the test decides how they are grouped.
function consumerDeps(sent: ChunkMessage[]): BatchDeps {
  const stack = stackContext();
  const store = localLedgerStore(stack.dynamoCounterUrl, stack.env.PAYRAIL_TABLE ?? "payrail-local");
  return {
    store,
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
    rail: sandboxBankRail({ latencyMs: 0, books: tableRailBooks(store) }),
    faults: faultsFrom(undefined),
    logger: new Logger({ serviceName: "payrail-test", logLevel: "SILENT" }),
    stalledAfterMs: 60_000,
    railSendersDoneAfterMs: 90_000,
  };
}

function sqsEvent(messages: ChunkMessage[]): SQSEvent {
  return {
    Records: messages.map((message, i) => ({
      messageId: `m${i}`,
      receiptHandle: `rh${i}`,
      body: JSON.stringify(message),
      attributes: { ApproximateReceiveCount: "1" },
      eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:payrail-test-items",
    })),
  } as SQSEvent;
}

describe("item-consume DynamoDB requests per invocation", () => {
  it("reads headers, chunks and destinations once for all 10 chunks and checks completion once", async () => {
    const merchant = await newMerchant("consumer-reads");
    const source = await openWallet(merchant, "USD", 1_000_000);
    const wallets = await Promise.all(Array.from({ length: 120 }, () => openWallet(merchant, "USD")));
    // 250 items = 10 chunks of 25; chunk c pays wallets 12c to 12c + 11, so the round reads 120
    // destinations and no two chunks credit the same wallet (no transaction conflicts to count).
    const walletOf = (i: number) => 12 * Math.floor(i / 25) + ((i % 25) % 12);
    const items = Array.from({ length: 250 }, (_, i) => ({
      id: `item-${i}`,
      destination: wallets[walletOf(i)] as string,
      amount: 100 + i,
    }));
    const total = items.reduce((sum, item) => sum + item.amount, 0);
    const scheduledAt = new Date(Date.now() + 86_400_000);
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items,
      scheduled_at: scheduledAt.toISOString(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const batchId = created.body.id as string;

    const messages: ChunkMessage[] = [];
    const deps = consumerDeps(messages);
    expect(await releaseBatch(deps, batchId, scheduledAt.getTime() + 1_000)).toBe("released");
    expect(messages.map((message) => message.chunk)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // One invocation of the item-consume work with the 10 messages; its DynamoDB requests, counted.
    const counter = stackContext().dynamoCounterUrl;
    const invoke = async () => {
      await resetCounts(counter);
      const answer = await workOnRecords(
        deps,
        sqsEvent(messages),
        chunkMessageSchema,
        chunkWork(deps, payChunk),
      );
      expect(answer).toEqual({ batchItemFailures: [] });
      return readCounts(counter);
    };
    const counts = await invoke();
    // 1 BatchGetItem for 10 chunks + 1 header, 2 for 120 destinations (100 keys per call); 10 chunk
    // transactions + the completion transaction; 1 Query of the tally, once for the batch.
    expect(counts).toEqual({
      total: 15,
      operations: { BatchGetItem: 3, TransactWriteItems: 11, Query: 1 },
      conflicts: {},
    });

    const batch = await merchant.http.get(`/v1/batches/${batchId}`);
    expect(batch.body).toMatchObject({
      status: "completed",
      counts: { total: 250, pending: 0, succeeded: 250, failed: 0, returned: 0 },
      amounts: { total, succeeded: total, failed: 0, returned: 0 },
    });
    const toFirst = items.filter((_, i) => walletOf(i) === 0).reduce((sum, item) => sum + item.amount, 0);
    expect(await balanceOf(merchant, wallets[0] as string)).toBe(toFirst);
    expect(await balanceOf(merchant, source)).toBe(1_000_000 - total);
    expect(await sumOfBalances(merchant)).toBe(1_000_000);

    // The same 10 messages again (a redelivery): one read finds every chunk processed, nothing else.
    expect(await invoke()).toEqual({ total: 1, operations: { BatchGetItem: 1 }, conflicts: {} });
    expect(await balanceOf(merchant, source)).toBe(1_000_000 - total);
    expect(await sumOfBalances(merchant)).toBe(1_000_000);
  });
});
