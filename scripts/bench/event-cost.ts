// `npm run bench:event-cost`: what writing a payment's event costs its latency. Starts DynamoDB
// Local alone, creates payrail's table, and sends a ledger payment's exact transaction
// (ledgerPaymentWrites: debit, credit, payment, event) alternately with and without its event Put,
// from the same clients in the same run, so both variants meet the same machine. Everything else a
// real-time payment does is identical with or without the event, so the difference of the two p50s
// is the event's cost to the payment's p50.
// Settings: EVENT_COST_SAMPLES per variant and concurrency (2000), EVENT_COST_WARMUP (300).
import { openAccount } from "../../lib/domain/accounts.js";
import { newId } from "../../lib/domain/ids.js";
import { paymentFrom } from "../../lib/domain/payments.js";
import { insertAccount } from "../../lib/ledger/accounts.js";
import { createMerchant } from "../../lib/ledger/merchants.js";
import { ledgerPaymentWrites } from "../../lib/ledger/payments.js";
import type { LedgerStore } from "../../lib/ledger/records.js";
import { transact } from "../../lib/ledger/transact.js";
import { startDynamoDbLocal } from "../local/dynamodb-local.js";
import { localDynamo, localLedgerStore } from "../local/local-clients.js";
import { createTables } from "../local/resources.js";
import { loadServiceDefinition } from "../local/service-definition.js";

type Variant = "with event" | "without event";

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`bench: ${name} must be a positive integer`);
  return value;
}

/** Nearest-rank percentile of sorted milliseconds. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function payOnce(
  store: LedgerStore,
  merchantId: string,
  pair: { source: string; destination: string },
  variant: Variant,
): Promise<number> {
  const now = Date.now();
  const payment = paymentFrom(
    { id: newId("payment", now), merchantId, now, ...pair, amount: 1, currency: "USD" },
    "succeeded",
    "ledger",
  );
  const started = performance.now();
  const { items, options } = await ledgerPaymentWrites(store, payment);
  const sent = variant === "with event" ? items : items.slice(0, -1);
  const outcome = await transact(store.dynamo, sent, options);
  if (!outcome.ok) throw new Error("bench: a payment's transaction was refused");
  return performance.now() - started;
}

async function main(): Promise<void> {
  const samples = setting("EVENT_COST_SAMPLES", 2_000);
  const warmup = setting("EVENT_COST_WARMUP", 300);
  const dynamo = await startDynamoDbLocal();
  try {
    const admin = localDynamo(dynamo.endpoint);
    const tables = await createTables(admin, loadServiceDefinition());
    admin.destroy();
    const store = localLedgerStore(dynamo.endpoint, Object.values(tables)[0] ?? "");
    const { merchantId } = await createMerchant(store, "event-cost");
    const wallet = async (balance: number) => {
      const account = {
        ...openAccount(merchantId, { type: "wallet", currency: "USD" }, Date.now()),
        balance,
      };
      await insertAccount(store, account, undefined, { statusCode: 201, body: null });
      return account.id;
    };
    console.log(`DynamoDB Local alone; a ledger payment's transaction with and without its event (ms)`);
    for (const concurrency of [1, 16]) {
      // One wallet pair per client: clients never contend for an item.
      const pairs = await Promise.all(
        Array.from({ length: concurrency }, async () => ({
          source: await wallet(1_000_000_000),
          destination: await wallet(0),
        })),
      );
      const times: Record<Variant, number[]> = { "with event": [], "without event": [] };
      await Promise.all(
        pairs.map(async (pair, client) => {
          // Each client alternates the variants, starting with a different one on every other
          // client, so neither variant gets the quieter moments.
          for (let i = 0; i < warmup + samples * 2; i++) {
            const variant: Variant = (i + client) % 2 === 0 ? "with event" : "without event";
            const ms = await payOnce(store, merchantId, pair, variant);
            if (i >= warmup && times[variant].length < samples * concurrency) times[variant].push(ms);
          }
        }),
      );
      const row = (variant: Variant) => {
        const sorted = [...times[variant]].sort((a, b) => a - b);
        return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
      };
      const withEvent = row("with event");
      const without = row("without event");
      const fmt = (ms: number) => ms.toFixed(2);
      console.log(
        `concurrency ${concurrency}: with event p50 ${fmt(withEvent.p50)} p90 ${fmt(withEvent.p90)} p99 ${fmt(withEvent.p99)}; ` +
          `without p50 ${fmt(without.p50)} p90 ${fmt(without.p90)} p99 ${fmt(without.p99)}; ` +
          `p50 difference ${fmt(withEvent.p50 - without.p50)} ms (${times["with event"].length} + ${times["without event"].length} samples)`,
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
