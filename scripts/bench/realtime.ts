// Owns the real-time benchmark: payments through HTTP at concurrency 1 and 16, next to its two
// floors measured the same way in the same run (an authenticated no-op through the same HTTP stack,
// and the payment's own TransactWriteItems sent straight to DynamoDB Local with the SDK).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { newId } from "../../lib/domain/ids.js";
import { paymentFrom } from "../../lib/domain/payments.js";
import { commitLedgerPayment } from "../../lib/ledger/payments.js";
import type { LedgerStore } from "../../lib/ledger/records.js";
import { readCounts, resetCounts } from "../local/dynamo-counter.js";
import { closedLoop, type LatencySummary, openLoop } from "./open-loop.js";
import type { BenchTenant } from "./tenant.js";

export interface RealtimeFigures {
  concurrency: number;
  rate: number;
  payment: LatencySummary;
  noop: LatencySummary;
  rawTransaction: LatencySummary;
}

export interface RequestCountFigures {
  fresh: Record<string, number>;
  replay: Record<string, number>;
  declined: Record<string, number>;
}

const WARMUP_MS = 3_000;

export function directStore(dynamoEndpoint: string, table: string): LedgerStore {
  const client = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return { dynamo: DynamoDBDocumentClient.from(client), table };
}

export async function measureRealtime(
  tenant: BenchTenant,
  store: LedgerStore,
  concurrency: number,
  durationMs: number,
): Promise<RealtimeFigures> {
  // One source wallet per client, so clients measure the API rather than contention on one item.
  const pairs = await Promise.all(
    Array.from({ length: concurrency }, () => tenant.walletPair(1_000_000_000)),
  );
  const pay = async (client: number) => {
    const pair = pairs[client]!;
    const answer = await tenant.post("/v1/payments", {
      source: pair.source,
      destination: pair.destination,
      amount: 1,
      currency: "USD",
    });
    return answer.status === 201;
  };
  const noop = async () => (await tenant.get("/v1/ping")).status === 200;
  const raw = async (client: number) => {
    const pair = pairs[client]!;
    const now = Date.now();
    const payment = paymentFrom(
      { id: newId("payment", now), merchantId: tenant.merchantId, now, ...pair, amount: 1, currency: "USD" },
      "succeeded",
      "ledger",
    );
    return commitLedgerPayment(store, payment, undefined);
  };

  await closedLoop(concurrency, WARMUP_MS, pay);
  await closedLoop(concurrency, WARMUP_MS / 3, noop);
  // The sustainable rate at this concurrency, then an open-loop run at 80% of it.
  const capacity = await closedLoop(concurrency, durationMs / 2, pay);
  const rate = Math.max(1, Math.floor(capacity.perSecond * 0.8));
  return {
    concurrency,
    rate,
    payment: await openLoop(concurrency, rate, durationMs, pay),
    noop: await openLoop(concurrency, rate, durationMs, noop),
    rawTransaction: await openLoop(concurrency, rate, durationMs, raw),
  };
}

/** DynamoDB requests per payment, counted at the pass-through in front of DynamoDB Local. */
export async function countRequests(tenant: BenchTenant, counterUrl: string): Promise<RequestCountFigures> {
  const pair = await tenant.walletPair(10);
  const body = { source: pair.source, destination: pair.destination, amount: 1, currency: "USD" };
  await tenant.post("/v1/payments", body); // warm the container and its key cache
  const measure = async (send: () => Promise<unknown>) => {
    await resetCounts(counterUrl);
    await send();
    return (await readCounts(counterUrl)).operations;
  };
  const key = `bench-${Date.now()}`;
  const fresh = await measure(() => tenant.post("/v1/payments", body, key));
  const replay = await measure(() => tenant.post("/v1/payments", body, key));
  const declined = await measure(() => tenant.post("/v1/payments", { ...body, amount: 1_000_000 }));
  return { fresh, replay, declined };
}
