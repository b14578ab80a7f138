import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { revokeKey } from "../../../lib/ledger/merchants.js";
import { recordFigures } from "../../support/figures.js";
import {
  balanceOf,
  ledgerStore,
  newMerchant,
  openWallet,
  type TestMerchant,
} from "../../support/fixtures.js";
import { stackContext } from "../../support/stack-context.js";

// Every route, attacked without a key, with a wrong or revoked key, and with another merchant's ids.

let alice: TestMerchant;
let mallory: TestMerchant;
let aliceWallet: string;
let aliceOther: string;
let alicePayment: string;
let aliceBatch: string;
let aliceTopup: string;
let malloryWallet: string;

beforeAll(async () => {
  alice = await newMerchant("alice");
  mallory = await newMerchant("mallory");
  aliceWallet = await openWallet(alice, "USD", 10_000);
  aliceOther = await openWallet(alice, "USD");
  malloryWallet = await openWallet(mallory, "USD", 10_000);
  const paid = await alice.http.post("/v1/payments", {
    source: aliceWallet,
    destination: aliceOther,
    amount: 100,
    currency: "USD",
  });
  alicePayment = paid.body.id;
  const topup = await alice.http.post("/v1/topups", { account: aliceWallet, amount: 1, currency: "USD" });
  aliceTopup = topup.body.id;
  const batch = await alice.http.post("/v1/batches", {
    source: aliceWallet,
    currency: "USD",
    scheduled_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    items: [{ id: "a-1", destination: aliceOther, amount: 5 }],
  });
  aliceBatch = batch.body.id;
});

const routes = () =>
  [
    ["POST", "/v1/accounts", { currency: "USD" }],
    ["GET", "/v1/accounts", undefined],
    ["GET", `/v1/accounts/${aliceWallet}`, undefined],
    ["POST", "/v1/topups", { account: aliceWallet, amount: 1, currency: "USD" }],
    ["GET", `/v1/topups/${aliceTopup}`, undefined],
    ["POST", "/v1/payments", { source: aliceWallet, destination: aliceOther, amount: 1, currency: "USD" }],
    ["GET", "/v1/payments", undefined],
    ["GET", `/v1/payments/${alicePayment}`, undefined],
    [
      "POST",
      "/v1/batches",
      { source: aliceWallet, currency: "USD", items: [{ id: "x", destination: aliceOther, amount: 1 }] },
    ],
    ["GET", "/v1/batches", undefined],
    ["GET", `/v1/batches/${aliceBatch}`, undefined],
    ["GET", `/v1/batches/${aliceBatch}/items`, undefined],
    ["POST", `/v1/batches/${aliceBatch}/cancel`, undefined],
    ["GET", "/v1/ping", undefined],
  ] as const;

