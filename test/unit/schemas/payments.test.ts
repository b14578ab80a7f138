import { describe, expect, it } from "vitest";
import { InvalidParametersError } from "../../../lib/errors.js";
import { createPaymentSchema } from "../../../lib/schemas/payments.js";
import { parseWith } from "../../../lib/schemas/validate.js";

const valid = {
  source: "acct_01M8A806S4QFNP59HM84X942XD",
  destination: "acct_01M8A806SVF9J6VHHWWVKTEMJC",
  amount: 1250,
  currency: "usd",
};

function errorsOf(input: unknown) {
  try {
    parseWith(createPaymentSchema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParametersError);
    return (error as InvalidParametersError).details.errors;
  }
  throw new Error("expected a validation error");
}

describe("payment request schema", () => {
  it("accepts a valid payment and uppercases the currency", () => {
    expect(parseWith(createPaymentSchema, valid)).toEqual({ ...valid, currency: "USD" });
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["fractional", 10.5],
    ["above 10^12", 1_000_000_000_001],
    ["unsafe", 2 ** 60],
    ["string", "100"],
  ])("refuses a %s amount with param amount", (_label, amount) => {
    expect(errorsOf({ ...valid, amount })).toEqual([
      expect.objectContaining({ param: "amount", code: "parameter_invalid" }),
    ]);
  });

  it("accepts the largest allowed amount", () => {
    expect(parseWith(createPaymentSchema, { ...valid, amount: 1_000_000_000_000 }).amount).toBe(
      1_000_000_000_000,
    );
  });

  it("refuses unknown currencies", () => {
    expect(errorsOf({ ...valid, currency: "XXX" })).toEqual([
      expect.objectContaining({ param: "currency", code: "parameter_invalid" }),
    ]);
  });

  it("names missing and unknown parameters separately", () => {
    expect(errorsOf({ source: valid.source, amount: 5, currency: "USD", status: "succeeded" })).toEqual([
      { param: "destination", code: "parameter_missing", message: "Missing required parameter: destination" },
      { param: "status", code: "parameter_unknown", message: "Received unknown parameter: status" },
    ]);
  });

  it("refuses ids of the wrong kind", () => {
    expect(errorsOf({ ...valid, destination: "pay_01M8A806SVF9J6VHHWWVKTEMJC" })).toEqual([
      expect.objectContaining({ param: "destination", code: "parameter_invalid" }),
    ]);
  });

  it("refuses non-string metadata values", () => {
    expect(errorsOf({ ...valid, metadata: { order: 5 } })).toEqual([
      expect.objectContaining({ param: "metadata.order", code: "parameter_invalid" }),
    ]);
  });
});
