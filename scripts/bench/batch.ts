// Owns the batch benchmark: batches POSTed through HTTP and paid by the local SQS pollers invoking
// the item-consume Lambda, timed from the first POST until every batch reads `completed`; and their
// floor, DynamoDB Local's own throughput for the same chunk transactions (lib/ledger/batch-chunks.ts
// commitChunk, 25 payments + 25 credits + results + counter shard) sent straight with the SDK at the
// concurrency the consumers have.
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import {
  type Batch,
  type BatchChunk,
  type ChunkItem,
  chunkItems,
  creditsByDestination,
  type ItemResult,
  itemIndex,
  itemPaymentId,
} from "../../lib/domain/batches.js";
import { newId } from "../../lib/domain/ids.js";
import { type Payment, paymentFrom } from "../../lib/domain/payments.js";
import { commitChunk } from "../../lib/ledger/batch-chunks.js";
import { chunkItem } from "../../lib/ledger/batch-records.js";
import { inParallel } from "../../lib/ledger/batches.js";
import type { LedgerStore } from "../../lib/ledger/records.js";
import { readCounts, resetCounts } from "../local/dynamo-counter.js";
import { LatencyRecorder, type LatencySummary } from "./open-loop.js";
import type { BenchTenant } from "./tenant.js";

export interface BatchRun {
  items: number;
  batches: number;
  /** Milliseconds each POST took to answer 202 (client side, body already serialized). */
  postMs: number[];
  /** Each POST's Server-Timing header (request = parse + auth, channel = validate + store + enqueue). */
  postServerTiming: (string | undefined)[];
  /** Bytes of each POST body. */
  postBytes: number;
  /** From just before the first POST until the last batch was read as completed. */
  elapsedMs: number;
  itemsPerSecond: number;
  /** When each batch was first read as completed, from the first POST. */
  completedAtMs: number[];
  succeeded: number;
  failed: number;
  /** How often GET /v1/batches/{id} was polled (resolution of elapsedMs). */
  pollEveryMs: number;
  /** DynamoDB requests the handlers made during the run, by operation (polls and POSTs included). */
  dynamoRequests: Record<string, number>;
}

export interface RawChunkRun {
  items: number;
  transactions: number;
  concurrency: number;
  elapsedMs: number;
  itemsPerSecond: number;
  transactionsPerSecond: number;
  /** TransactWriteItems sent, retries after a TransactionConflict included. */
  attempts: number;
  /** Per transaction (retries included), closed loop. */
  latency: LatencySummary;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Item `n` of a run pays 1 minor unit to destination n mod the number of destinations. */
export function benchItems(count: number, destinations: readonly string[], offset = 0): ChunkItem[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `item-${offset + i}`,
    destination: destinations[(offset + i) % destinations.length] as string,
    amount: 1,
    description: null,
  }));
}

/**
 * POSTs `batches` batches of `itemsPerBatch` items one after another, then polls each until it is
 * completed (they finish roughly in order, so only the oldest unfinished one is polled).
 */
