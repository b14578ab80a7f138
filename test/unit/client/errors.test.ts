import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentError,
  Payrail,
  PayrailApiError,
  RateLimitError,
  ServerError,
} from "../../../client/index.js";
import { apiError, fakeFetch, PAYMENT } from "./fake-fetch.js";

async function failureOf(answer: Parameters<typeof fakeFetch>[0][number]) {
  const fake = fakeFetch([answer]);
  const payrail = new Payrail({
    apiKey: "sk_test_abc",
    baseUrl: "http://127.0.0.1:3000",
    maxRetries: 0,
    fetch: fake.fetch,
  });
  return payrail.payments
    .create({ source: PAYMENT.source, destination: PAYMENT.destination, amount: 1, currency: "USD" })
    .then(
      () => {
        throw new Error("expected a failure");
      },
      (error: unknown) => error as PayrailApiError,
    );
}

describe("client errors", () => {
  it("maps 401 to AuthenticationError with exact fields", async () => {
    const error = await failureOf(
      apiError(
        401,
        { type: "authentication_error", code: "api_key_invalid", message: "Invalid API key provided." },
        "req_a",
      ),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(PayrailApiError);
    expect(error.name).toBe("AuthenticationError");
    expect([error.status, error.type, error.code, error.param, error.requestId, error.message]).toEqual([
      401,
      "authentication_error",
      "api_key_invalid",
      undefined,
      "req_a",
      "Invalid API key provided.",
    ]);
  });

  it("maps a batch validation 400 to InvalidRequestError with its field errors", async () => {
    const errors = [
      {
        param: "items[3].amount",
        code: "parameter_invalid",
        message: "Invalid items[3].amount: must be greater than 0",
      },
      {
        param: "items[7].id",
        code: "duplicate_item_id",
        message: "Item id 'a' is already used by items[2].",
      },
    ];
    const error = (await failureOf(
      apiError(400, {
        type: "invalid_request_error",
        code: "parameter_invalid",
        message: "2 invalid parameters; first: items[3].amount: must be greater than 0",
        param: "items[3].amount",
        errors,
      }),
    )) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(error.param).toBe("items[3].amount");
    expect(error.errors).toEqual(errors);
  });

  it("maps 402 to PaymentError carrying the failed payment", async () => {
    const failed = { ...PAYMENT, status: "failed", failure_code: "insufficient_funds" };
    const error = (await failureOf(
      apiError(402, {
        type: "payment_error",
        code: "insufficient_funds",
        message: "The source wallet does not hold enough funds for this payment.",
        payment: failed,
      }),
    )) as PaymentError;
    expect(error).toBeInstanceOf(PaymentError);
    expect(error.status).toBe(402);
    expect(error.code).toBe("insufficient_funds");
    expect(error.payment).toEqual(failed);
  });

  it("maps 404 to NotFoundError, an InvalidRequestError", async () => {
    const error = await failureOf(
      apiError(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: "No such account: 'x'",
        param: "destination",
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.param).toBe("destination");
    expect(error.code).toBe("resource_missing");
  });

  it("maps 422 and an exhausted 409 to IdempotencyError", async () => {
    const reused = await failureOf(
      apiError(422, { type: "idempotency_error", code: "idempotency_key_reused", message: "m" }),
    );
    const inUse = await failureOf(
      apiError(409, { type: "idempotency_error", code: "idempotency_key_in_use", message: "m" }),
    );
    expect(reused).toBeInstanceOf(IdempotencyError);
    expect(inUse).toBeInstanceOf(IdempotencyError);
    expect(inUse.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("maps 429 and API Gateway's own 5xx bodies, keeping the Request-Id header", async () => {
    const limited = await failureOf({ status: 429, body: { message: "Too Many Requests" } });
    expect(limited).toBeInstanceOf(RateLimitError);
    expect([limited.code, limited.message]).toEqual(["unexpected_response", "Too Many Requests"]);
    const gateway = await failureOf({
      status: 502,
      text: "<html>Bad Gateway</html>",
      headers: { "request-id": "req_gw" },
    });
    expect(gateway).toBeInstanceOf(ServerError);
    expect([gateway.status, gateway.type, gateway.code, gateway.requestId, gateway.message]).toEqual([
      502,
      "api_error",
      "unexpected_response",
      "req_gw",
      "<html>Bad Gateway</html>",
    ]);
  });
});
