import { beforeAll, describe, expect, it } from "vitest";
import { balanceOf, newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";

let merchant: TestMerchant;
let source: string;
let destination: string;

beforeAll(async () => {
  merchant = await newMerchant("errors");
  source = await openWallet(merchant, "USD", 1_000);
  destination = await openWallet(merchant, "USD");
});

async function paymentsCount(): Promise<number> {
  const list = await merchant.http.get("/v1/payments?limit=100");
  return list.body.data.length;
}

describe("authentication", () => {
  it("answers 401 without a key, with a malformed key and with an unknown key", async () => {
    const missing = await merchant.http.get("/v1/payments", { apiKey: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ type: "authentication_error", code: "api_key_missing" });
    const malformed = await merchant.http.get("/v1/payments", {
      headers: { authorization: "Basic abc" },
      apiKey: null,
    });
    expect(malformed.status).toBe(401);
    const unknown = await merchant.http.get("/v1/payments", {
      apiKey: "sk_test_doesnotexist000000000000000",
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("api_key_invalid");
  });
});

describe("bad input is a 4xx in the documented shape and writes nothing", () => {
  it.each([
    ["malformed JSON", '{"source": ', "body_not_json"],
    ["a JSON array", "[]", "body_not_object"],
    ["a JSON number", "42", "body_not_object"],
  ])("refuses %s with 400", async (_label, raw, code) => {
    const answer = await merchant.http.call("POST", "/v1/payments", { raw });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toEqual({
      type: "invalid_request_error",
      code,
      message: expect.any(String),
      request_id: expect.stringMatching(/^req_/),
    });
  });

  it.each([
    ["negative", -1],
    ["zero", 0],
    ["fractional", 0.5],
    ["huge", 1e15],
    ["string", "10"],
    ["null", null],
  ])("refuses a %s amount with param amount", async (_label, amount) => {
    const before = await paymentsCount();
    const answer = await merchant.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe("amount");
    expect(await paymentsCount()).toBe(before);
  });

  it("refuses unknown currencies and unknown fields", async () => {
    const currency = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 1,
      currency: "ABC",
    });
    expect(currency.status).toBe(400);
    expect(currency.body.error.param).toBe("currency");
    const unknownField = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 1,
      currency: "USD",
      status: "succeeded",
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toMatchObject({ code: "parameter_unknown", param: "status" });
  });

  it("answers 413 for a body over the 6 MB synchronous payload limit", async () => {
    const raw = JSON.stringify({
      source,
      destination,
      amount: 1,
      currency: "USD",
      description: "x".repeat(6 * 1024 * 1024),
    });
    const answer = await merchant.http.call("POST", "/v1/payments", { raw });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe("body_too_large");
    expect(await balanceOf(merchant, source)).toBe(1_000);
  });

  it("answers 405 with Allow for a wrong method and 404 for an unknown route", async () => {
    const wrong = await merchant.http.call("DELETE", "/v1/payments");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, GET");
    expect(wrong.body.error.code).toBe("method_not_allowed");
    const unknown = await merchant.http.get("/v1/chargebacks");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("route_not_found");
  });

  it("answers 404 for unknown ids and 400 for ids of the wrong shape", async () => {
    const unknown = await merchant.http.get("/v1/payments/pay_01KAAAAAAAAAAAAAAAAAAAAAAA");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    const paymentAsSource = await merchant.http.post("/v1/payments", {
      source: "pay_01KAAAAAAAAAAAAAAAAAAAAAAA",
      destination,
      amount: 1,
      currency: "USD",
    });
    expect(paymentAsSource.status).toBe(400);
    expect(paymentAsSource.body.error.param).toBe("source");
  });

  it("never leaks a stack trace", async () => {
    const answer = await merchant.http.call("POST", "/v1/payments", { raw: '{"amount": {"$gt": 0}}' });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
