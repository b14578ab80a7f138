// `npm run bench:load`: each function's module load time as Lambda pays it on a cold start.
// Packages the service as `serverless package` does (offline), unzips every function's artifact,
// and loads its handler module in a fresh `node` process with the function's own environment from
// the template (NODE_OPTIONS included: d4b573f's --enable-source-maps read the map at load); the
// median of RUNS loads is reported with the bundle and source map sizes.
// `--against <checkout>` packages another checkout too (e.g. a worktree of the commit before a
// change) and loads the two variants ALTERNATELY, before then after, per sample and per function, in
// one run: on a shared machine a burst of load from elsewhere then falls on both alike, which runs
// taken hours apart cannot promise. The load average is sampled during the run and printed.
// `--runs N` (default 20); `--save <file>` keeps the figures as JSON; `--compare <file>` prints a
// before/after table against figures saved earlier (not fair under changing load: prefer --against).
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../local/project.js";

export interface FunctionLoad {
  name: string;
  /** Median of the samples, milliseconds of wall clock. */
  medianMs: number;
  samplesMs: number[];
  /** Median CPU time of the same loads, milliseconds (absent in files saved before it was kept). */
  medianCpuMs?: number;
  cpuSamplesMs?: number[];
  bundleBytes: number;
  sourceMapBytes: number;
}

/** One packaged function, ready to be loaded. */
interface PackagedFunction {
  name: string;
  bundle: string;
  cwd: string;
  env: Record<string, string>;
}

/**
 * Time to `require` the handler module, measured inside a fresh node process: wall clock, and the
 * process's CPU time (user + system, all threads) over the same span. On a shared machine the wall
 * clock also counts waiting for a core; the CPU time counts only the work, so it moves less with load.
 */
