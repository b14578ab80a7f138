import { TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { openAccount } from "../../../lib/domain/accounts.js";
import { newId } from "../../../lib/domain/ids.js";
import { newTopup } from "../../../lib/domain/topups.js";
import { FAULTS_HEADER, LOST_ANSWERS_PER_REQUEST } from "../../../lib/faults.js";
import { findAccount, insertAccount } from "../../../lib/ledger/accounts.js";
import { cancelScheduledBatch, findBatch } from "../../../lib/ledger/batches.js";
import { findTopup, recordTopup } from "../../../lib/ledger/topups.js";
import { createAccountSchema } from "../../../lib/schemas/accounts.js";
import { parseWith } from "../../../lib/schemas/validate.js";
import { readCounts, resetCounts } from "../../../scripts/local/dynamo-counter.js";
import { localDynamo } from "../../../scripts/local/local-clients.js";
import { allItems, awaitBatch } from "../../support/batches.js";
import {
  balanceOf,
  ledgerStore,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../../support/fixtures.js";
import { stackContext } from "../../support/stack-context.js";

// Lost answers on every write, without an Idempotency-Key. The request names the fault in the
// test-only header (lib/faults.ts): its first TransactWriteItems executes, and the answers of every
// SDK attempt of it are lost, so the loss reaches payrail itself. Each write must then answer what
// it did (never a 5xx for a write that committed) and have done it exactly once: a client that
// retries a 5xx without a key would pay, credit or open twice.

const LOSE = { [FAULTS_HEADER]: "dynamo.lost-response" };
/** The lost attempts, then the one that tells payrail the truth. */
const TRANSACTIONS_SENT = LOST_ANSWERS_PER_REQUEST + 1;

let merchant: TestMerchant;
let source: string;
let payee: string;

async function transactionsSent(during: () => Promise<void>): Promise<number> {
  const counter = stackContext().dynamoCounterUrl;
  await resetCounts(counter);
  await during();
  return (await readCounts(counter)).operations.TransactWriteItems ?? 0;
}

beforeAll(async () => {
  merchant = await newMerchant("lost-answers");
  source = await openWallet(merchant, "USD", 100_000);
  payee = await openWallet(merchant, "USD");
});

describe("a write whose answer is lost, sent without an Idempotency-Key", () => {
  it("POST /v1/accounts answers 201 and opens exactly one account", async () => {
    let answer: any;
    const sent = await transactionsSent(async () => {
      answer = await merchant.http.post("/v1/accounts", { currency: "EUR", name: "lost" }, { headers: LOSE });
    });
    expect(answer.status, answer.text).toBe(201);
    expect(sent).toBe(TRANSACTIONS_SENT);
    const list = await merchant.http.get("/v1/accounts?limit=100");
    expect(list.body.data.filter((a: { name: string }) => a.name === "lost").map((a: any) => a.id)).toEqual([
      answer.body.id,
    ]);
  });

  it("POST /v1/topups answers 201 and credits exactly once", async () => {
    const wallet = await openWallet(merchant, "USD");
    let answer: any;
    const sent = await transactionsSent(async () => {
      answer = await merchant.http.post(
        "/v1/topups",
        { account: wallet, amount: 2_500, currency: "USD" },
        { headers: LOSE },
      );
    });
    expect(answer.status, answer.text).toBe(201);
    expect(sent).toBe(TRANSACTIONS_SENT);
    expect(await balanceOf(merchant, wallet)).toBe(2_500);
    expect((await merchant.http.get(`/v1/topups/${answer.body.id}`)).body.amount).toBe(2_500);
  });

  it("POST /v1/payments to a wallet answers 201 and moves the money exactly once", async () => {
    const before = { source: await balanceOf(merchant, source), payee: await balanceOf(merchant, payee) };
    const answer = await merchant.http.post(
      "/v1/payments",
      { source, destination: payee, amount: 700, currency: "USD" },
      { headers: LOSE },
    );
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.status).toBe("succeeded");
    expect(await balanceOf(merchant, source)).toBe(before.source - 700);
    expect(await balanceOf(merchant, payee)).toBe(before.payee + 700);
  });

  it("POST /v1/payments to a bank account answers 201 and pays out exactly once", async () => {
    const bank = await openBankAccount(merchant, "000555000001");
    const before = await balanceOf(merchant, source);
    const answer = await merchant.http.post(
      "/v1/payments",
      { source, destination: bank, amount: 900, currency: "USD" },
      { headers: LOSE },
    );
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.status).toBe("succeeded");
    expect(await balanceOf(merchant, source)).toBe(before - 900);
    expect(await balanceOf(merchant, bank)).toBe(900);
  });

  it("POST /v1/refunds answers 201 and returns the money exactly once", async () => {
    const customer = await openWallet(merchant, "USD", 5_000);
    const shop = await openWallet(merchant, "USD");
    const paid = await merchant.http.post("/v1/payments", {
      source: customer,
      destination: shop,
      amount: 1_200,
      currency: "USD",
    });
    expect(paid.status).toBe(201);
    const answer = await merchant.http.post(
      "/v1/refunds",
      { payment: paid.body.id, amount: 500 },
      { headers: LOSE },
    );
    expect(answer.status, answer.text).toBe(201);
    expect(await balanceOf(merchant, customer)).toBe(5_000 - 1_200 + 500);
    expect(await balanceOf(merchant, shop)).toBe(1_200 - 500);
    const refunds = await merchant.http.get(`/v1/refunds?payment=${paid.body.id}`);
    expect(refunds.body.data.map((r: { id: string }) => r.id)).toEqual([answer.body.id]);
  });

  it("POST /v1/batches answers 202, stores one batch and pays it once", async () => {
    const wallet = await openWallet(merchant, "USD", 10_000);
    const answer = await merchant.http.post(
      "/v1/batches",
      { source: wallet, currency: "USD", items: [{ id: "only", destination: payee, amount: 1_000 }] },
      { headers: LOSE },
    );
    expect(answer.status, answer.text).toBe(202);
    const batch = await awaitBatch(merchant, answer.body.id);
    expect(batch.status).toBe("completed");
    expect((await allItems(merchant, answer.body.id)).map((i: any) => i.status)).toEqual(["succeeded"]);
    expect(await balanceOf(merchant, wallet)).toBe(9_000);
    const batches = await merchant.http.get("/v1/batches?limit=100");
    expect(batches.body.data.filter((b: { source: string }) => b.source === wallet)).toHaveLength(1);
  });

  it("POST /v1/batches/{id}/cancel answers 200 to the request that canceled, and 409 to any other", async () => {
    const scheduled = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      items: [{ id: "later", destination: payee, amount: 100 }],
    });
    expect(scheduled.status).toBe(202);
    const cancel = await merchant.http.post(`/v1/batches/${scheduled.body.id}/cancel`, undefined, {
      headers: LOSE,
    });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body.status).toBe("canceled");
    const again = await merchant.http.post(`/v1/batches/${scheduled.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("batch_not_cancelable");
  });
});

describe("a write that meets its own committed effect (a repeat the token no longer covers)", () => {
  it("opening the same account again reports success and leaves one account", async () => {
    const store = ledgerStore();
    const request = parseWith(createAccountSchema, { currency: "USD" });
    const account = openAccount(merchant.merchantId, request, Date.now());
    const response = { statusCode: 201, body: {} };
    await insertAccount(store, account, undefined, response);
    await expect(insertAccount(store, account, undefined, response)).resolves.toBeUndefined();
    expect((await findAccount(store, account.id, merchant.merchantId))?.id).toBe(account.id);
  });

  it("recording the same top-up again reports success and credits once", async () => {
    const store = ledgerStore();
    const wallet = await openWallet(merchant, "USD");
    const topup = newTopup(
      merchant.merchantId,
      { account: wallet, amount: 321, currency: "USD" },
      Date.now(),
    );
    await recordTopup(store, topup, undefined);
    await expect(recordTopup(store, topup, undefined)).resolves.toBeUndefined();
    expect(await balanceOf(merchant, wallet)).toBe(321);
    expect((await findTopup(store, topup.id, merchant.merchantId))?.amount).toBe(321);
  });

  it("canceling again answers true to the request that canceled and false to another", async () => {
    const store = ledgerStore();
    const scheduled = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      items: [{ id: "later", destination: payee, amount: 100 }],
    });
    const batch = await findBatch(store, scheduled.body.id, merchant.merchantId);
    if (!batch) throw new Error("batch not stored");
    const response = { statusCode: 200, body: {} };
    expect(await cancelScheduledBatch(store, batch, Date.now(), "req_first", undefined, response)).toBe(true);
    expect(await cancelScheduledBatch(store, batch, Date.now(), "req_first", undefined, response)).toBe(true);
    expect(await cancelScheduledBatch(store, batch, Date.now(), "req_other", undefined, response)).toBe(
      false,
    );
  });
});

describe("DynamoDB Local honours ClientRequestToken as DynamoDB does", () => {
  it("answers a repeated token with the same items with success and writes once; other items are refused", async () => {
    const stack = stackContext();
    const dynamo = localDynamo(stack.dynamoEndpoint, { maxAttempts: 1 });
    const table = stack.env.PAYRAIL_TABLE ?? "payrail-local";
    const pk = newId("topup");
    const put = (value: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: `token-${pk}`.slice(0, 36),
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { pk: { S: pk }, sk: { S: "probe" }, value: { S: value } },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      });
    await dynamo.send(put("first"));
    await expect(dynamo.send(put("first"))).resolves.toBeDefined();
    await expect(dynamo.send(put("second"))).rejects.toMatchObject({
      name: "IdempotentParameterMismatchException",
    });
  });
});