describe("authentication on every route", () => {
  it("answers 401 without a key and with a wrong key, and leaks nothing", async () => {
    for (const [method, path, body] of routes()) {
      for (const apiKey of [null, "sk_test_wrongwrongwrongwrongwrongwrong", "pk_live_notasecret"]) {
        const answer = await alice.http.call(method, path, { body, apiKey });
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.body.error.type).toBe("authentication_error");
        expect(answer.text).not.toContain(aliceWallet);
      }
    }
    expect(await balanceOf(alice, aliceWallet)).toBe(9_901);
    recordFigures("security", {
      routes: routes().length,
      "unauthenticated or wrong-key attempts": routes().length * 3,
      "answered other than 401": 0,
    });
  });

  it("stops accepting a revoked key within the auth cache TTL", async () => {
    const victim = await newMerchant("revoked");
    expect((await victim.http.get("/v1/accounts")).status).toBe(200);
    expect(await revokeKey(ledgerStore(), victim.apiKey)).toBe(true);
    const ttlMs = Number(stackContext().env.PAYRAIL_AUTH_CACHE_TTL_SECONDS ?? "30") * 1000;
    const deadline = Date.now() + ttlMs + 3_000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await victim.http.get("/v1/accounts")).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(401);
    for (const [method, path, body] of routes()) {
      expect((await victim.http.call(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("tenant isolation", () => {
  it("answers another merchant's ids exactly like unknown ids on every read", async () => {
    for (const path of [
      `/v1/accounts/${aliceWallet}`,
      `/v1/topups/${aliceTopup}`,
      `/v1/payments/${alicePayment}`,
      `/v1/batches/${aliceBatch}`,
      `/v1/batches/${aliceBatch}/items`,
    ]) {
      const answer = await mallory.http.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe("resource_missing");
      expect(answer.text).not.toContain("alice");
    }
  });

  it("cannot pay from, pay to, top up or cancel another merchant's resources", async () => {
    const from = await mallory.http.post("/v1/payments", {
      source: aliceWallet,
      destination: malloryWallet,
      amount: 1,
      currency: "USD",
    });
    expect(from.status).toBe(404);
    const to = await mallory.http.post("/v1/payments", {
      source: malloryWallet,
      destination: aliceWallet,
      amount: 1,
      currency: "USD",
    });
    expect(to.status).toBe(404);
    const topup = await mallory.http.post("/v1/topups", { account: aliceWallet, amount: 1, currency: "USD" });
    expect(topup.status).toBe(404);
    const batchFrom = await mallory.http.post("/v1/batches", {
      source: aliceWallet,
      currency: "USD",
      items: [{ id: "steal", destination: malloryWallet, amount: 1 }],
    });
    expect(batchFrom.status).toBe(404);
    const cancel = await mallory.http.post(`/v1/batches/${aliceBatch}/cancel`);
    expect(cancel.status).toBe(404);
    expect(await balanceOf(alice, aliceWallet)).toBe(9_901);
    expect(await balanceOf(mallory, malloryWallet)).toBe(10_000);
    expect((await alice.http.get(`/v1/batches/${aliceBatch}`)).body.status).toBe("scheduled");
  });

  it("lists only the caller's resources, whatever the cursor", async () => {
    for (const [path, foreignId] of [
      ["/v1/accounts", aliceWallet],
      ["/v1/payments", alicePayment],
      ["/v1/batches", aliceBatch],
    ] as const) {
      const plain = await mallory.http.get(`${path}?limit=100`);
      expect(plain.text).not.toContain(foreignId);
      const cursor = await mallory.http.get(`${path}?limit=100&starting_after=${foreignId}`);
      expect(cursor.status).toBeLessThan(500);
      expect(cursor.text).not.toContain(foreignId);
    }
  });
});

describe("mass assignment", () => {
  it("refuses client-set status, balance and id on every create", async () => {
    const account = await mallory.http.post("/v1/accounts", { currency: "USD", balance: 10 ** 9 });
    expect(account.status).toBe(400);
    expect(account.body.error).toMatchObject({ code: "parameter_unknown", param: "balance" });
    const payment = await mallory.http.post("/v1/payments", {
      source: malloryWallet,
      destination: malloryWallet,
      amount: 1,
      currency: "USD",
      status: "succeeded",
      id: "pay_01KAAAAAAAAAAAAAAAAAAAAAAA",
    });
    expect(payment.status).toBe(400);
    expect(payment.body.error.errors.map((e: { param: string }) => e.param).sort()).toEqual(["id", "status"]);
    const batch = await mallory.http.post("/v1/batches", {
      source: malloryWallet,
      currency: "USD",
      status: "completed",
      items: [{ id: "x", destination: malloryWallet, amount: 1, status: "succeeded" }],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.errors.map((e: { param: string }) => e.param).sort()).toEqual([
      "items[0].status",
      "status",
    ]);
  });
});

describe("logs", () => {
  it("never contain a secret key, a full bank account number or a request body", async () => {
    const secretBank = "998877665544";
    await alice.http.post("/v1/accounts", {
      currency: "USD",
      type: "bank",
      bank: { account_number: secretBank, routing_number: "110000000" },
    });
    await alice.http.post("/v1/payments", {
      source: aliceWallet,
      destination: aliceOther,
      amount: 1,
      currency: "USD",
      description: "private-note-7731",
    });
    await alice.http.get("/v1/payments", { apiKey: `${alice.apiKey}x` });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the log stream flush
    const logs = readFileSync(stackContext().logFile, "utf8");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain(alice.merchantId); // the request lines are there...
    expect(logs).not.toContain(alice.apiKey); // ...but never the key,
    expect(logs).not.toContain(mallory.apiKey);
    expect(logs).not.toContain(secretBank); // the bank number,
    expect(logs).not.toContain("private-note-7731"); // or a body.
  });
});
