// `npm run bench` (full) and `npm run bench:quick` (short, 1,000-item batches): starts the local
// stack, measures real-time payments against their floors, counts DynamoDB requests per payment,
// times batches against DynamoDB Local's raw throughput for the same transactions, watches memory
// and CPU of every process, stops the stack, times a cold `npm start` to the first payment, and
// writes BENCHMARKS.md (report.ts; the hand-written part comes from notes.md, kept as is).
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname } from "node:path";
import { LocalStackError } from "../local/errors.js";
import { loadServiceDefinition } from "../local/service-definition.js";
import { startStack } from "../local/stack.js";
import { type BatchRun, type RawChunkRun, rawChunkThroughput, runBatches } from "./batch.js";
import { type ColdStart, measureColdStart } from "./cold-start.js";
import {
  measureCpu,
  otherHeavyProcesses,
  type ProcessMemory,
  readMemory,
  resetPeaks,
  sampleMemory,
  stackProcesses,
} from "./proc-stats.js";
import {
  benchStore,
  countRequests,
  measureRealtime,
  type RealtimeFigures,
  type RequestCountFigures,
} from "./realtime.js";
import { renderReport } from "./report.js";
import { loadSettings } from "./settings.js";
import { benchTenant } from "./tenant.js";

export interface PhaseResources {
  /** Peak resident set during the phase (VmHWM after a reset at its start), and at its end. */
  memory: ProcessMemory[];
  /** Resident set sampled every second: first, largest and last sample per process. */
  rssProfile: { pid: number; name: string; firstMiB: number; maxMiB: number; lastMiB: number }[];
  cpu: { pid: number; name: string; cpuSeconds: number; cores: number }[];
  peaksReset: boolean;
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
  batch: { raw: RawChunkRun; run: BatchRun; resources: PhaseResources };
  big: { raw: RawChunkRun; run: BatchRun; resources: PhaseResources };
  /** Peak resident set of each process over the whole stack lifetime (VmHWM is not reset for this). */
  coldStart: ColdStart | { error: string } | undefined;
  load: {
    before: number[];
    after: number[];
    othersBefore: string[];
    othersDuring: string[];
    othersAfter: string[];
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

async function main(): Promise<void> {
  const settings = loadSettings();
  const startedAt = new Date();
  const load = {
    before: loadavg(),
    after: [] as number[],
    othersBefore: otherHeavyProcesses(),
    othersDuring: [] as string[],
    othersAfter: [] as string[],
  };
  log(
    `${settings.quick ? "quick" : "full"} run; load average ${load.before.map((n) => n.toFixed(2)).join(" ")}`,
  );

  const itemsBatchSize =
    loadServiceDefinition().functions.find((fn) => fn.key === "itemConsume")?.sqs[0]?.batchSize ?? 10;
  // Each poll loop invokes with up to batchSize chunk messages, which the consumer pays in parallel.
  const consumerConcurrency = settings.pollers * itemsBatchSize;

  const stackBegun = performance.now();
  const stack = await startStack({
    scheduler: false, // nothing but the measured work touches DynamoDB (request counts stay exact)
    watch: false,
    pollerConcurrency: settings.pollers,
    env: {
      POWERTOOLS_LOG_LEVEL: "WARN", // no access log line per request
      POWERTOOLS_METRICS_DISABLED: "true", // no EMF line per request
      // For finding where the time goes: serverless-offline (and the handlers in it) write a V8 CPU
      // profile there when the stack stops.
      ...(process.env.BENCH_PROFILE_DIR
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` }
        : {}),
    },
    onReady: (component, _detail, ms) => log(`${component} up in ${ms} ms`),
  });
  const stackStartMs = performance.now() - stackBegun;
  let results: Omit<BenchResults, "coldStart" | "finishedAt">;
  try {
    const table = stack.env.PAYRAIL_TABLE ?? "payrail-local";
    const stores = {
      direct: benchStore(stack.dynamoEndpoint, table),
      viaCounter: benchStore(stack.dynamoCounterUrl, table),
    };
    const tenant = await benchTenant(stores.direct, stack.httpUrl);

    const realtime: RealtimeFigures[] = [];
    for (const concurrency of settings.concurrencies) {
      log(`real-time payments at concurrency ${concurrency}`);
      realtime.push(
        await measureRealtime(tenant, stores, {
          concurrency,
          durationMs: settings.realtimeMs,
          rounds: settings.rounds,
          warmupMs: settings.warmupMs,
          load: settings.load,
        }),
      );
    }
    log("counting DynamoDB requests per payment");
    const counts = await countRequests(tenant, stack.dynamoCounterUrl);

    const totalItems = settings.batchItems * (1 + settings.bigBatches);
    log(`opening ${settings.destinations} destination wallets`);
    const destinations = await tenant.wallets(settings.destinations, 0, 8);
    const source = await tenant.wallet(totalItems);
    // The raw floor's wallet balances are not checked by a chunk transaction (the total was reserved
    // at release), so it needs no funds; it credits the same destinations.
    const batchOptions = { pollEveryMs: settings.pollEveryMs, timeoutMs: 30 * 60_000 };

    log(`raw chunk transactions for ${settings.batchItems} items at concurrency ${consumerConcurrency}`);
    const raw = await rawChunkThroughput(
      stores.direct,
      tenant.merchantId,
      source,
      destinations,
      settings.batchItems,
      consumerConcurrency,
    );
    log(`one batch of ${settings.batchItems} items`);
    const batch = await withResources(() =>
      runBatches(tenant, stack.dynamoCounterUrl, source, destinations, 1, settings.batchItems, batchOptions),
    );
    const bigItems = settings.batchItems * settings.bigBatches;
    log(`raw chunk transactions for ${bigItems} items`);
    const bigRaw = await rawChunkThroughput(
      stores.direct,
      tenant.merchantId,
      source,
      destinations,
      bigItems,
      consumerConcurrency,
    );
    load.othersDuring = otherHeavyProcesses();
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
    tenant.close();
    results = {
      settings,
      startedAt,
      stackStartMs,
      consumerConcurrency,
      itemsBatchSize,
      realtime,
      counts,
      batch: { raw, run: batch.value, resources: batch.resources },
      big: { raw: bigRaw, run: big.value, resources: big.resources },
      load,
    };
  } finally {
    log("stopping the stack");
    await stack.stop();
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
  load.after = loadavg();
  load.othersAfter = otherHeavyProcesses();
  const report = renderReport({ ...results, coldStart, finishedAt: new Date() });
  mkdirSync(dirname(settings.output), { recursive: true });
  writeFileSync(settings.output, report);
  log(`wrote ${settings.output}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(
      error instanceof LocalStackError ? `${error.message}\n` : `${(error as Error).stack ?? error}\n`,
    );
    process.exit(1);
  },
);
