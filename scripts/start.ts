// `npm start`: the local stack on PORT (default 3000) for a human, with data kept in .local/data
// across restarts, then the demo seed. Ctrl-C stops every process it started. Problems the human can
// fix (port taken, Java missing) print one line and exit 1.
import { join } from "node:path";
import { LocalStackError } from "./local/errors.js";
import { LOCAL_DIR } from "./local/project.js";
import { seedDemo } from "./local/seed.js";
import { type Stack, startStack } from "./local/stack.js";
import { removeStackFile, writeStackFile } from "./local/stack-file.js";

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write(`payrail: PORT must be a port number, got "${process.env.PORT}"\n`);
  process.exit(1);
}

let stack: Stack | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write("payrail: stopping...\n");
  await stack?.stop();
  removeStackFile();
  process.exit(code);
}

// Registered before starting, so Ctrl-C during startup also stops what is already running.
process.on("SIGINT", () => void shutdown(130));
process.on("SIGTERM", () => void shutdown(143));

const begun = Date.now();
try {
  stack = await startStack({
    httpPort: port,
    dataDir: process.env.PAYRAIL_DATA_DIR ?? join(LOCAL_DIR, "data"),
    output: process.stdout, // handler logs are what a human wants to see
    onReady: (component, detail, ms) =>
      process.stdout.write(
        `payrail: ${component.padEnd(22)} up in ${String(ms).padStart(5)} ms  ${detail}\n`,
      ),
  });
} catch (error) {
  if (error instanceof LocalStackError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
if (stopping) await new Promise(() => undefined); // a signal arrived while starting; shutdown() exits

writeStackFile({
  httpUrl: stack.httpUrl,
  dynamoEndpoint: stack.dynamoEndpoint,
  sqsEndpoint: stack.sqsEndpoint,
  env: stack.env,
  pid: process.pid,
});
process.stdout.write(`payrail: stack ready in ${Date.now() - begun} ms; Ctrl-C stops it\n`);
await seedDemo(stack);
