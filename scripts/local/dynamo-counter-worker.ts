// The counting pass-through's server, run in a worker thread of whoever starts the stack (see
// dynamo-counter.ts). It has its own event loop, so the handlers' DynamoDB requests never wait
// behind the load generator or the test runner that share the process. Only erasable TypeScript
// and node: imports here: the worker is loaded by Node itself (type stripping) or by tsx.
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";

interface Counts {
  total: number;
  operations: Record<string, number>;
}

const { target, port } = workerData as { target: string; port: number };
const upstream = new URL(target);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let counts: Counts = { total: 0, operations: {} };

const server = createServer((req, res) => {
  if (req.url === "/__payrail/counts" && req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
    return;
  }
  if (req.url === "/__payrail/counts/reset" && req.method === "POST") {
    counts = { total: 0, operations: {} };
    res.writeHead(204).end();
    return;
  }
  // X-Amz-Target is `DynamoDB_20120810.TransactWriteItems`: count by operation.
  const operation =
    String(req.headers["x-amz-target"] ?? "unknown")
      .split(".")
      .pop() ?? "unknown";
  counts.total++;
  counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
  const forward = httpRequest(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forward.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(forward);
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  server.closeAllConnections();
  server.close(() => {
    agent.destroy();
    parentPort?.close();
  });
});
