// Owns Amazon DynamoDB Local (the real jar shipped in amplify-dynamodb-simulator): start it on a
// port, in memory or on disk, and resolve once it answers ListTables.
// DynamoDB Local has no bind-address option (its Jetty server is built with `new Server(port)`, which
// listens on all interfaces; `-help` lists none), so it is the one component not confined to
// 127.0.0.1. We keep it on an ephemeral port, disable its telemetry, and reach it via 127.0.0.1.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { JavaMissingError } from "./errors.js";
import { localDynamo } from "./local-clients.js";
import { freePort } from "./ports.js";
import { spawnManaged, waitUntilReady } from "./processes.js";
import { PROJECT_ROOT } from "./project.js";

const EMULATOR_DIR = join(PROJECT_ROOT, "node_modules", "amplify-dynamodb-simulator", "emulator");
const JAVA_FIX = "install it with `apt-get install openjdk-17-jre-headless`";

export interface DynamoDbLocalOptions {
  port?: number;
  /** Keep tables in this directory across restarts; in memory when absent. */
  dataDir?: string;
  output?: Writable;
}

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

/** Throws JavaMissingError (one line, with the fix) unless Java 17+ is on PATH. */
export function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error) {
    throw new JavaMissingError(`payrail: Java 17+ is required for DynamoDB Local; ${JAVA_FIX}`);
  }
  // `java -version` prints e.g. `openjdk version "17.0.15"` (or "1.8.0_392" for Java 8) on stderr.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  const major = match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17) {
    throw new JavaMissingError(
      `payrail: Java 17+ is required for DynamoDB Local, found ${major || "an unknown version"}; ${JAVA_FIX}`,
    );
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const jvm = spawnManaged({
    name: "DynamoDB Local",
    command: "java",
    args: [
      `-Djava.library.path=${join(EMULATOR_DIR, "DynamoDBLocal_lib")}`,
      "-jar",
      join(EMULATOR_DIR, "DynamoDBLocal.jar"),
      "-sharedDb", // one database whatever the credentials/region of the caller
      "-disableTelemetry", // it would phone home on every start
      "-port",
      String(port),
      ...storage,
    ],
    cwd: EMULATOR_DIR,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" },
    output: options.output,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamo(endpoint, { maxAttempts: 1 });
  try {
    await waitUntilReady(
      jvm,
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(3000) });
        return true;
      },
      120_000, // the JVM starts in seconds on a quiet machine, in over a minute on a busy one
    );
  } catch (error) {
    await jvm.stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid: jvm.pid, stop: () => jvm.stop() };
}
