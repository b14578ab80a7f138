// Owns the demo data `npm start` gives a person trying the API: a merchant, a funded wallet and a
// payee, created through the same HTTP API a client uses, kept in the data directory so that every
// restart on the same data shows the same key and accounts; and the files and text that hand them
// over (.local/demo.env for `source`, the block printed last).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { formatMinorUnits } from "../../cli/amounts.js";
import { createMerchant } from "../../lib/ledger/merchants.js";
import { localLedgerStore } from "./local-clients.js";

interface SeedTarget {
  httpUrl: string;
  dynamoEndpoint: string;
  env: Record<string, string>;
}

export interface Demo {
  merchantId: string;
  apiKey: string;
  wallet: string;
  payee: string;
}

/** The demo as shown: whether it was kept from the last run, and the wallet's balance in cents. */
export type ShownDemo = Demo & { kept: boolean; balance: number };

/** Where the demo merchant is remembered: beside the data it lives in, so a reset forgets both. */
export const demoFile = (dataDir: string) => join(dataDir, "demo.json");

async function call(httpUrl: string, apiKey: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${httpUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function post(httpUrl: string, apiKey: string, path: string, body: unknown): Promise<{ id: string }> {
  const response = await call(httpUrl, apiKey, path, body);
  if (!response.ok)
    throw new Error(`seed: POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** The remembered demo, if its key still opens both of its accounts on this stack. */
async function rememberedDemo(stack: SeedTarget, dataDir: string): Promise<Demo | undefined> {
  let demo: Demo;
  try {
    demo = JSON.parse(readFileSync(demoFile(dataDir), "utf8")) as Demo;
  } catch {
    return undefined;
  }
  for (const account of [demo.wallet, demo.payee]) {
    const answer = await call(stack.httpUrl, demo.apiKey, `/v1/accounts/${account}`);
    await answer.body?.cancel();
    if (answer.status !== 200) return undefined;
  }
  return demo;
}

async function balanceOf(stack: SeedTarget, demo: Demo): Promise<number> {
  const answer = await call(stack.httpUrl, demo.apiKey, `/v1/accounts/${demo.wallet}`);
  return ((await answer.json()) as { balance: number }).balance;
}

/** The demo merchant of this data directory: the remembered one, or a new one (then remembered). */
export async function ensureDemo(stack: SeedTarget, dataDir: string): Promise<ShownDemo> {
  const kept = await rememberedDemo(stack, dataDir);
  if (kept) return { ...kept, kept: true, balance: await balanceOf(stack, kept) };
  const { merchantId, apiKey } = await createMerchant(
    localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local"),
    "Demo merchant",
  );
  const wallet = await post(stack.httpUrl, apiKey, "/v1/accounts", { currency: "USD", name: "Demo wallet" });
  await post(stack.httpUrl, apiKey, "/v1/topups", { account: wallet.id, amount: 1_000_000, currency: "USD" });
  const payee = await post(stack.httpUrl, apiKey, "/v1/accounts", { currency: "USD", name: "Demo payee" });
  const demo: Demo = { merchantId, apiKey, wallet: wallet.id, payee: payee.id };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(demoFile(dataDir), `${JSON.stringify(demo, null, 2)}\n`);
  return { ...demo, kept: false, balance: 1_000_000 };
}

/** `source .local/demo.env` sets what the README's examples and the CLI read. */
export function demoEnv(demo: Demo, httpUrl: string): string {
  return [
    "# Written by npm start: the local API and its demo merchant (sandbox only).",
    `export PAYRAIL_URL=${httpUrl}`,
    `export PAYRAIL_API_KEY=${demo.apiKey}`,
    `export PAYRAIL_DEMO_MERCHANT=${demo.merchantId}`,
    `export PAYRAIL_DEMO_WALLET=${demo.wallet}`,
    `export PAYRAIL_DEMO_PAYEE=${demo.payee}`,
    "",
  ].join("\n");
}

export function writeDemoEnv(path: string, demo: Demo, httpUrl: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, demoEnv(demo, httpUrl));
}

/** The block `npm start` prints last. */
export function demoBlock(
  demo: ShownDemo,
  options: { httpUrl: string; envFile: string; readyMs: number; logFile: string | undefined },
): string {
  const curl =
    `curl -s $PAYRAIL_URL/v1/payments -H "Authorization: Bearer $PAYRAIL_API_KEY" ` +
    `-d '{"source":"${demo.wallet}","destination":"${demo.payee}","amount":2500,"currency":"USD"}'`;
  return [
    "",
    `payrail API on ${options.httpUrl} (ready in ${(options.readyMs / 1000).toFixed(1)} s)`,
    `dashboard on ${options.httpUrl}/dashboard/ (sign in with the demo secret key)`,
    "",
    `  PAYRAIL_URL=${options.httpUrl}`,
    `  PAYRAIL_API_KEY=${demo.apiKey}${demo.kept ? "   (demo merchant kept from the last run)" : ""}`,
    `  PAYRAIL_DEMO_WALLET=${demo.wallet}   (USD ${formatMinorUnits(demo.balance, "USD")})`,
    `  PAYRAIL_DEMO_PAYEE=${demo.payee}`,
    "",
    "Try it in another terminal:",
    `  source ${options.envFile}`,
    `  ${curl}`,
    "",
    "data kept in .local/; `npm run reset` starts fresh.",
    options.logFile
      ? `One line per request below; full logs in ${options.logFile} (or npm start -- --verbose). Ctrl-C stops.`
      : "Ctrl-C stops.",
    "",
  ].join("\n");
}
