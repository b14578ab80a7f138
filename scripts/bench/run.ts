// `npm run bench` (full) and `npm run bench:quick` (short, 1,000-item batches): starts the local
// stack, measures real-time payments against their floors, counts DynamoDB requests per payment,
// times batches against DynamoDB Local's raw throughput for the same transactions, watches memory
// and CPU of every process, stops the stack, times a cold `npm start` to the first payment, and
// writes BENCHMARKS.md (report.ts; the hand-written part comes from notes.md, kept as is). The
// figures are also saved to .local/bench/last-run.json; `--render <that file>` rewrites the report
// from them (after editing notes.md) without measuring again.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { LocalStackError } from "../local/errors.js";
import { localLedgerStore } from "../local/local-clients.js";
import { LOCAL_DIR, PROJECT_ROOT } from "../local/project.js";
import { loadServiceDefinition } from "../local/service-definition.js";
import { startStack } from "../local/stack.js";
import { type BatchRun, type RawChunkRun, rawChunkThroughput, runBatches } from "./batch.js";
import { type ColdStart, measureColdStart } from "./cold-start.js";
import { gcPauses } from "./gc-log.js";
import { type HotAccountFigures, measureHotAccounts } from "./hot-accounts.js";
import {
  type ForeignLoad,
  measureCpu,
  type ProcessMemory,
  readMemory,
  resetPeaks,
  sampleMemory,
  stackProcesses,
  watchForeignLoad,
} from "./proc-stats.js";
import {
  countRequests,
  measureRealtime,
  type RealtimeFigures,
  type RequestCountFigures,
} from "./realtime.js";
import { renderReport } from "./report.js";
import { loadSettings } from "./settings.js";
import { benchTenant } from "./tenant.js";

export interface PhaseResources {
  /** Per process at the phase's end: peak resident set during the phase (VmHWM, reset at its start). */
  memory: ProcessMemory[];
  /** Resident set sampled every second: first, largest and last sample per process. */
  rssProfile: { pid: number; name: string; firstMiB: number; maxMiB: number; lastMiB: number }[];
  cpu: { pid: number; name: string; cpuSeconds: number; cores: number }[];
  peaksReset: boolean;
}

export interface BatchPhase {
  raw: RawChunkRun;
  rawResources: PhaseResources;
  run: BatchRun;
  resources: PhaseResources;
  /** Items/s of every run of this phase, in order; `run` is the median one. */
  samples?: number[];
}