export async function runBatches(
  tenant: BenchTenant,
  counterUrl: string,
  source: string,
  destinations: readonly string[],
  batches: number,
  itemsPerBatch: number,
  options: { pollEveryMs: number; timeoutMs: number },
): Promise<BatchRun> {
  const payloads = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({
      source,
      currency: "USD",
      items: benchItems(itemsPerBatch, destinations, b * itemsPerBatch).map(
        ({ description: _, ...item }) => item,
      ),
    }),
  );
  await resetCounts(counterUrl);
  const ids: string[] = [];
  const postMs: number[] = [];
  const postServerTiming: (string | undefined)[] = [];
  const start = performance.now();
  for (const payload of payloads) {
    const sent = performance.now();
    const answer = await tenant.postJson("/v1/batches", payload);
    postMs.push(performance.now() - sent);
    postServerTiming.push(answer.serverTiming);
    if (answer.status !== 202) {
      throw new Error(`bench: POST /v1/batches answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    ids.push(answer.body.id as string);
  }
  const completedAtMs: number[] = [];
  let succeeded = 0;
  let failed = 0;
  for (const id of ids) {
    for (;;) {
      if (performance.now() - start > options.timeoutMs) {
        throw new Error(`bench: batch ${id} not completed after ${options.timeoutMs} ms`);
      }
      const answer = await tenant.get(`/v1/batches/${id}`);
      if (answer.status !== 200) throw new Error(`bench: GET /v1/batches/${id} answered ${answer.status}`);
      const { status, counts } = answer.body as { status: string; counts: Record<string, number> };
      if (status === "completed") {
        completedAtMs.push(performance.now() - start);
        succeeded += counts.succeeded ?? 0;
        failed += counts.failed ?? 0;
        break;
      }
      if (status !== "queued" && status !== "processing") {
        throw new Error(`bench: batch ${id} ended ${status}: ${JSON.stringify(answer.body)}`);
      }
      await sleep(options.pollEveryMs);
    }
  }
  const elapsedMs = Math.max(...completedAtMs);
  const items = batches * itemsPerBatch;
  return {
    items,
    batches,
    postMs,
    postServerTiming,
    postBytes: Buffer.byteLength(payloads[0] ?? ""),
    elapsedMs,
    itemsPerSecond: items / (elapsedMs / 1000),
    completedAtMs,
    succeeded,
    failed,
    pollEveryMs: options.pollEveryMs,
    dynamoRequests: (await readCounts(counterUrl)).operations,
  };
}

/**
 * The floor for `items` batch items: the chunk transactions a consumer commits for them, sent
 * straight to DynamoDB Local `concurrency` at a time. The chunk items are stored first, untimed, as
 * the POST stores them before any consumer runs (the transaction's guard needs them).
 */
export async function rawChunkThroughput(
  store: LedgerStore,
  merchantId: string,
  source: string,
  destinations: readonly string[],
  items: number,
  concurrency: number,
): Promise<RawChunkRun> {
  const nowMs = Date.now();
  const batch: Batch = {
    id: newId("batch", nowMs),
    merchantId,
    status: "processing",
    source,
    currency: "USD",
    scheduledAt: null,
    description: null,
    metadata: {},
    itemCount: items,
    amountTotal: items,
    chunkCount: Math.ceil(items / 25),
    failureCode: null,
    final: null,
    returned: { count: 0, amount: 0 },
    createdAt: Math.floor(nowMs / 1000),
    completedAt: null,
    releasedAtMs: nowMs,
  };
  const chunks: BatchChunk[] = chunkItems(benchItems(items, destinations)).map((chunkOfItems, index) => ({
    batchId: batch.id,
    index,
    merchantId,
    items: chunkOfItems,
    results: null,
    processedAt: null,
  }));
  const groups = chunkItems(chunks, 25);
  await inParallel(groups, 8, async (group) => {
    let requests: unknown[] = group.map((chunk) => ({ PutRequest: { Item: chunkItem(chunk) } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await store.dynamo.send(
        new BatchWriteCommand({ RequestItems: { [store.table]: requests as never } }),
      );
      requests = UnprocessedItems?.[store.table] ?? [];
    }
  });

  // What planChunk decides for an all-wallet chunk, precomputed so only the write is timed.
  const plans = chunks.map((chunk) => {
    const payments: Payment[] = chunk.items.map((item, position) =>
      paymentFrom(
        {
          id: itemPaymentId(batch, itemIndex(chunk.index, position)),
          merchantId,
          source,
          destination: item.destination,
          amount: item.amount,
          currency: "USD",
          batchId: batch.id,
          now: nowMs,
        },
        "succeeded",
        "ledger",
      ),
    );
    const results: ItemResult[] = payments.map((payment) => ({
      status: "succeeded",
      failureCode: null,
      paymentId: payment.id,
    }));
    const credits = [...creditsByDestination(chunk.items, results)].map(([destination, amount]) => ({
      destination,
      amount,
      type: "wallet" as const,
    }));
    return { chunk, payments, results, credits };
  });

  // Counts what reaches DynamoDB, so conflicts retried inside transact() show.
  let attempts = 0;
  const counted: LedgerStore = {
    table: store.table,
    dynamo: new Proxy(store.dynamo, {
      get(target, property, receiver) {
        if (property !== "send") return Reflect.get(target, property, receiver);
        return (...args: Parameters<typeof target.send>) => {
          attempts++;
          return target.send(...args);
        };
      },
    }),
  };
  const recorder = new LatencyRecorder();
  const start = performance.now();
  await inParallel(plans, concurrency, async (plan) => {
    const sent = performance.now();
    const outcome = await commitChunk(counted, batch, plan.chunk, plan, nowMs);
    recorder.record(sent, sent, performance.now(), outcome.kind === "committed");
  });
  const elapsedMs = performance.now() - start;
  recorder.addElapsed(elapsedMs / 1000);
  const latency = recorder.summary();
  recorder.destroy();
  if (latency.errors > 0) throw new Error(`bench: ${latency.errors} raw chunk transactions did not commit`);
  return {
    items,
    transactions: chunks.length,
    concurrency,
    elapsedMs,
    itemsPerSecond: items / (elapsedMs / 1000),
    transactionsPerSecond: chunks.length / (elapsedMs / 1000),
    attempts,
    latency,
  };
}
