import { describe, expect, it } from "vitest";
import { InvalidParametersError } from "../../../lib/errors.js";
import { duplicateItemIds, parseBatchRequest } from "../../../lib/schemas/batches.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const SOURCE = "acct_01M8A806S4QFNP59HM84X942XD";
const DEST = "acct_01M8A806SVF9J6VHHWWVKTEMJC";

function item(i: number, overrides: Record<string, unknown> = {}) {
  return { id: `item-${i}`, destination: DEST, amount: 100 + i, ...overrides };
}

function request(overrides: Record<string, unknown> = {}) {
  return { source: SOURCE, currency: "usd", items: [item(0), item(1)], ...overrides };
}

function errorsOf(input: unknown): {
  errors: { param: string; code: string }[];
  message: string;
  code: string;
} {
  try {
    parseBatchRequest(input, () => NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParametersError);
    const e = error as InvalidParametersError;
    return {
      errors: e.details.errors as { param: string; code: string }[],
      message: e.message,
      code: e.code,
    };
  }
  throw new Error("expected a validation error");
}

describe("batch request validation", () => {
  it("accepts a valid batch and uppercases the currency", () => {
    const parsed = parseBatchRequest(request({ description: "payroll" }), () => NOW);
    expect(parsed).toEqual({
      source: SOURCE,
      currency: "USD",
      items: [item(0), item(1)],
      description: "payroll",
    });
  });

  it("names every malformed item by its index and field", () => {
    const items = [
      item(0),
      item(1, { amount: 0 }),
      item(2, { destination: "bank" }),
      item(3, { id: "has space" }),
    ];
    expect(errorsOf(request({ items })).errors).toEqual([
      expect.objectContaining({ param: "items[1].amount", code: "parameter_invalid" }),
      expect.objectContaining({ param: "items[2].destination", code: "parameter_invalid" }),
      expect.objectContaining({ param: "items[3].id", code: "parameter_invalid" }),
    ]);
  });

  it("reports each repeated item id at its own index, naming the first use", () => {
    const items = [item(0), item(1, { id: "item-0" }), item(2), item(3, { id: "item-0" })];
    expect(errorsOf(request({ items })).errors).toEqual([
      {
        param: "items[1].id",
        code: "duplicate_item_id",
        message: "Item id 'item-0' is already used by items[0].",
      },
      {
        param: "items[3].id",
        code: "duplicate_item_id",
        message: "Item id 'item-0' is already used by items[0].",
      },
    ]);
  });

  it("reports malformed items and duplicates together, in item order", () => {
    const items = [item(0), item(1, { id: "item-0" }), item(2, { amount: "5" })];
    expect(errorsOf(request({ items })).errors.map((e) => e.param)).toEqual([
      "items[1].id",
      "items[2].amount",
    ]);
  });

  it("lists at most 100 errors but counts all of them", () => {
    const items = Array.from({ length: 250 }, (_, i) => item(i, { amount: -1 }));
    const { errors, message } = errorsOf(request({ items }));
    expect(errors).toHaveLength(100);
    expect(errors[0]?.param).toBe("items[0].amount");
    expect(errors[99]?.param).toBe("items[99].amount");
    expect(message).toMatch(/^250 invalid parameters/);
  });

  it("refuses more than 10,000 items and an empty list", () => {
    const many = Array.from({ length: 10_001 }, (_, i) => item(i));
    expect(errorsOf(request({ items: many })).errors).toEqual([
      expect.objectContaining({ param: "items", code: "parameter_invalid" }),
    ]);
    expect(errorsOf(request({ items: [] })).errors).toEqual([
      expect.objectContaining({ param: "items", code: "parameter_invalid" }),
    ]);
  });

  it("accepts exactly 10,000 items", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => item(i));
    expect(parseBatchRequest(request({ items: many }), () => NOW).items).toHaveLength(10_000);
  });

  it("refuses an item paying the source itself", () => {
    expect(errorsOf(request({ items: [item(0, { destination: SOURCE })] })).errors).toEqual([
      expect.objectContaining({ param: "items[0].destination", code: "same_account" }),
    ]);
  });

  it("refuses a total beyond the largest balance", () => {
    const items = Array.from({ length: 1001 }, (_, i) => item(i, { amount: 1_000_000_000_000 }));
    expect(errorsOf(request({ items })).errors).toEqual([
      expect.objectContaining({ param: "items", code: "batch_total_too_large" }),
    ]);
  });

  it("accepts scheduled_at up to 366 days ahead and refuses later or malformed times", () => {
    const ok = new Date(NOW + 366 * 24 * 3600 * 1000).toISOString();
    expect(parseBatchRequest(request({ scheduled_at: ok }), () => NOW).scheduled_at).toBe(
      Date.parse(ok) / 1000,
    );
    expect(
      parseBatchRequest(request({ scheduled_at: "2026-01-01T02:00:00+02:00" }), () => NOW).scheduled_at,
    ).toBe(NOW / 1000);
    expect(parseBatchRequest(request({ scheduled_at: NOW / 1000 + 60 }), () => NOW).scheduled_at).toBe(
      NOW / 1000 + 60,
    );
    const late = new Date(NOW + 367 * 24 * 3600 * 1000).toISOString();
    expect(errorsOf(request({ scheduled_at: late })).errors).toEqual([
      expect.objectContaining({ param: "scheduled_at", code: "parameter_invalid" }),
    ]);
    expect(errorsOf(request({ scheduled_at: "tomorrow" })).errors).toEqual([
      expect.objectContaining({ param: "scheduled_at", code: "parameter_invalid" }),
    ]);
  });

  it("refuses scheduled_at more than 5 minutes in the past as scheduled_at_in_past, and takes less as now", () => {
    const fourMinutesAgo = NOW / 1000 - 240;
    expect(parseBatchRequest(request({ scheduled_at: fourMinutesAgo }), () => NOW).scheduled_at).toBe(
      fourMinutesAgo,
    );
    const error = errorsOf(request({ scheduled_at: "2025-12-31T23:54:59Z" }));
    expect(error.code).toBe("scheduled_at_in_past");
    expect(error.errors).toEqual([
      {
        param: "scheduled_at",
        code: "scheduled_at_in_past",
        message:
          "Invalid scheduled_at: is in the past; omit scheduled_at to pay now (up to 5 minutes past is accepted as now, for clock skew)",
      },
    ]);
  });

  it("ignores ids that are malformed when looking for duplicates", () => {
    expect(duplicateItemIds([{ id: "a b" }, { id: "a b" }, { id: 5 }, { id: 5 }, null])).toEqual([]);
  });
});
