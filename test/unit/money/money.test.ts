import { describe, expect, it } from "vitest";
import {
  add,
  CurrencyMismatchError,
  isCurrency,
  money,
  subtract,
  sumAmounts,
} from "../../../lib/money/index.js";

describe("money", () => {
  it("adds and subtracts integer minor units exactly", () => {
    expect(add(money(10, "USD"), money(20, "USD"))).toEqual({ amount: 30, currency: "USD" });
    expect(subtract(money(1_000_000_000_000, "JPY"), money(1, "JPY"))).toEqual({
      amount: 999_999_999_999,
      currency: "JPY",
    });
  });

  it("refuses arithmetic across currencies instead of converting", () => {
    expect(() => add(money(1, "USD"), money(1, "EUR"))).toThrow(CurrencyMismatchError);
  });

  it("refuses fractional amounts", () => {
    expect(() => money(1.5, "USD")).toThrow(RangeError);
  });

  it("refuses sums that would no longer be exact", () => {
    expect(() => sumAmounts([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
    expect(sumAmounts([1, 2, 3])).toBe(6);
  });

  it("knows the supported ISO 4217 codes", () => {
    for (const code of ["USD", "EUR", "GBP", "JPY", "CNY", "CHF"]) expect(isCurrency(code)).toBe(true);
    expect(isCurrency("XXX")).toBe(false);
    expect(isCurrency("usd")).toBe(false);
  });
});
