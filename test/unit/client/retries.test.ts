import { describe, expect, it } from "vitest";
import {
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentError,
  Payrail,
  PayrailConnectionError,
  ServerError,
} from "../../../client/index.js";
import { Transport } from "../../../client/transport.js";
import { apiError, fakeFetch, PAYMENT } from "./fake-fetch.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ORDER = {
  source: PAYMENT.source,
  destination: PAYMENT.destination,
  amount: 1250,
  currency: "usd",
};

function client(fetch: typeof globalThis.fetch, maxRetries = 2) {
  return new Payrail({
    apiKey: "sk_test_abc",
    baseUrl: "http://127.0.0.1:3000/",
    maxRetries,
    initialRetryDelayMs: 1,
    maxRetryDelayMs: 2,
    fetch,
  });
}

describe("client retries", () => {
  it("retries a POST after a 503 with the same generated Idempotency-Key", async () => {
    const fake = fakeFetch([
      apiError(503, { type: "api_error", code: "service_unavailable", message: "busy" }),
      { status: 201, body: PAYMENT, headers: { "request-id": "req_2" } },
    ]);
    const payment = await client(fake.fetch).payments.create(ORDER);
    expect(payment).toEqual(PAYMENT);
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect(first?.headers["idempotency-key"]).toMatch(UUID);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(first?.body).toEqual(ORDER);
    expect(second?.body).toEqual(ORDER);
    expect(first?.headers.authorization).toBe("Bearer sk_test_abc");
    expect(first?.url.href).toBe("http://127.0.0.1:3000/v1/payments");
    expect(payment.lastResponse.requestId).toBe("req_2");
    expect(payment.lastResponse.status).toBe(201);
    expect(payment.lastResponse.idempotentReplayed).toBe(false);
    expect(payment.lastResponse.idempotencyKey).toBe(first?.headers["idempotency-key"]);
    expect(JSON.stringify(payment)).toBe(JSON.stringify(PAYMENT));
  });

  it("retries a POST after a network error and 409 idempotency_key_in_use, reporting the replay", async () => {
    const fake = fakeFetch([
      new TypeError("fetch failed"),
      apiError(409, { type: "idempotency_error", code: "idempotency_key_in_use", message: "in use" }),
      { status: 201, body: PAYMENT, headers: { "request-id": "req_1", "idempotent-replayed": "true" } },
    ]);
    const payment = await client(fake.fetch).payments.create(ORDER);
    const keys = fake.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(payment.lastResponse.idempotentReplayed).toBe(true);
    expect(payment.lastResponse.requestId).toBe("req_1");
  });

  it("retries GETs after a 429 and a 500", async () => {
    const fake = fakeFetch([
      { status: 429, body: { message: "Too Many Requests" } },
      apiError(500, { type: "api_error", code: "internal_error", message: "An internal error occurred." }),
      { status: 200, body: PAYMENT },
    ]);
    await expect(client(fake.fetch).payments.retrieve(PAYMENT.id)).resolves.toEqual(PAYMENT);
    expect(fake.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
    expect(fake.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it.each([
    [
      400,
      { type: "invalid_request_error", code: "parameter_invalid", message: "bad", param: "amount" },
      InvalidRequestError,
    ],
    [
      402,
      { type: "payment_error", code: "insufficient_funds", message: "no", payment: PAYMENT },
      PaymentError,
    ],
    [404, { type: "invalid_request_error", code: "resource_missing", message: "none" }, NotFoundError],
    [
      409,
      { type: "invalid_request_error", code: "batch_not_cancelable", message: "late" },
      InvalidRequestError,
    ],
    [422, { type: "idempotency_error", code: "idempotency_key_reused", message: "reused" }, IdempotencyError],
  ])("does not retry a %i", async (status, error, errorClass) => {
    const fake = fakeFetch([apiError(status, error), { status: 201, body: PAYMENT }]);
    await expect(client(fake.fetch).payments.create(ORDER)).rejects.toBeInstanceOf(errorClass);
    expect(fake.requests).toHaveLength(1);
    expect(fake.remaining()).toBe(1);
  });

  it("gives up after maxRetries and throws the last answer", async () => {
    const busy = () =>
      apiError(503, { type: "api_error", code: "service_unavailable", message: "busy" }, "req_9");
    const fake = fakeFetch([busy(), busy(), busy(), busy()]);
    const error = await client(fake.fetch, 2)
      .payments.create(ORDER)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, code: "service_unavailable", requestId: "req_9" });
    expect(fake.requests).toHaveLength(3);
  });

  it("throws PayrailConnectionError carrying the key when the network never answers", async () => {
    const fake = fakeFetch([new TypeError("fetch failed"), new TypeError("fetch failed")]);
    const error = (await client(fake.fetch, 1)
      .payments.create(ORDER)
      .catch((e: unknown) => e)) as PayrailConnectionError;
    expect(error).toBeInstanceOf(PayrailConnectionError);
    expect(error.idempotencyKey).toBe(fake.requests[0]?.headers["idempotency-key"]);
    expect(error.message).toBe("Could not reach http://127.0.0.1:3000: fetch failed");
    expect(fake.requests).toHaveLength(2);
  });

  it("sends the caller's Idempotency-Key, and a new generated key for each new call", async () => {
    const fake = fakeFetch([
      { status: 201, body: PAYMENT },
      { status: 201, body: PAYMENT },
      { status: 201, body: PAYMENT },
    ]);
    const payrail = client(fake.fetch);
    await payrail.payments.create(ORDER, { idempotencyKey: "order-42" });
    await payrail.payments.create(ORDER);
    await payrail.payments.create(ORDER);
    const keys = fake.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toBe("order-42");
    expect(keys[1]).toMatch(UUID);
    expect(keys[2]).toMatch(UUID);
    expect(keys[1]).not.toBe(keys[2]);
  });

  it("backs off exponentially with jitter, capped, and honours Retry-After", () => {
    const transport = new Transport({
      apiKey: "k",
      baseUrl: "http://x",
      maxRetries: 5,
      initialRetryDelayMs: 100,
      maxRetryDelayMs: 1_000,
      timeoutMs: 1_000,
      fetch: globalThis.fetch,
    });
    for (let i = 0; i < 50; i++) {
      const d1 = transport.retryDelayMs(1, null);
      const d3 = transport.retryDelayMs(3, null);
      const d9 = transport.retryDelayMs(9, null);
      expect(d1).toBeGreaterThanOrEqual(50);
      expect(d1).toBeLessThanOrEqual(100);
      expect(d3).toBeGreaterThanOrEqual(200);
      expect(d3).toBeLessThanOrEqual(400);
      expect(d9).toBeGreaterThanOrEqual(500);
      expect(d9).toBeLessThanOrEqual(1_000);
    }
    expect(transport.retryDelayMs(1, "0.25")).toBe(250);
    expect(transport.retryDelayMs(1, "60")).toBe(1_000);
  });
});
