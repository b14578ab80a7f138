// Owns a counting pass-through in front of DynamoDB Local. The handlers reach DynamoDB through it,
// so tests and benchmarks count the real requests a payment makes (by operation), not estimates.
//   GET  /__payrail/counts        -> {"total": n, "operations": {"TransactWriteItems": n, ...}}
//   POST /__payrail/counts/reset  -> zeroes the counters
import { Agent, createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface DynamoCounter {
  url: string;
  stop(): Promise<void>;
}

export interface RequestCounts {
  total: number;
  operations: Record<string, number>;
}

export async function startDynamoCounter(target: string, port = 0): Promise<DynamoCounter> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let counts: RequestCounts = { total: 0, operations: {} };
  const server: Server = createServer((req, res) => {
    if (req.url === "/__payrail/counts" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts));
      return;
    }
    if (req.url === "/__payrail/counts/reset" && req.method === "POST") {
      counts = { total: 0, operations: {} };
      res.writeHead(204).end();
      return;
    }
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
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
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
