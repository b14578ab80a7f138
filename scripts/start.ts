// `npm start`: the local stack on PORT (default 3000; 0 picks a free port) for a person, with data
// kept in .local/data across restarts and the same demo merchant while that data lasts. The terminal
// shows a few lines while starting, the demo block last (also written to .local/demo.env), then one
// line per request; `--verbose` or PAYRAIL_VERBOSE=1 shows every process's full output instead.
// Ctrl-C stops every process it started. Problems a person can fix (port taken, Java missing, an old
// Node) print one line and exit 1.
import { mkdirSync } from "node:fs";
import { dirname, relative } from "node:path";
import { type ConsoleView, consoleView } from "./local/console-view.js";
import { LocalStackError } from "./local/errors.js";
import { nodeVersionProblem } from "./local/node-version.js";
import { PROJECT_ROOT } from "./local/project.js";
import { demoBlock, ensureDemo, writeDemoEnv } from "./local/seed.js";
import { type Stack, startStack } from "./local/stack.js";
import { removeStackFile, writeStackFile } from "./local/stack-file.js";
import { startPaths } from "./local/start-paths.js";

const nodeProblem = nodeVersionProblem();
if (nodeProblem) {
  process.stderr.write(`${nodeProblem}\n`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`payrail: PORT must be a port number, got "${process.env.PORT}"\n`);
  process.exit(1);
}
const verbose =
  process.argv.includes("--verbose") || ["1", "true"].includes(process.env.PAYRAIL_VERBOSE ?? "");
const paths = startPaths();
const shown = (path: string) => (path.startsWith(PROJECT_ROOT) ? relative(PROJECT_ROOT, path) : path);

let stack: Stack | undefined;
let view: ConsoleView | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write("payrail: stopping...\n");
  await stack?.stop();
  await view?.close();
  removeStackFile(paths.stackFile);
  process.exit(code);
}

// Registered before starting, so Ctrl-C during startup also stops what is already running.
process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));

if (!verbose) {
  mkdirSync(dirname(paths.logFile), { recursive: true });
  view = consoleView(paths.logFile, process.stdout);
}
process.stdout.write(
  "payrail: starting DynamoDB Local, the SQS emulator and serverless-offline (about a minute the first time)...\n",
);
const begun = Date.now();
try {
  stack = await startStack({
    httpPort: port,
    dataDir: paths.dataDir,
    output: view?.output ?? process.stdout,
    onReady: verbose
      ? (component, detail, ms) =>
          process.stdout.write(
            `payrail: ${component.padEnd(22)} up in ${String(ms).padStart(5)} ms  ${detail}\n`,
          )
      : undefined,
  });
} catch (error) {
  if (error instanceof LocalStackError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
if (stopping) await new Promise(() => undefined); // a signal arrived while starting; shutdown() exits

writeStackFile(
  {
    httpUrl: stack.httpUrl,
    dynamoEndpoint: stack.dynamoEndpoint,
    sqsEndpoint: stack.sqsEndpoint,
    env: stack.env,
    pid: process.pid,
  },
  paths.stackFile,
);
const demo = await ensureDemo(stack, paths.dataDir);
writeDemoEnv(paths.demoEnv, demo, stack.httpUrl);
process.stdout.write(
  demoBlock(demo, {
    httpUrl: stack.httpUrl,
    envFile: shown(paths.demoEnv),
    readyMs: Date.now() - begun,
    logFile: view ? shown(paths.logFile) : undefined,
  }),
);
view?.showRequests();