export interface BenchResults {
  settings: ReturnType<typeof loadSettings>;
  startedAt: Date;
  finishedAt: Date;
  stackStartMs: number;
  consumerConcurrency: number;
  itemsBatchSize: number;
  realtime: RealtimeFigures[];
  counts: RequestCountFigures;
  /** Hot-account rows (conflicts emulated); absent in results saved before they existed. */
  hot?: HotAccountFigures;
  batch: BatchPhase;
  big: BatchPhase;
  /** Undefined when skipped (BENCH_COLD_START=0). */
  coldStart: ColdStart | { error: string } | undefined;
  load: {
    before: number[];
    after: number[];
    /** CPU used by processes outside this run during each phase, and the heavy ones seen. */
    realtime: ForeignLoad;
    batch: ForeignLoad;
    big: ForeignLoad;
  };
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function withResources<T>(work: () => Promise<T>): Promise<{ value: T; resources: PhaseResources }> {
  const processes = stackProcesses();
  const peaksReset = resetPeaks(processes);
  const cpu = measureCpu(processes);
  const sampler = sampleMemory(processes);
  const value = await work();
  const samples = sampler.stop();
  const rssProfile = processes.flatMap(({ pid, name }) => {
    const series = samples.flatMap((sample) =>
      sample.memory.filter((m) => m.pid === pid).map((m) => m.rssMiB),
    );
    if (series.length === 0) return [];
    return [
      { pid, name, firstMiB: series[0] ?? 0, maxMiB: Math.max(...series), lastMiB: series.at(-1) ?? 0 },
    ];
  });
  return { value, resources: { memory: readMemory(processes), rssProfile, cpu: cpu(), peaksReset } };
}

/** serverless-offline's GC pauses, one line each (gc-probe.cjs), for the report. */
const GC_LOG = join(LOCAL_DIR, "bench", `offline-gc-${process.pid}.log`);

function offlineNodeOptions(): { NODE_OPTIONS: string; PAYRAIL_GC_LOG: string } {
  const options = [
    `--require ${join(PROJECT_ROOT, "scripts", "bench", "gc-probe.cjs")}`,
    process.env.BENCH_PROFILE_DIR ? `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` : "",
    process.env.BENCH_NODE_OPTIONS ?? "",
  ].filter((option) => option !== "");
  return { NODE_OPTIONS: options.join(" "), PAYRAIL_GC_LOG: GC_LOG };
}

async function main(): Promise<void> {
  const settings = loadSettings();
  const startedAt = new Date();
  const loadBefore = loadavg();
  log(
    `${settings.quick ? "quick" : "full"} run; load average ${loadBefore.map((n) => n.toFixed(2)).join(" ")}`,
  );

  const itemsBatchSize =
    loadServiceDefinition().functions.find((fn) => fn.key === "itemConsume")?.sqs[0]?.batchSize ?? 10;
  // Each poll loop invokes with up to batchSize chunk messages, which the consumer pays in parallel.
  const consumerConcurrency = settings.pollers * itemsBatchSize;

  mkdirSync(dirname(GC_LOG), { recursive: true });
  const stackBegun = performance.now();
  const stack = await startStack({
    scheduler: false, // nothing but the measured work touches DynamoDB (request counts stay exact)
    watch: false,
    pollerConcurrency: settings.pollers,
    env: {
      POWERTOOLS_LOG_LEVEL: "WARN", // no access log line per request
      POWERTOOLS_METRICS_DISABLED: "true", // no EMF line per request
      // serverless-offline's own per-request lines ("POST /v1/payments (λ: payments)", "RequestId …
      // Duration …"): 4 synchronous pipe writes per request that API Gateway and Lambda do not make.
      SLS_LOG_LEVEL: "warning",
      // For finding where the time goes: BENCH_PROFILE_DIR makes serverless-offline (and the
      // handlers in it) write a V8 CPU profile there when the stack stops; BENCH_NODE_OPTIONS adds
      // any Node option to that process (e.g. --trace-gc, whose lines go to the stack's log).
      ...offlineNodeOptions(),
    },
    onReady: (component, _detail, ms) => log(`${component} up in ${ms} ms`),
  });
  const stackStartMs = performance.now() - stackBegun;
  let results: Omit<BenchResults, "coldStart" | "finishedAt">;
  try {
    const table = stack.env.PAYRAIL_TABLE ?? "payrail-local";
    const stores = {
      direct: localLedgerStore(stack.dynamoEndpoint, table),
      viaCounter: localLedgerStore(stack.dynamoCounterUrl, table),
    };
    const tenant = await benchTenant(stores.direct, stack.httpUrl);

    let foreign = watchForeignLoad();
    const realtime: RealtimeFigures[] = [];
    for (const concurrency of settings.concurrencies) {
      log(`real-time payments at concurrency ${concurrency}`);
      const from = Date.now();
      const figures = await measureRealtime(
        tenant,
        { ...stores, counterUrl: stack.dynamoCounterUrl },
        {
          concurrency,
          durationMs: settings.realtimeMs,
          rounds: settings.rounds,
          warmupMs: settings.warmupMs,
          load: settings.load,
        },
      );
      realtime.push({ ...figures, offlineGc: gcPauses(GC_LOG, from, Date.now()) });
    }
    const realtimeLoad = foreign();
    log("counting DynamoDB requests per payment");
    const counts = await countRequests(tenant, stack.dynamoCounterUrl);

    const totalItems = settings.batchItems * (settings.batchSamples + settings.bigBatches);
    log(`opening ${settings.destinations} destination wallets`);
    const destinations = await tenant.wallets(settings.destinations, 0, 8);
    log("hot accounts: distinct pairs, hot destination, hot source; single-payee batch");
    const hot = await measureHotAccounts(tenant, stack.dynamoCounterUrl, destinations, {
      concurrency: 16,
      sliceMs: settings.quick ? 2_000 : 5_000,
      rounds: settings.quick ? 2 : 3,
      warmupMs: settings.warmupMs,
      batchItems: settings.batchItems,
      batchRuns: settings.quick ? 1 : 2,
      pollEveryMs: settings.pollEveryMs,
    });
    const source = await tenant.wallet(totalItems);
    // The raw floor's wallet balances are not checked by a chunk transaction (the total was reserved
    // at release), so it needs no funds; it credits the same destinations.
    const batchOptions = { pollEveryMs: settings.pollEveryMs, timeoutMs: 30 * 60_000 };

    foreign = watchForeignLoad();
    log(`raw chunk transactions for ${settings.batchItems} items at concurrency ${consumerConcurrency}`);
    // DynamoDB Local's JVM compiles its transaction path as it goes: an untimed warm-up run first,
    // so the floor is not measured cold (the batch after it would otherwise run warmer than it).
    await rawChunkThroughput(
      stores.direct,
      tenant.merchantId,
      source,
      destinations,
      Math.min(settings.batchItems, 2_500),
      consumerConcurrency,
    );
    const raw = await withResources(() =>
      rawChunkThroughput(
        stores.direct,
        tenant.merchantId,
        source,
        destinations,
        settings.batchItems,
        consumerConcurrency,
      ),
    );
    const batchRuns: Awaited<ReturnType<typeof withResources<BatchRun>>>[] = [];
    for (let sample = 1; sample <= settings.batchSamples; sample++) {
      log(`one batch of ${settings.batchItems} items (run ${sample} of ${settings.batchSamples})`);
      batchRuns.push(
        await withResources(() =>
          runBatches(
            tenant,
            stack.dynamoCounterUrl,
            source,
            destinations,
            1,
            settings.batchItems,
            batchOptions,
          ),
        ),
      );
    }
    // A single 10-second run varies by ±5% from one to the next; the median run is compared.
    const batch = [...batchRuns].sort((a, b) => a.value.itemsPerSecond - b.value.itemsPerSecond)[
      Math.floor(batchRuns.length / 2)
    ] as (typeof batchRuns)[number];
    const batchLoad = foreign();
    foreign = watchForeignLoad();
    const bigItems = settings.batchItems * settings.bigBatches;
    log(`raw chunk transactions for ${bigItems} items`);
    const bigRaw = await withResources(() =>
      rawChunkThroughput(
        stores.direct,
        tenant.merchantId,
        source,
        destinations,
        bigItems,
        consumerConcurrency,
      ),
    );
    log(`${settings.bigBatches} batches of ${settings.batchItems} items`);
    const big = await withResources(() =>
      runBatches(
        tenant,
        stack.dynamoCounterUrl,
        source,
        destinations,
        settings.bigBatches,
        settings.batchItems,
        batchOptions,
      ),
    );
    const bigLoad = foreign();
    tenant.close();
    results = {
      settings,
      startedAt,
      stackStartMs,
      consumerConcurrency,
      itemsBatchSize,
      realtime,
      counts,
      hot,
      batch: {
        raw: raw.value,
        rawResources: raw.resources,
        run: batch.value,
        resources: batch.resources,
        samples: batchRuns.map((sample) => sample.value.itemsPerSecond),
      },
      big: { raw: bigRaw.value, rawResources: bigRaw.resources, run: big.value, resources: big.resources },
      load: { before: loadBefore, after: [], realtime: realtimeLoad, batch: batchLoad, big: bigLoad },
    };
  } finally {
    log("stopping the stack");
    await stack.stop();
    rmSync(GC_LOG, { force: true });
  }

  let coldStart: BenchResults["coldStart"];
  if (settings.coldStart) {
    log("cold start: npm start to the first payment");
    try {
      coldStart = await measureColdStart();
    } catch (error) {
      coldStart = { error: (error as Error).message.split("\n")[0] ?? "failed" };
    }
  }
  results.load.after = loadavg();
  const finished: BenchResults = { ...results, coldStart, finishedAt: new Date() };
  // The figures are kept, so the report can be rendered again after the notes change (--render).
  const saved = join(LOCAL_DIR, "bench", settings.quick ? "last-quick-run.json" : "last-run.json");
  mkdirSync(dirname(saved), { recursive: true });
  writeFileSync(saved, `${JSON.stringify(finished, null, 2)}\n`);
  writeReport(finished, settings.output);
}

function writeReport(results: BenchResults, output: string): void {
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, renderReport(results));
  log(`wrote ${output}`);
}

/** `--render <results.json>`: BENCHMARKS.md again from a run's saved figures and the current notes. */
function render(path: string): void {
  const results = JSON.parse(readFileSync(path, "utf8")) as BenchResults;
  results.startedAt = new Date(results.startedAt);
  results.finishedAt = new Date(results.finishedAt);
  writeReport(results, loadSettings().output);
}

const renderFrom = process.argv.indexOf("--render");
(renderFrom >= 0 ? Promise.resolve().then(() => render(process.argv[renderFrom + 1] ?? "")) : main()).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(
      error instanceof LocalStackError ? `${error.message}\n` : `${(error as Error).stack ?? error}\n`,
    );
    process.exit(1);
  },
);
