// Owns building the dashboard (dashboard/, its own package.json and lockfile): installs its
// dependencies when they are missing or older than its lockfile (so a fresh clone needs no extra
// step), then runs Vite into the folder asked for. Used by the local stack (a folder per stack, so
// `npm start` and `npm test` never serve each other's half-written files), by packaging
// (scripts/deploy/build-dashboard.cjs builds dashboard/dist) and by `npm run typecheck`.
//
//   tsx scripts/dashboard/build.ts build [outDir]   (default dashboard/dist)
//   tsx scripts/dashboard/build.ts typecheck
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { PROJECT_ROOT } from "../local/project.js";

export const DASHBOARD_ROOT = join(PROJECT_ROOT, "dashboard");
export const DASHBOARD_DIST = join(DASHBOARD_ROOT, "dist");

const run = promisify(execFile);

/** `npm ci` in dashboard/ unless node_modules is at least as new as the lockfile. */
export async function ensureDashboardInstalled(): Promise<void> {
  const installed = join(DASHBOARD_ROOT, "node_modules", ".package-lock.json");
  const lock = join(DASHBOARD_ROOT, "package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: DASHBOARD_ROOT,
    timeout: 300_000,
  });
}

/** Builds the dashboard into `outDir` (emptied first) and resolves with its absolute path. */
export async function buildDashboard(outDir: string = DASHBOARD_DIST): Promise<string> {
  await ensureDashboardInstalled();
  const target = resolve(outDir);
  try {
    await run(
      process.execPath,
      [
        join(DASHBOARD_ROOT, "node_modules", "vite", "bin", "vite.js"),
        "build",
        "--outDir",
        target,
        "--emptyOutDir",
        "--logLevel",
        "warn",
      ],
      { cwd: DASHBOARD_ROOT, timeout: 180_000 },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`payrail: the dashboard build failed:\n${stdout}${stderr}`, { cause: error });
  }
  return target;
}

async function main(argv: string[]): Promise<void> {
  const [command, outDir] = argv;
  if (command === "build") {
    process.stdout.write(`payrail: dashboard built into ${await buildDashboard(outDir)}\n`);
  } else if (command === "typecheck") {
    await ensureDashboardInstalled();
    await run(process.execPath, [
      join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "-p",
      DASHBOARD_ROOT,
    ]).catch((error: { stdout?: string }) => {
      process.stderr.write(error.stdout ?? String(error));
      process.exit(1);
    });
  } else {
    process.stderr.write("usage: tsx scripts/dashboard/build.ts build [outDir] | typecheck\n");
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await main(process.argv.slice(2));
}
