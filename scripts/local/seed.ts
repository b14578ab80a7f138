// Owns the demo data `npm start` creates for a human trying the API: a merchant, a funded wallet and
// a second wallet, through the same HTTP API a client uses; then prints the key and a curl line.
import { createMerchant } from "../../lib/ledger/merchants.js";
import { localLedgerStore } from "./local-clients.js";

interface SeedTarget {
  httpUrl: string;
  dynamoEndpoint: string;
  env: Record<string, string>;
}

async function post(httpUrl: string, apiKey: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${httpUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`seed: POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

export async function seedDemo(stack: SeedTarget): Promise<void> {
  const { merchantId, apiKey } = await createMerchant(
    localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local"),
    "Demo merchant",
  );
  const wallet = await post(stack.httpUrl, apiKey, "/v1/accounts", { currency: "USD", name: "Demo wallet" });
  await post(stack.httpUrl, apiKey, "/v1/topups", { account: wallet.id, amount: 1_000_000, currency: "USD" });
  const payee = await post(stack.httpUrl, apiKey, "/v1/accounts", { currency: "USD", name: "Demo payee" });
  const curl =
    `curl -s ${stack.httpUrl}/v1/payments -H "Authorization: Bearer ${apiKey}" -H "Idempotency-Key: demo-1" ` +
    `-d '{"source":"${wallet.id}","destination":"${payee.id}","amount":2500,"currency":"USD"}'`;
  process.stdout.write(
    [
      "",
      `payrail: API on ${stack.httpUrl}`,
      `payrail: dashboard on ${stack.httpUrl}/dashboard/ (sign in with the demo secret key)`,
      `payrail: demo merchant ${merchantId}`,
      `payrail: demo secret key ${apiKey}`,
      `payrail: demo wallet ${wallet.id} (USD 10,000.00), payee ${payee.id}`,
      "payrail: try it:",
      `  ${curl}`,
      "",
    ].join("\n"),
  );
}
