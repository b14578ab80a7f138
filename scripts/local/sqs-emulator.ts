// Owns the SQS emulator (fauxqs), served on 127.0.0.1 only, optionally persisted to a directory.
// fauxqs's own startFauxqs() always listens on 0.0.0.0, so this assembles the same pieces (its
// exported buildApp with stores we create) and listens ourselves. The stores and persistence are
// not in fauxqs's package exports, hence the file imports from its dist folder.
// Verified (test/integration/sqs-emulator.test.ts): fauxqs honours VisibilityTimeout and moves a
// message to the RedrivePolicy's dead-letter queue on the receive after maxReceiveCount, as SQS does.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildApp } from "fauxqs";
import { PROJECT_ROOT } from "./project.js";

const FAUXQS_DIST = join(PROJECT_ROOT, "node_modules", "fauxqs", "dist");

export interface SqsEmulatorOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** Keep queues and messages (SQLite) in this directory across restarts; in memory when absent. */
  dataDir?: string;
}

export interface SqsEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

// The minimal surface of fauxqs internals we touch; typed here because they are not exported.
interface FauxqsQueue {
  name: string;
  url: string;
  persistence?: unknown;
}
interface FauxqsSqsStore {
  host: string;
  queues: Map<string, FauxqsQueue>;
  persistence?: unknown;
  allQueues(): Iterable<FauxqsQueue>;
}
interface FauxqsPersistence {
  load(sqs: unknown, sns: unknown, s3: unknown): void;
  close(): void;
}

async function fauxqsModule<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(FAUXQS_DIST, path)).href)) as T;
}

export async function startSqsEmulator(options: SqsEmulatorOptions = {}): Promise<SqsEmulator> {
  const { SqsStore } = await fauxqsModule<{ SqsStore: new () => FauxqsSqsStore }>("sqs/sqsStore.js");
  const { SnsStore } = await fauxqsModule<{ SnsStore: new () => { persistence?: unknown } }>(
    "sns/snsStore.js",
  );
  const { S3Store } = await fauxqsModule<{ S3Store: new () => { persistence?: unknown } }>("s3/s3Store.js");
  const sqsStore = new SqsStore();
  const snsStore = new SnsStore();
  const s3Store = new S3Store();
  // Queue URLs take the request's host (127.0.0.1:port) instead of sqs.<region>.localhost, a name
  // the SDK would then try to resolve because it prefers a QueueUrl's host to the endpoint.
  sqsStore.host = "";

  let persistence: FauxqsPersistence | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    const { PersistenceManager } = await fauxqsModule<{
      PersistenceManager: new (dir: string) => FauxqsPersistence;
    }>("persistence.js");
    persistence = new PersistenceManager(options.dataDir);
    // As startFauxqs does: load first, then attach, so loading does not write back.
    persistence.load(sqsStore, snsStore, s3Store);
    sqsStore.persistence = persistence;
    snsStore.persistence = persistence;
    s3Store.persistence = persistence;
    for (const queue of sqsStore.allQueues()) queue.persistence = persistence;
  }

  const app = buildApp({
    logger: false,
    stores: { sqsStore, snsStore, s3Store } as unknown as NonNullable<
      Parameters<typeof buildApp>[0]
    >["stores"],
  });
  if (persistence) {
    const opened = persistence;
    app.addHook("preClose", () => opened.close());
  }
  await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;

  // Persisted queues remember the URL (and port) of the previous run; point them at this one.
  for (const queue of [...sqsStore.allQueues()]) {
    const url = queue.url.replace(/^https?:\/\/[^/]+/, endpoint);
    if (url === queue.url) continue;
    sqsStore.queues.delete(queue.url);
    queue.url = url;
    sqsStore.queues.set(url, queue);
  }

  return {
    endpoint,
    async stop() {
      await app.close();
    },
  };
}
