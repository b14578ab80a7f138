// Fixtures for integration tests: merchants are created the way the admin CLI does (directly in
// the ledger, there is no public route), everything else goes through HTTP like a client.
import { createMerchant } from "../../lib/ledger/merchants.js";
import type { LedgerStore } from "../../lib/ledger/records.js";
import { localLedgerStore } from "../../scripts/local/local-clients.js";
import { HttpCaller } from "./http.js";
import { stackContext } from "./stack-context.js";

let store: LedgerStore | undefined;

/** A document client on the stack's DynamoDB, for fixtures and for checking the ledger directly. */
export function ledgerStore(): LedgerStore {
  if (!store) {
    const stack = stackContext();
    store = localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local");
  }
  return store;
}

export interface TestMerchant {
  merchantId: string;
  apiKey: string;
  liveApiKey: string;
  /** Calls with the test key (`sk_test_…`). */
  http: HttpCaller;
  /** Calls with the live key (`sk_live_…`): the same merchant in live mode. */
  live: HttpCaller;
}

export async function newMerchant(name = "test merchant"): Promise<TestMerchant> {
  const issued = await createMerchant(ledgerStore(), name);
  const url = stackContext().httpUrl;
  return {
    ...issued,
    http: new HttpCaller(url, issued.apiKey),
    live: new HttpCaller(url, issued.liveApiKey),
  };
}

/** A merchant on a stack a test started itself (not the shared one). */
export async function newMerchantOn(
  stack: { httpUrl: string; dynamoEndpoint: string; env: Record<string, string> },
  name: string,
): Promise<TestMerchant> {
  const store = localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local");
  const issued = await createMerchant(store, name);
  return {
    ...issued,
    http: new HttpCaller(stack.httpUrl, issued.apiKey),
    live: new HttpCaller(stack.httpUrl, issued.liveApiKey),
  };
}

export async function openWallet(merchant: TestMerchant, currency = "USD", fund = 0): Promise<string> {
  const created = await merchant.http.post("/v1/accounts", { currency });
  if (created.status !== 201) throw new Error(`account creation failed: ${created.status} ${created.text}`);
  if (fund > 0) {
    const topup = await merchant.http.post("/v1/topups", {
      account: created.body.id,
      amount: fund,
      currency,
    });
    if (topup.status !== 201) throw new Error(`top-up failed: ${topup.status} ${topup.text}`);
  }
  return created.body.id as string;
}

export async function openBankAccount(
  merchant: TestMerchant,
  accountNumber: string,
  currency = "USD",
): Promise<string> {
  const created = await merchant.http.post("/v1/accounts", {
    currency,
    type: "bank",
    bank: { account_number: accountNumber, routing_number: "110000000" },
  });
  if (created.status !== 201)
    throw new Error(`bank account creation failed: ${created.status} ${created.text}`);
  return created.body.id as string;
}

export async function balanceOf(merchant: TestMerchant, accountId: string): Promise<number> {
  const answer = await merchant.http.get(`/v1/accounts/${accountId}`);
  return answer.body.balance as number;
}
