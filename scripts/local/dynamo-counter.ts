// Owns a counting pass-through in front of DynamoDB Local. The handlers reach DynamoDB through it,
// so tests and benchmarks count the real requests a payment makes (by operation), not estimates.
// It serves from a worker thread: sharing the event loop of the benchmark's load generator doubled
// the tail of every transaction that crossed it.
//   GET  /__payrail/counts        -> {"total": n, "operations": {"TransactWriteItems": n, ...}}
//   POST /__payrail/counts/reset  -> zeroes the counters
import { once } from "node:events";
import { Worker } from "node:worker_threads";

export interface DynamoCounter {
  url: string;
  stop(): Promise<void>;
}

export interface RequestCounts {
  total: number;
  operations: Record<string, number>;
}

/** Starts the pass-through in its own worker thread (dynamo-counter-worker.ts), in front of `target`. */
export async function startDynamoCounter(target: string, port = 0): Promise<DynamoCounter> {
  const worker = new Worker(new URL("./dynamo-counter-worker.ts", import.meta.url), {
    workerData: { target, port },
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
