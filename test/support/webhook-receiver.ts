// A real HTTP receiver on 127.0.0.1 for the webhook tests: records every delivery (headers and the
// raw body) and answers per path: /ok 200, /flaky/<name> 500 three times then 200, /hang never.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  path: string;
  headers: IncomingMessage["headers"];
  rawBody: string;
  event: { id: string; type: string; data: { object: Record<string, unknown> } };
  receivedAtMs: number;
  answered: number | null;
}

export interface Receiver {
  url(path: string): string;
  deliveries: Delivery[];
  /** Deliveries to `path` (exact). */
  to(path: string): Delivery[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const flakyCounts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const delivery: Delivery = {
        path,
        headers: req.headers,
        rawBody,
        event: JSON.parse(rawBody),
        receivedAtMs: Date.now(),
        answered: null,
      };
      deliveries.push(delivery);
      if (path.startsWith("/hang")) {
        hanging.add(res);
        return;
      }
      let status = 200;
      if (path.startsWith("/flaky")) {
        const seen = (flakyCounts.get(path) ?? 0) + 1;
        flakyCounts.set(path, seen);
        status = seen <= 3 ? 500 : 200;
      }
      delivery.answered = status;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "boom");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    deliveries,
    to: (path) => deliveries.filter((delivery) => delivery.path === path),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
