import { beforeAll, describe, expect, it } from "vitest";
import { listKeys } from "../../lib/ledger/keys.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";

let merchant: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("payments");
  other = await newMerchant("payments-other");
});

describe("real-time payments: ledger channel", () => {
  it("moves money between two wallets atomically and reports it succeeded", async () => {
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 2_500,
      currency: "USD",
      description: "invoice 42",
      metadata: { invoice: "42" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^pay_/),
      object: "payment",
      livemode: false,
      status: "succeeded",
      amount: 2_500,
      currency: "USD",
      source,
      destination,
      channel: "ledger",
      failure_code: null,
      description: "invoice 42",
      metadata: { invoice: "42" },
      batch: null,
      amount_refunded: 0,
      return_code: null,
      risk: { score: 0, rules: [] },
      created_at: expect.any(Number),
    });
    expect(await balanceOf(merchant, source)).toBe(7_500);
    expect(await balanceOf(merchant, destination)).toBe(2_500);
    const read = await merchant.http.get(`/v1/payments/${answer.body.id}`);
    expect(read.body).toEqual(answer.body);
  });

  it("carries Request-Id and the three Server-Timing phases", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 1,
      currency: "USD",
    });
    expect(answer.headers.get("request-id")).toMatch(/^req_/);
    expect(answer.headers.get("server-timing")).toMatch(
      /^request;dur=\d+\.\d+, channel;dur=\d+\.\d+, response;dur=\d+\.\d+$/,
    );
  });

  it("records an unfunded payment as failed and answers 402 insufficient_funds", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 101,
      currency: "USD",
    });
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({
      type: "payment_error",
      code: "insufficient_funds",
      payment: { status: "failed", failure_code: "insufficient_funds", amount: 101, source, destination },
    });
    const read = await merchant.http.get(`/v1/payments/${answer.body.error.payment.id}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe("failed");
    expect(await balanceOf(merchant, source)).toBe(100);
    expect(await balanceOf(merchant, destination)).toBe(0);
  });

  it("refuses mismatched currencies with 400 and writes nothing", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "EUR");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 10,
      currency: "USD",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "currency_mismatch", param: "currency" });
    expect(await balanceOf(merchant, source)).toBe(100);
  });

  it("refuses paying an account to itself", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination: source,
      amount: 10,
      currency: "USD",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "same_account", param: "destination" });
  });

  it("answers 404 for unknown or foreign accounts on either side and moves nothing", async () => {
    const mine = await openWallet(merchant, "USD", 500);
    const theirs = await openWallet(other, "USD", 500);
    const toForeign = await merchant.http.post("/v1/payments", {
      source: mine,
      destination: theirs,
      amount: 10,
      currency: "USD",
    });
    expect(toForeign.status).toBe(404);
    expect(toForeign.body.error).toMatchObject({ code: "resource_missing", param: "destination" });
    const fromForeign = await merchant.http.post("/v1/payments", {
      source: theirs,
      destination: mine,
      amount: 10,
      currency: "USD",
    });
    expect(fromForeign.status).toBe(404);
    expect(fromForeign.body.error).toMatchObject({ code: "resource_missing", param: "source" });
    expect(await balanceOf(merchant, mine)).toBe(500);
    expect(await balanceOf(other, theirs)).toBe(500);
  });

  it("hides another merchant's payment behind 404", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "USD");
    const paid = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 10,
      currency: "USD",
    });
    const foreign = await other.http.get(`/v1/payments/${paid.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("resource_missing");
  });

  it("lists payments newest first", async () => {
    const fresh = await newMerchant("payments-list");
    const source = await openWallet(fresh, "USD", 1_000);
    const destination = await openWallet(fresh, "USD");
    const ids: string[] = [];
    for (const amount of [1, 2, 3]) {
      const paid = await fresh.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
      ids.push(paid.body.id);
    }
    const page = await fresh.http.get("/v1/payments?limit=2");
    expect(page.body.data.map((p: { amount: number }) => p.amount)).toEqual([3, 2]);
    expect(page.body.has_more).toBe(true);
    const rest = await fresh.http.get(`/v1/payments?starting_after=${ids[1]}`);
    expect(rest.body.data.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
    expect(rest.body.has_more).toBe(false);
  });

  it("pages through payments spread over every index partition, newest first, each once", async () => {
    const fresh = await newMerchant("payments-list-partitions");
    const source = await openWallet(fresh, "USD", 1_000);
    const destination = await openWallet(fresh, "USD");
    const ids: string[] = [];
    for (let amount = 1; amount <= 40; amount++) {
      const paid = await fresh.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
      ids.push(paid.body.id);
    }
    // Ids are random, so which of the 8 partitions fill is too; 40 ids fill at least 5 (all but
    // certainly all 8), so pages are merged across partitions.
    const partitions = new Set(ids.map((id) => listKeys(fresh.merchantId, "payment", id).gsi1pk));
    expect(partitions.size).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    const hasMore: boolean[] = [];
    let after: string | undefined;
    do {
      const page = await fresh.http.get(`/v1/payments?limit=7${after ? `&starting_after=${after}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((p: { id: string }) => p.id));
      hasMore.push(page.body.has_more);
      after = page.body.has_more ? seen.at(-1) : undefined;
    } while (after);
    expect(seen).toEqual([...ids].reverse());
    expect(hasMore).toEqual([true, true, true, true, true, false]);
  });
});

describe("real-time payments: bank channel", () => {
  it("pays out to a bank account and grows its paid-out total", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const bank = await openBankAccount(merchant, "0001230001");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 400,
      currency: "USD",
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: "succeeded", channel: "bank", failure_code: null });
    expect(await balanceOf(merchant, source)).toBe(600);
    expect(await balanceOf(merchant, bank)).toBe(400);
  });

  it("reverses a payout the rail declines (account ending 0002) and records it failed", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const bank = await openBankAccount(merchant, "0001230002");
    const answer = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 400,
      currency: "USD",
    });
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({
      type: "payment_error",
      code: "channel_declined",
      payment: { status: "failed", channel: "bank", failure_code: "channel_declined" },
    });
    expect(await balanceOf(merchant, source)).toBe(1_000);
    expect(await balanceOf(merchant, bank)).toBe(0);
    const read = await merchant.http.get(`/v1/payments/${answer.body.error.payment.id}`);
    expect(read.body.status).toBe("failed");
  });

  it("refuses a bank account as the source", async () => {
    const bank = await openBankAccount(merchant, "0001230001");
    const wallet = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/payments", {
      source: bank,
      destination: wallet,
      amount: 1,
      currency: "USD",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "source_not_wallet", param: "source" });
  });
});
