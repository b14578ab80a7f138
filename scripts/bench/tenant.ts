// Owns the benchmark's merchant: a keep-alive HTTP client with its key, and funded wallets.
import { Agent, request } from "node:http";
import { createMerchant } from "../../lib/ledger/merchants.js";
import type { LedgerStore } from "../../lib/ledger/records.js";

export interface BenchTenant {
  merchantId: string;
  post(path: string, body: unknown, idempotencyKey?: string): Promise<{ status: number; body: any }>;
  get(path: string): Promise<{ status: number; body: any }>;
  walletPair(fund: number): Promise<{ source: string; destination: string }>;
  wallet(fund: number): Promise<string>;
}

export async function benchTenant(store: LedgerStore, httpUrl: string): Promise<BenchTenant> {
  const { merchantId, apiKey } = await createMerchant(store, "bench");
  const base = new URL(httpUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method: string, path: string, body?: unknown, idempotencyKey?: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
      if (payload !== undefined) headers["content-type"] = "application/json";
      if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
      const req = request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
  const tenant: BenchTenant = {
    merchantId,
    post: (path, body, key) => send("POST", path, body, key),
    get: (path) => send("GET", path),
    async wallet(fund) {
      const created = await send("POST", "/v1/accounts", { currency: "USD" });
      if (fund > 0)
        await send("POST", "/v1/topups", { account: created.body.id, amount: fund, currency: "USD" });
      return created.body.id as string;
    },
    async walletPair(fund) {
      return { source: await tenant.wallet(fund), destination: await tenant.wallet(0) };
    },
  };
  return tenant;
}
