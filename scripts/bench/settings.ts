// Owns the benchmark's settings: defaults for the full run (`npm run bench`) and the quick one
// (`npm run bench:quick`, or --quick), each overridable by an environment variable.
import { join } from "node:path";
import { LOCAL_DIR, PROJECT_ROOT } from "../local/project.js";

export interface BenchSettings {
  quick: boolean;
  /** Real-time: concurrencies to measure. */
  concurrencies: number[];
  /** Real-time: open-loop time per workload (payment, no-op, two raw floors) per concurrency. */
  realtimeMs: number;
  /** Real-time: the open-loop time is split into this many interleaved slices per workload. */
  rounds: number;
  /** Real-time: closed-loop warm-up per workload, and the capacity probe. */
  warmupMs: number;
  /** Real-time: offered rate as a fraction of the payments' closed-loop capacity. */
  load: number;
  /** Items in the single batch; the large run is `bigBatches` batches of this size. */
  batchItems: number;
  /** The single batch is run this many times; the median run is the one compared (one run is noisy). */
  batchSamples: number;
  bigBatches: number;
  destinations: number;
  /** SQS poll loops per queue in the local stack (each invokes with up to 10 messages). */
  pollers: number;
  pollEveryMs: number;
  coldStart: boolean;
  /** Where the report goes. */
  output: string;
}

function number(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`bench: ${name} must be a positive number`);
  return value;
}

export function loadSettings(argv: string[] = process.argv.slice(2)): BenchSettings {
  const quick = argv.includes("--quick") || process.env.BENCH_QUICK === "1";
  return {
    quick,
    concurrencies: (process.env.BENCH_CONCURRENCY ?? "1,16").split(",").map(Number),
    realtimeMs: number("BENCH_REALTIME_MS", quick ? 3_000 : 16_000),
    rounds: number("BENCH_ROUNDS", quick ? 2 : 4),
    warmupMs: number("BENCH_WARMUP_MS", quick ? 1_000 : 3_000),
    load: number("BENCH_LOAD", 0.5),
    batchItems: number("BENCH_BATCH_ITEMS", quick ? 1_000 : 10_000),
    batchSamples: number("BENCH_BATCH_SAMPLES", quick ? 1 : 3),
    bigBatches: number("BENCH_BIG_BATCHES", quick ? 3 : 10),
    destinations: number("BENCH_DESTINATIONS", 1_000),
    pollers: number("BENCH_POLLERS", 2),
    pollEveryMs: number("BENCH_POLL_MS", 200),
    coldStart: process.env.BENCH_COLD_START !== "0",
    output:
      process.env.BENCH_OUTPUT ??
      (quick ? join(LOCAL_DIR, "bench", "BENCHMARKS.quick.md") : join(PROJECT_ROOT, "BENCHMARKS.md")),
  };
}
