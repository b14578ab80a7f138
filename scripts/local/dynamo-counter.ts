// Owns a counting pass-through in front of DynamoDB Local. The handlers reach DynamoDB through it,
// so tests and benchmarks count the real requests a payment makes (by operation), not estimates.
// It serves from a worker thread: sharing the event loop of the benchmark's load generator doubled
// the tail of every transaction that crossed it.
// It also emulates AWS's transaction conflicts, which DynamoDB Local lacks (conflict-emulator.ts):
// on by default, for `npm start` and the whole test suite; off only for the bench's raw floors.
//   GET  /__payrail/counts          -> {"total": n, "operations": {"TransactWriteItems": n, ...},
//                                       "conflicts": {"TransactWriteItems": n, ...}}
//   POST /__payrail/counts/reset    -> zeroes the counters
//   POST /__payrail/conflicts/off   -> forwards everything as DynamoDB Local would answer it (/on: back)
import { once } from "node:events";
import { Worker } from "node:worker_threads";

export interface DynamoCounter {
  url: string;
  stop(): Promise<void>;
}

export interface RequestCounts {
  total: number;
  operations: Record<string, number>;
  /** Requests the pass-through answered with a conflict instead of forwarding, by operation. */
  conflicts: Record<string, number>;
}

export interface DynamoCounterOptions {
  /** Emulate AWS transaction conflicts (default true). */
  conflicts?: boolean;
}

/** Starts the pass-through in its own worker thread (dynamo-counter-worker.ts), in front of `target`. */
export async function startDynamoCounter(
  target: string,
  port = 0,
  { conflicts = true }: DynamoCounterOptions = {},
): Promise<DynamoCounter> {
  const worker = new Worker(new URL("./dynamo-counter-worker.ts", import.meta.url), {
    workerData: { target, port, conflicts },
  });
  const [ready] = (await Promise.race([
    once(worker, "message"),
    once(worker, "error").then(([error]) => Promise.reject(error)),
  ])) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${ready.port}`,
    async stop() {
      const exited = once(worker, "exit");
      worker.postMessage("stop");
      // A connection the server cannot close would keep it alive: give up after a second.
      const timer = setTimeout(() => void worker.terminate(), 1_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function readCounts(counterUrl: string): Promise<RequestCounts> {
  const response = await fetch(`${counterUrl}/__payrail/counts`);
  return (await response.json()) as RequestCounts;
}

export async function resetCounts(counterUrl: string): Promise<void> {
  await fetch(`${counterUrl}/__payrail/counts/reset`, { method: "POST" });
}

/** Turns the conflict emulation on or off at a running pass-through (the bench's raw floors). */
export async function emulateConflicts(counterUrl: string, on: boolean): Promise<void> {
  await fetch(`${counterUrl}/__payrail/conflicts/${on ? "on" : "off"}`, { method: "POST" });
}
