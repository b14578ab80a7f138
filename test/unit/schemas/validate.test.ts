import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidParametersError } from "../../../lib/errors.js";
import { minorUnitsOf } from "../../../lib/money/index.js";
import { createBatchSchema } from "../../../lib/schemas/batches.js";
import { closestKnown, knownKeysAt, parseWith } from "../../../lib/schemas/validate.js";

describe("closestKnown", () => {
  const known = ["source", "destination", "amount", "currency", "description", "metadata"];
  it.each([
    ["destinaton", "destination"],
    ["Amount", "amount"],
    ["curency", "currency"],
    ["desc", "description"],
    ["status", undefined],
    ["x", undefined],
  ])("suggests %s -> %s", (unknown, expected) => {
    expect(closestKnown(unknown, known)).toBe(expected);
  });
});

describe("knownKeysAt", () => {
  it("finds the fields of nested objects through arrays and optionals", () => {
    const schema = createBatchSchema();
    expect(knownKeysAt(schema, [])).toContain("scheduled_at");
    expect(knownKeysAt(schema, ["items", 3])).toEqual([
      "id",
      "destination",
      "amount",
      "currency",
      "description",
    ]);
  });
});

describe("minorUnitsOf", () => {
  it.each([
    ["10.50", 2, 1050],
    ["10.5", 2, 1050],
    ["10", 2, 1000],
    ["12.345", 3, 12345],
    ["100", 0, 100],
    ["10.505", 2, undefined],
    ["1e3", 2, undefined],
    ["-1", 2, undefined],
  ])("%s with %i decimals is %s", (text, exponent, expected) => {
    expect(minorUnitsOf(text, exponent)).toBe(expected);
  });
});

describe("one problem reads as itself", () => {
  it("does not repeat the parameter name or say '1 invalid parameter'", () => {
    const schema = z.strictObject({ amount: z.int() });
    try {
      parseWith(schema, { amount: "x" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidParametersError);
      expect((error as Error).message).toMatch(/^Invalid amount: amounts are integers/);
    }
  });
});
