// The dashboard's pure logic (dashboard/src), run here in Node: money shown exactly, Server-Timing
// parsed, percentiles, per-minute counts and payment search criteria.
import { describe, expect, it } from "vitest";
import { formatMoney, percentOf } from "../../../dashboard/src/format.js";
import type { Payment } from "../../../dashboard/src/payrail.js";
import { criteriaFrom, listQueries, matches, minorUnits } from "../../../dashboard/src/search.js";
import { parseServerTiming } from "../../../dashboard/src/server-timing.js";
import { percentile, perMinute } from "../../../dashboard/src/stats.js";

const payment = (overrides: Partial<Payment>): Payment => ({
  id: "pay_01M8A806SVF9J6VHHWWVKTEMJC",
  object: "payment",
  livemode: false,
  status: "succeeded",
  amount: 1_050,
  amount_refunded: 0,
  return_code: null,
  risk: { score: 0, rules: [] },
  currency: "USD",
  source: "acct_A",
  destination: "acct_B",
  channel: "ledger",
  failure_code: null,
  description: null,
  metadata: {},
  batch: null,
  created_at: 1_796_000_000,
  ...overrides,
});

describe("dashboard view logic", () => {
  it("formats minor units exactly in each currency's exponent", () => {
    expect(formatMoney(123_456, "USD")).toBe("1,234.56 USD");
    expect(formatMoney(5, "USD")).toBe("0.05 USD");
    expect(formatMoney(1_000, "JPY")).toBe("1,000 JPY");
    expect(formatMoney(1_005, "BHD")).toBe("1.005 BHD");
    expect(formatMoney(1_000_000_000_000, "USD")).toBe("10,000,000,000.00 USD");
    expect(formatMoney(-250, "EUR")).toBe("-2.50 EUR");
  });

  it("never shows an unfinished batch as 100%", () => {
    expect(percentOf(1_999, 2_000)).toBe(99);
    expect(percentOf(2_000, 2_000)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });

  it("reads the three phases of a Server-Timing header, and nothing from an incomplete one", () => {
    expect(parseServerTiming("request;dur=1.25, channel;dur=30.50, response;dur=0.07")).toEqual({
      request: 1.25,
      channel: 30.5,
      response: 0.07,
    });
    expect(parseServerTiming("request;dur=1, channel;desc=x;dur=2, response;dur=3, cdn;dur=9")).toEqual({
      request: 1,
      channel: 2,
      response: 3,
    });
    expect(parseServerTiming("request;dur=1, channel;dur=2")).toBeUndefined();
    expect(parseServerTiming(null)).toBeUndefined();
  });

  it("takes nearest-rank percentiles and counts per minute", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 90, 99, 100].map((p) => percentile(values, p))).toEqual([50, 90, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
    expect(perMinute([1_000, 1_001, 1_059, 1_060, 1_179, 880], 1_180, 3)).toEqual([3, 1, 1]);
  });

  it("matches payments on status, either account, an amount range in their own currency and dates", () => {
    expect(minorUnits("10.5", "USD")).toBe(1_050);
    expect(minorUnits("1000", "JPY")).toBe(1_000);
    expect(minorUnits("1.005", "USD")).toBeUndefined();
    expect(minorUnits("abc", "USD")).toBeUndefined();
    const criteria = criteriaFrom(new URLSearchParams("status=succeeded&account=acct_B&min=10.50&max=10.50"));
    expect(matches(payment({}), criteria)).toBe(true);
    expect(matches(payment({ status: "failed" }), criteria)).toBe(false);
    expect(matches(payment({ destination: "acct_C" }), criteria)).toBe(false);
    expect(matches(payment({ source: "acct_B", destination: "acct_C" }), criteria)).toBe(true);
    expect(matches(payment({ amount: 1_049 }), criteria)).toBe(false);
    expect(matches(payment({ amount: 1_051 }), criteria)).toBe(false);
    expect(
      matches(payment({ amount: 11, currency: "JPY" }), criteriaFrom(new URLSearchParams("min=10"))),
    ).toBe(true);
  });

  it("asks the API for what it can filter: an account as source and as destination, a status, dates", () => {
    const day = (text: string, end = false) =>
      new Date(`${text}T${end ? "23:59:59" : "00:00:00"}`).getTime() / 1000;
    expect(
      listQueries(criteriaFrom(new URLSearchParams("account=acct_B&status=failed&from=2026-12-01"))),
    ).toEqual([
      { limit: 100, "created[gte]": day("2026-12-01"), source: "acct_B" },
      { limit: 100, "created[gte]": day("2026-12-01"), destination: "acct_B" },
    ]);
    expect(listQueries(criteriaFrom(new URLSearchParams("status=returned&to=2026-12-02&min=5")))).toEqual([
      { limit: 100, "created[lte]": day("2026-12-02", true), status: "returned" },
    ]);
    expect(listQueries(criteriaFrom(new URLSearchParams("")))).toEqual([{ limit: 100 }]);
  });
});
