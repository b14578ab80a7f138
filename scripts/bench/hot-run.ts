// `npm run bench:hot`: only the hot-account rows (hot-accounts.ts) on a stack of their own, conflicts
// emulated, printed as Markdown and saved to .local/bench/hot-accounts.json (the full `npm run bench`
// measures the same rows in its own run). Settings: BENCH_HOT_SLICE_MS (per workload per round,
// default 5,000), BENCH_HOT_ROUNDS (3), BENCH_BATCH_ITEMS (10,000), BENCH_HOT_BATCH_RUNS (2).
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { localLedgerStore } from "../local/local-clients.js";
import { LOCAL_DIR } from "../local/project.js";
import { startStack } from "../local/stack.js";
import { measureHotAccounts, renderHotAccounts } from "./hot-accounts.js";
import { watchForeignLoad } from "./proc-stats.js";
import { benchTenant } from "./tenant.js";

const log = (line: string) => process.stderr.write(`bench:hot: ${line}\n`);
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const startedAt = new Date();
  const before = loadavg();
  const stack = await startStack({
    scheduler: false,
    watch: false,
    env: { POWERTOOLS_LOG_LEVEL: "WARN", POWERTOOLS_METRICS_DISABLED: "true", SLS_LOG_LEVEL: "warning" },
    onReady: (component, _detail, ms) => log(`${component} up in ${ms} ms`),
  });
  try {
    const store = localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local");
    const tenant = await benchTenant(store, stack.httpUrl, "bench-hot");
    log("opening 1,000 payee wallets");
    const payees = await tenant.wallets(1_000, 0, 8);
    const foreign = watchForeignLoad();
    const figures = await measureHotAccounts(tenant, stack.dynamoCounterUrl, payees, {
      concurrency: 16,
      sliceMs: setting("BENCH_HOT_SLICE_MS", 5_000),
      rounds: setting("BENCH_HOT_ROUNDS", 3),
      warmupMs: 2_000,
      batchItems: setting("BENCH_BATCH_ITEMS", 10_000),
      batchRuns: setting("BENCH_HOT_BATCH_RUNS", 2),
      pollEveryMs: 200,
    });
    const load = foreign();
    tenant.close();
    const saved = join(LOCAL_DIR, "bench", "hot-accounts.json");
    mkdirSync(dirname(saved), { recursive: true });
    const finishedAt = new Date();
    writeFileSync(
      saved,
      `${JSON.stringify({ startedAt, finishedAt, loadBefore: before, loadAfter: loadavg(), foreign: load, figures }, null, 2)}\n`,
    );
    const loads = (values: number[]) => values.map((n) => n.toFixed(2)).join(" / ");
    process.stdout.write(
      [
        `${startedAt.toISOString()} to ${finishedAt.toISOString()}`,
        `load average ${loads(before)} before, ${loads(loadavg())} after (1/5/15 min)`,
        `CPU used by processes outside this run: ${load.othersCores.toFixed(2)} cores on average`,
        "",
        renderHotAccounts(figures),
      ].join("\n"),
    );
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
