import { beforeAll, describe, expect, it } from "vitest";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("idempotency");
});

const key = () => `key-${Math.random().toString(36).slice(2)}`;

describe("Idempotency-Key", () => {
  it("replays the first response for a repeated Idempotency-Key and pays once", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const headers = { "idempotency-key": key() };
    const body = { source, destination, amount: 300, currency: "USD" };
    const first = await merchant.http.post("/v1/payments", body, { headers });
    const second = await merchant.http.post("/v1/payments", body, { headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect(await balanceOf(merchant, source)).toBe(700);
    expect(await balanceOf(merchant, destination)).toBe(300);
  });

  it("matches a replay whatever the key order and whitespace of the body", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const headers = { "idempotency-key": key() };
    const first = await merchant.http.post(
      "/v1/payments",
      { source, destination, amount: 5, currency: "USD" },
      { headers },
    );
    const raw = `{ "currency": "USD",  "amount": 5, "destination": "${destination}", "source": "${source}" }`;
    const second = await merchant.http.call("POST", "/v1/payments", { raw, headers });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it("replays a declined payment's 402 without recording a second payment", async () => {
    const source = await openWallet(merchant, "USD", 10);
    const destination = await openWallet(merchant, "USD");
    const headers = { "idempotency-key": key() };
    const body = { source, destination, amount: 11, currency: "USD" };
    const first = await merchant.http.post("/v1/payments", body, { headers });
    const second = await merchant.http.post("/v1/payments", body, { headers });
    expect(first.status).toBe(402);
    expect(second.status).toBe(402);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("refuses the same key with a different body with 422 idempotency_key_reused", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const headers = { "idempotency-key": key() };
    await merchant.http.post(
      "/v1/payments",
      { source, destination, amount: 1, currency: "USD" },
      { headers },
    );
    const reused = await merchant.http.post(
      "/v1/payments",
      { source, destination, amount: 2, currency: "USD" },
      { headers },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });
    expect(await balanceOf(merchant, source)).toBe(999);
  });

  it("answers 409 idempotency_key_in_use while the first request is still running", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    // Sandbox account numbers ending 0003 make the bank rail answer slowly.
    const slowBank = await openBankAccount(merchant, "0009990003");
    const headers = { "idempotency-key": key() };
    const body = { source, destination: slowBank, amount: 50, currency: "USD" };
    const first = merchant.http.post("/v1/payments", body, { headers });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const concurrent = await merchant.http.post("/v1/payments", body, { headers });
    expect(concurrent.status).toBe(409);
    expect(concurrent.body.error).toMatchObject({
      type: "idempotency_error",
      code: "idempotency_key_in_use",
    });
    const finished = await first;
    expect(finished.status).toBe(201);
    const replay = await merchant.http.post("/v1/payments", body, { headers });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(finished.body);
    expect(await balanceOf(merchant, source)).toBe(950);
  });

  it("keys are scoped to the merchant: another merchant's same key is independent", async () => {
    const other = await newMerchant("idempotency-other");
    const headers = { "idempotency-key": key() };
    const mine = await merchant.http.post("/v1/accounts", { currency: "USD" }, { headers });
    const theirs = await other.http.post("/v1/accounts", { currency: "USD" }, { headers });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it("applies to every POST: a replayed top-up credits once", async () => {
    const wallet = await openWallet(merchant, "USD");
    const headers = { "idempotency-key": key() };
    const body = { account: wallet, amount: 700, currency: "USD" };
    const first = await merchant.http.post("/v1/topups", body, { headers });
    const second = await merchant.http.post("/v1/topups", body, { headers });
    expect(second.body).toEqual(first.body);
    expect(await balanceOf(merchant, wallet)).toBe(700);
  });

  it("refuses keys longer than 255 characters", async () => {
    const answer = await merchant.http.post(
      "/v1/accounts",
      { currency: "USD" },
      { headers: { "idempotency-key": "k".repeat(256) } },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "idempotency_key_invalid", param: "Idempotency-Key" });
  });
});
