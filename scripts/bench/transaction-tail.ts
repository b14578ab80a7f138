// `npm run bench:tail`: the latency tail of DynamoDB Local by itself. Starts DynamoDB Local alone
// (no serverless-offline, no SQS emulator, no pass-through), creates payrail's table, and sends the
// exact TransactWriteItems of a ledger payment open-loop at a fixed rate from a fixed number of
// clients, in consecutive windows, printing p50, p99 and their ratio per window.
//
// Why it exists: the concurrency-16 target (payment p99 under 3× p50) can be no better than the
// tail of the transaction the payment is made of. The full benchmark measures that transaction in
// the same run, beside the payment, on a busy stack; this answers what the transaction's tail is
// when nothing else runs on the machine. Settings: TAIL_CLIENTS (16), TAIL_RATE per second (300),
// TAIL_WINDOW_MS (15000), TAIL_WINDOWS (4), TAIL_WARMUP_MS closed-loop warm-up (5000).
import { PerformanceObserver } from "node:perf_hooks";
import { openAccount } from "../../lib/domain/accounts.js";
import { insertAccount } from "../../lib/ledger/accounts.js";
import { createMerchant } from "../../lib/ledger/merchants.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";
import { localDynamo, localLedgerStore } from "../local/local-clients.js";
import { createTables } from "../local/resources.js";
import { loadServiceDefinition } from "../local/service-definition.js";
import { closedLoop, LatencyRecorder, openLoop } from "./open-loop.js";
import { rawPayment } from "./realtime.js";

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench: ${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const clients = setting("TAIL_CLIENTS", 16);
  const rate = setting("TAIL_RATE", 300);
  const windowMs = setting("TAIL_WINDOW_MS", 15_000);
  const windows = setting("TAIL_WINDOWS", 4);
  const warmupMs = setting("TAIL_WARMUP_MS", 5_000);

  const dynamo = await startDynamoDbLocal();
  try {
    const admin = localDynamo(dynamo.endpoint);
    const tables = await createTables(admin, loadServiceDefinition());
    admin.destroy();
    const store = localLedgerStore(dynamo.endpoint, Object.values(tables)[0] ?? "");

    // One funded wallet pair per client, so clients never contend for an item.
    const { merchantId } = await createMerchant(store, "tail");
    const now = Date.now();
    const wallet = async (balance: number) => {
      const account = { ...openAccount(merchantId, { type: "wallet", currency: "USD" }, now), balance };
      await insertAccount(store, account, undefined, { statusCode: 201, body: null });
      return account.id;
    };
    const pairs = await Promise.all(
      Array.from({ length: clients }, async () => ({
        source: await wallet(1_000_000_000),
        destination: await wallet(0),
      })),
    );
    const pay = rawPayment(store, merchantId, pairs);

    // This process's own GC pauses are printed per window: they delay answers as much as the JVM's.
    const pauses: number[] = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) pauses.push(entry.duration);
    }).observe({ entryTypes: ["gc"] });

    await closedLoop(clients, warmupMs, pay);
    console.log(`DynamoDB Local alone: ${clients} clients, ${rate} transactions/s offered, open loop (ms)`);
    for (let window = 1; window <= windows; window++) {
      const recorder = new LatencyRecorder();
      pauses.length = 0;
      await openLoop(clients, rate, windowMs, pay, recorder);
      const { p50, p99, max, errors } = recorder.summary();
      recorder.destroy();
      const ratio = (p99 / p50).toFixed(2);
      const longest = Math.max(0, ...pauses).toFixed(1);
      console.log(
        `window ${window}: p50 ${p50} p99 ${p99} max ${max} errors ${errors}: p99 = ${ratio}× p50` +
          ` (this process: ${pauses.length} GC pauses, longest ${longest} ms)`,
      );
    }
  } finally {
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
