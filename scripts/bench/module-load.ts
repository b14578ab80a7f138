// `npm run bench:load`: each function's module load time as Lambda pays it on a cold start.
// Packages the service as `serverless package` does (offline), unzips every function's artifact,
// and loads its handler module in a fresh `node` process with the function's own environment from
// the template (NODE_OPTIONS included: --enable-source-maps reads the source map at load), 10 times
// per function; the median is reported with the bundle and source map sizes.
// `--save <file>` keeps the figures as JSON; `--compare <file>` prints a before/after table.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../local/project.js";

const RUNS = 10;

export interface FunctionLoad {
  name: string;
  /** Median of RUNS loads, milliseconds. */
  medianMs: number;
  samplesMs: number[];
  bundleBytes: number;
  sourceMapBytes: number;
}

/** Time to `require` the handler module, measured inside a fresh node process. */
const PROBE = `
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));
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

export async function measureModuleLoad(stage = "bench"): Promise<FunctionLoad[]> {
  const dir = mkdtempSync(join(tmpdir(), "payrail-load-"));
  try {
    await promisify(execFile)("npx", ["serverless", "package", "--stage", stage, "--package", dir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CI: "1", SLS_TELEMETRY_DISABLED: "1" },
      timeout: 1_200_000, // minutes on a quiet machine, far more on a shared one
    });
    const template = JSON.parse(readFileSync(join(dir, "cloudformation-template-update-stack.json"), "utf8"));
    const loads: FunctionLoad[] = [];
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
      const samplesMs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const out = execFileSync(process.execPath, ["-e", PROBE, bundle], { env, cwd: unpacked });
        samplesMs.push(Number(out.toString("utf8")));
      }
      loads.push({
        name,
        medianMs: median(samplesMs),
        samplesMs,
        bundleBytes: sizeOf(bundle),
        sourceMapBytes: sizeOf(`${bundle}.map`),
      });
    }
    return loads.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export function renderLoadTable(after: FunctionLoad[], before?: FunctionLoad[]): string {
  const lines = before
    ? [
        "| Function | Before: load (median of 10) | bundle / map | After: load (median of 10) | bundle / map | After / before |",
        "|---|---|---|---|---|---|",
      ]
    : ["| Function | Load (median of 10) | Bundle | Source map |", "|---|---|---|---|"];
  for (const load of after) {
    const old = before?.find((b) => b.name === load.name);
    if (before) {
      lines.push(
        `| ${load.name} | ${old ? `${old.medianMs.toFixed(1)} ms` : "–"} | ${old ? `${kib(old.bundleBytes)} / ${kib(old.sourceMapBytes)}` : "–"} | ${load.medianMs.toFixed(1)} ms | ${kib(load.bundleBytes)} / ${kib(load.sourceMapBytes)} | ${old ? `${((100 * load.medianMs) / old.medianMs).toFixed(0)}%` : "–"} |`,
      );
    } else {
      lines.push(
        `| ${load.name} | ${load.medianMs.toFixed(1)} ms | ${kib(load.bundleBytes)} | ${kib(load.sourceMapBytes)} |`,
      );
    }
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const save = args[args.indexOf("--save") + 1];
  const compare = args.includes("--compare") ? args[args.indexOf("--compare") + 1] : undefined;
  const loads = await measureModuleLoad();
  if (args.includes("--save") && save) writeFileSync(save, `${JSON.stringify(loads, null, 2)}\n`);
  const before = compare ? (JSON.parse(readFileSync(compare, "utf8")) as FunctionLoad[]) : undefined;
  process.stdout.write(`${renderLoadTable(loads, before)}\n`);
}
