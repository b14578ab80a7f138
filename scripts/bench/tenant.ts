// Owns the benchmark's merchant: created straight in the ledger, then used like a client would, over
// a keep-alive HTTP connection pool with its secret key; and its funded wallets.
import { Agent, request } from "node:http";
import { createMerchant } from "../../lib/ledger/merchants.js";
import type { LedgerStore } from "../../lib/ledger/records.js";

export interface Answer {
  status: number;
  body: any;
  /** The Server-Timing header, when the answer carried one. */
  serverTiming?: string;
}

export interface BenchTenant {
  merchantId: string;
  post(path: string, body: unknown, idempotencyKey?: string): Promise<Answer>;
  /** POSTs an already serialized body, so timing it measures the server, not JSON.stringify. */
  postJson(path: string, payload: string): Promise<Answer>;
  get(path: string): Promise<Answer>;
  /** A new USD wallet holding `fund` minor units. */
  wallet(fund: number): Promise<string>;
  walletPair(fund: number): Promise<{ source: string; destination: string }>;
  /** `count` new wallets, opened `concurrency` at a time. */
  wallets(count: number, fund: number, concurrency?: number): Promise<string[]>;
  close(): void;
}

function expectStatus(what: string, answer: Answer, status: number): Answer {
  if (answer.status !== status) {
    throw new Error(`bench: ${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer;
}

export async function benchTenant(store: LedgerStore, httpUrl: string, name = "bench"): Promise<BenchTenant> {
  const { merchantId, apiKey } = await createMerchant(store, name);
  const base = new URL(httpUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method: string, path: string, payload?: string, idempotencyKey?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
      if (payload !== undefined) headers["content-type"] = "application/json";
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const req = request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON (a proxy error page): kept as text for the error message.
          }
          const timing = res.headers["server-timing"];
          resolve({
            status: res.statusCode ?? 0,
            body,
            serverTiming: typeof timing === "string" ? timing : undefined,
          });
        });
      });
      req.on("error", reject);
      req.end(payload);
    });

  const tenant: BenchTenant = {
    merchantId,
    post: (path, body, key) => send("POST", path, JSON.stringify(body), key),
    postJson: (path, payload) => send("POST", path, payload),
    get: (path) => send("GET", path),
    async wallet(fund) {
      const created = expectStatus(
        "POST /v1/accounts",
        await tenant.post("/v1/accounts", { currency: "USD" }),
        201,
      );
      const id = created.body.id as string;
      if (fund > 0) {
        expectStatus(
          "POST /v1/topups",
          await tenant.post("/v1/topups", { account: id, amount: fund, currency: "USD" }),
          201,
        );
      }
      return id;
    },
    async walletPair(fund) {
      return { source: await tenant.wallet(fund), destination: await tenant.wallet(0) };
    },
    async wallets(count, fund, concurrency = 8) {
      const ids: string[] = new Array(count);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(concurrency, count) }, async () => {
          while (next < count) {
            const i = next++;
            ids[i] = await tenant.wallet(fund);
          }
        }),
      );
      return ids;
    },
    close: () => agent.destroy(),
  };
  return tenant;
}