const PROBE = `
const cpu = process.cpuUsage();
const started = performance.now();
require(process.argv[1]);
const wall = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(wall + " " + (used.user + used.system) / 1000);
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** `serverless package` of the checkout at `root` into `dir`; every function unzipped. */
async function packageFunctions(root: string, dir: string, stage: string): Promise<PackagedFunction[]> {
  await promisify(execFile)("npx", ["serverless", "package", "--stage", stage, "--package", dir], {
    cwd: root,
    env: { ...process.env, CI: "1", SLS_TELEMETRY_DISABLED: "1" },
    timeout: 1_200_000, // minutes on a quiet machine, far more on a shared one
  });
  const template = JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8"));
  const functions: PackagedFunction[] = [];
  for (const resource of Object.values<any>(template.Resources)) {
    if (resource.Type !== "AWS::Lambda::Function") continue;
    const props = resource.Properties;
    const zip = String(props.Code.S3Key).split("/").pop() as string;
    const name = zip.replace(/\.zip$/, "");
    const unpacked = join(dir, "unzipped", name);
    mkdirSync(unpacked, { recursive: true });
    execFileSync("unzip", ["-q", "-o", join(dir, zip), "-d", unpacked]);
    const [file] = String(props.Handler).split(/\.(?=[^.]+$)/);
    const bundle = ["cjs", "js", "mjs"]
      .map((ext) => join(unpacked, `${file}.${ext}`))
      .find((p) => sizeOf(p) > 0);
    if (!bundle) throw new Error(`bench: no bundle for ${name} in ${unpacked}`);
    // The function's environment as deployed; CloudFormation intrinsics become placeholder strings.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "us-east-1",
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    };
    for (const [key, value] of Object.entries<unknown>(props.Environment?.Variables ?? {}))
      env[key] = typeof value === "string" ? value : "bench";
    functions.push({ name, bundle, cwd: unpacked, env });
  }
  return functions.sort((a, b) => a.name.localeCompare(b.name));
}

/** One load in a fresh process: [wall ms, cpu ms]. */
function loadOnce(fn: PackagedFunction): [number, number] {
  const out = execFileSync(process.execPath, ["-e", PROBE, fn.bundle], { env: fn.env, cwd: fn.cwd });
  const [wall, cpu] = out.toString("utf8").split(" ").map(Number);
  return [wall as number, cpu as number];
}

function summary(fn: PackagedFunction, samples: [number, number][]): FunctionLoad {
  const samplesMs = samples.map(([wall]) => wall);
  const cpuSamplesMs = samples.map(([, cpu]) => cpu);
  return {
    name: fn.name,
    medianMs: median(samplesMs),
    samplesMs,
    medianCpuMs: median(cpuSamplesMs),
    cpuSamplesMs,
    bundleBytes: sizeOf(fn.bundle),
    sourceMapBytes: sizeOf(`${fn.bundle}.map`),
  };
}

export interface LoadRun {
  after: FunctionLoad[];
  /** Present with `against`: the other checkout's functions, sampled alternately with `after`. */
  before?: FunctionLoad[];
  /** 1-minute load average, sampled before each function and at the end. */
  loadAverage: number[];
  /** When the loads (not the packaging) began and ended, ISO 8601. */
  loadsFrom: string;
  loadsTo: string;
}

export async function measureModuleLoad(
  options: { stage?: string; runs?: number; against?: string } = {},
): Promise<LoadRun> {
  const { stage = "bench", runs = 20, against } = options;
  const dir = mkdtempSync(join(tmpdir(), "payrail-load-"));
  try {
    // Packaged one after the other: packaging is the heavy part and must not overlap the loads.
    const current = await packageFunctions(PROJECT_ROOT, join(dir, "after"), stage);
    const other = against ? await packageFunctions(against, join(dir, "before"), stage) : undefined;
    const loadsFrom = new Date().toISOString();
    const loadAverage: number[] = [];
    const after: FunctionLoad[] = [];
    const before: FunctionLoad[] = [];
    for (const fn of current) {
      loadAverage.push(loadavg()[0] as number);
      const old = other?.find((o) => o.name === fn.name);
      const afterMs: [number, number][] = [];
      const beforeMs: [number, number][] = [];
      for (let run = 0; run < runs; run++) {
        if (old) beforeMs.push(loadOnce(old));
        afterMs.push(loadOnce(fn));
      }
      after.push(summary(fn, afterMs));
      if (old) before.push(summary(old, beforeMs));
    }
    loadAverage.push(loadavg()[0] as number);
    return {
      after,
      before: other ? before : undefined,
      loadAverage,
      loadsFrom,
      loadsTo: new Date().toISOString(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const ms = (value: number | undefined) => (value === undefined ? "–" : `${value.toFixed(1)} ms`);
const ratio = (after: number | undefined, before: number | undefined) =>
  after === undefined || before === undefined ? "–" : `${((100 * after) / before).toFixed(0)}%`;

export function renderLoadTable(after: FunctionLoad[], before?: FunctionLoad[]): string {
  const n = after[0]?.samplesMs.length ?? 0;
  if (!before) {
    const lines = [
      `| Function | Load (median of ${n}) | CPU | Bundle | Source map |`,
      "|---|---|---|---|---|",
    ];
    for (const load of after)
      lines.push(
        `| ${load.name} | ${ms(load.medianMs)} | ${ms(load.medianCpuMs)} | ${kib(load.bundleBytes)} | ${kib(load.sourceMapBytes)} |`,
      );
    return lines.join("\n");
  }
  const lines = [
    `| Function | Before: load (median of ${n}) | CPU | bundle / map | After: load (median of ${n}) | CPU | bundle / map | After / before: load | CPU |`,
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const load of after) {
    const old = before.find((b) => b.name === load.name);
    lines.push(
      `| ${load.name} | ${ms(old?.medianMs)} | ${ms(old?.medianCpuMs)} | ${old ? `${kib(old.bundleBytes)} / ${kib(old.sourceMapBytes)}` : "–"} | ${ms(load.medianMs)} | ${ms(load.medianCpuMs)} | ${kib(load.bundleBytes)} / ${kib(load.sourceMapBytes)} | ${ratio(load.medianMs, old?.medianMs)} | ${ratio(load.medianCpuMs, old?.medianCpuMs)} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const save = option("--save");
  const compare = option("--compare");
  const against = option("--against");
  const run = await measureModuleLoad({
    runs: Number(option("--runs") ?? 20),
    against: against ? resolve(against) : undefined,
  });
  // A saved file is either a LoadRun or (runs before --against existed) a bare FunctionLoad[].
  const saved = compare ? JSON.parse(readFileSync(compare, "utf8")) : undefined;
  const before =
    run.before ?? (Array.isArray(saved) ? (saved as FunctionLoad[]) : (saved as LoadRun | undefined)?.after);
  if (save) writeFileSync(save, `${JSON.stringify(run, null, 2)}\n`);
  const la = run.loadAverage;
  process.stdout.write(
    `${renderLoadTable(run.after, before)}\n\nLoads from ${run.loadsFrom} to ${run.loadsTo}; ` +
      `1-minute load average ${Math.min(...la).toFixed(1)}-${Math.max(...la).toFixed(1)} (median ${median(la).toFixed(1)}) on ${cpus().length} cores.\n`,
  );
}
