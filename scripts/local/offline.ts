// Owns serverless-offline as a child process: the same serverless.yml and the same serverless-esbuild
// bundles that deploy, served on 127.0.0.1 with the handlers pointed at the local emulators.
//
// How handlers get their environment: serverless-offline 14 gives a handler only provider/function
// `environment` plus the AWS_* variables of its own process, unless `--localEnvironment` is set, in
// which case it passes its whole process.env. We set it and build that env ourselves (no inherited
// shell variables), so the caller's extras (PAYRAIL_BANK_RAIL_LATENCY_MS, PAYRAIL_FAULTS_ENABLED, ...)
// reach the handlers, and serverless.yml's provider.environment still wins for what it declares.
//
// Why --useInProcess: the default runs each concurrent invocation in its own worker thread, which
// loads the ~MB bundle (AWS SDK included) again per worker; on a 2-core machine a burst of requests
// then spends seconds in module loading. In-process loads each function's bundle once, as a warm
// Lambda container does; all functions share one env, which is true of payrail anyway.
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { buildDashboard } from "../dashboard/build.js";
import { freePort } from "./ports.js";
import { spawnManaged, waitUntilReady } from "./processes.js";
import { PROJECT_ROOT } from "./project.js";

export interface OfflineOptions {
  stage: string;
  region: string;
  httpPort?: number;
  lambdaPort?: number;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** Extra environment for the handlers; overrides nothing serverless.yml declares. */
  env?: Record<string, string>;
  /** Rebuild and reload handlers when sources change (serverless-esbuild's watcher); default true. */
  watch?: boolean;
  output?: Writable;
}

export interface Offline {
  httpUrl: string;
  lambdaUrl: string;
  pid: number;
  /** The environment the serverless process (and so every handler) was given. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const SERVERLESS_BIN = `${PROJECT_ROOT}/node_modules/serverless/bin/serverless.js`;

export async function startOffline(options: OfflineOptions): Promise<Offline> {
  const httpPort = options.httpPort || (await freePort());
  const lambdaPort = options.lambdaPort || (await freePort());
  // Not under .esbuild, which `serverless package` deletes when it finishes. The watcher only reacts
  // to .js/.ts files, and bundles here are .cjs. Removed on stop.
  const buildDir = join(".local", "esbuild", `${options.stage}-${httpPort}`);
  // The dashboard's assets, built for this stack alone (served by the dashboard function).
  const dashboardDir = join(PROJECT_ROOT, ".local", "dashboard", `${options.stage}-${httpPort}`);
  const removeBuild = () => {
    rmSync(join(PROJECT_ROOT, buildDir), { recursive: true, force: true });
    rmSync(dashboardDir, { recursive: true, force: true });
  };
  removeBuild(); // a stale bundle of a crashed run on this port would be loaded first
  await buildDashboard(dashboardDir);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    // The AWS SDK v3 reads these natively, so handler code has no local-only branch.
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: options.sqsEndpoint,
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    PAYRAIL_LOCAL_SCHEDULER: "external", // see scripts/local/offline-overrides.cjs
    PAYRAIL_ESBUILD_DIR: buildDir, // custom.esbuild.outputWorkFolder in serverless.yml
    PAYRAIL_ESBUILD_WATCH: options.watch === false ? "0" : "1", // see offline-overrides.cjs
    PAYRAIL_DASHBOARD_DIR: dashboardDir,
    ...options.env,
  };
  const offline = spawnManaged({
    name: "serverless-offline",
    // process.execPath is the project's Node 24 under `npm run`/`npx`; handlers run in this process.
    command: process.execPath,
    args: [
      "--enable-source-maps",
      SERVERLESS_BIN,
      "offline",
      "start",
      "--stage",
      options.stage,
      "--region",
      options.region,
      "--host",
      "127.0.0.1",
      "--httpPort",
      String(httpPort),
      "--lambdaPort",
      String(lambdaPort),
      "--localEnvironment",
      "--useInProcess",
      "--noSponsor",
    ],
    cwd: PROJECT_ROOT,
    env,
    output: options.output,
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  try {
    // The Lambda endpoint starts before the HTTP one, so an HTTP answer means both are up.
    await waitUntilReady(
      offline,
      async () => {
        await fetch(`${httpUrl}/`, { signal: AbortSignal.timeout(1000) }).then((answer) =>
          answer.body?.cancel(),
        );
        return true;
      },
      300_000, // the first esbuild of every function takes a while on 2 cores (minutes when they are shared)
    );
  } catch (error) {
    await offline.stop();
    removeBuild();
    throw error;
  }
  return {
    httpUrl,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    pid: offline.pid,
    env,
    async stop() {
      await offline.stop(10_000);
      removeBuild();
    },
  };
}
