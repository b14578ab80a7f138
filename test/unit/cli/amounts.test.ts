import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMinorUnits, scaledDecimal, toMinorUnits } from "../../../cli/amounts.js";

describe("decimal amounts to minor units", () => {
  it.each([
    ["1234.56", "USD", 123456],
    ["1000", "JPY", 1000],
    ["1.005", "BHD", 1005],
    ["0.01", "usd", 1],
    ["12.5", "EUR", 1250],
    ["12.50", "EUR", 1250],
    ["7.000", "JPY", 7],
    ["0.29", "USD", 29],
    ["1.15", "USD", 115],
    ["10000000000.00", "USD", 1_000_000_000_000],
  ])("%s %s is %i", (value, currency, expected) => {
    expect(toMinorUnits(value, currency)).toEqual({ ok: true, amount: expected });
  });

  it.each([
    ["1.005", "USD", "amount '1.005' has more decimals than USD allows (2)"],
    ["1.5", "JPY", "amount '1.5' has more decimals than JPY allows (0)"],
    ["-1.00", "USD", "amount '-1.00' is not a decimal number like 1234.56"],
    ["1e3", "USD", "amount '1e3' is not a decimal number like 1234.56"],
    ["0.00", "USD", "amount must be greater than 0"],
    ["10000000000.01", "USD", "amount must be at most 1000000000000 minor units"],
    ["1.00", "XYZ", "currency XYZ is not supported"],
  ])("refuses %s %s", (value, currency, message) => {
    expect(toMinorUnits(value, currency)).toEqual({ ok: false, message });
  });

  it("round-trips every cent amount through its decimal text", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
        expect(toMinorUnits(text, "USD")).toEqual({ ok: true, amount: cents });
      }),
    );
  });

  it("formats minor units for people and scales decimals exactly", () => {
    expect(formatMinorUnits(123456, "USD")).toBe("1,234.56");
    expect(formatMinorUnits(5, "USD")).toBe("0.05");
    expect(formatMinorUnits(1234567, "JPY")).toBe("1,234,567");
    expect(formatMinorUnits(1005, "BHD")).toBe("1.005");
    expect(scaledDecimal("2235.5", 2)).toBe(223550n);
    expect(scaledDecimal("2235.555", 2)).toBeUndefined();
  });
});
