import { describe, expect, it } from "vitest";
import {
  type PayoutInstruction,
  type PayoutResult,
  type PayoutReturn,
  payoutFor,
  type RailBooks,
  sandboxBankRail,
} from "../../../lib/channels/bank-rail.js";

// The books port faked in memory; the DynamoDB adapter (lib/ledger/rail-books.ts) is exercised by
// the integration tests through the stack.
function memoryBooks(): RailBooks & { records: Map<string, PayoutResult> } {
  const records = new Map<string, PayoutResult>();
  const pending = new Map<string, Omit<PayoutReturn, "livemode">>();
  return {
    records,
    async record(paymentId, result, returning) {
      if (!records.has(paymentId)) {
        records.set(paymentId, result);
        if (returning)
          pending.set(paymentId, {
            paymentId,
            returnCode: returning.returnCode,
            returnedAtMs: returning.atMs,
          });
      }
      return records.get(paymentId) as PayoutResult;
    },
    async find(paymentId) {
      return records.get(paymentId);
    },
    async dueReturns(untilMs, limit) {
      return [...pending.values()].filter((r) => r.returnedAtMs <= untilMs).slice(0, limit);
    },
    async acknowledgeReturn(paymentId) {
      pending.delete(paymentId);
    },
  };
}

const payout = (paymentId: string, accountNumber: string): PayoutInstruction =>
  payoutFor(
    { id: paymentId, merchantId: "mer_1", amount: 1_250, currency: "USD" },
    { bankLast4: accountNumber.slice(-4), bankNumber: accountNumber, bankRouting: "110000000" },
  );

describe("sandbox bank rail", () => {
  it("builds the instruction from the payment, its mode and the account's number and routing number", () => {
    expect(payout("pay_1", "000123450001")).toEqual({
      paymentId: "pay_1",
      livemode: false,
      accountNumber: "000123450001",
      accountLast4: "0001",
      routingNumber: "110000000",
      amount: 1_250,
      currency: "USD",
    });
  });

  it("knows nothing of a payout it never received, and remembers what it decided for one it did", async () => {
    const books = memoryBooks();
    const rail = sandboxBankRail({ latencyMs: 0, books });
    expect(await rail.status(payout("pay_1", "0001"))).toBe("unknown");
    expect(await rail.send(payout("pay_1", "0001"))).toBe("accepted");
    expect(await rail.status(payout("pay_1", "0001"))).toBe("accepted");
    expect(await rail.send(payout("pay_2", "0002"))).toBe("declined");
    expect(await rail.status(payout("pay_2", "0002"))).toBe("declined");
    expect([...books.records]).toEqual([
      ["pay_1", "accepted"],
      ["pay_2", "declined"],
    ]);
  });

  it("answers a repeated send of the same payment id with its first decision", async () => {
    const books = memoryBooks();
    const rail = sandboxBankRail({ latencyMs: 0, books });
    expect(await rail.send(payout("pay_3", "0001"))).toBe("accepted");
    // Same reference, different details: the rail has already paid it and says so.
    expect(await rail.send(payout("pay_3", "0002"))).toBe("accepted");
    expect(books.records.size).toBe(1);
  });

  it("accepts a payout to an account ending in 0004, then reports it returned (R03) once it is due, until acknowledged", async () => {
    const books = memoryBooks();
    const rail = sandboxBankRail({ latencyMs: 0, books, returnAfterMs: 5_000 });
    const before = Date.now();
    expect(await rail.send(payout("pay_4", "000123450004"))).toBe("accepted");
    expect(await rail.send(payout("pay_5", "000123450001"))).toBe("accepted");
    expect(await rail.returns(before, 10)).toEqual([]);
    const due = await rail.returns(Date.now() + 5_000, 10);
    expect(due).toEqual([
      { paymentId: "pay_4", returnCode: "R03", returnedAtMs: expect.any(Number), livemode: false },
    ]);
    expect(due[0]?.returnedAtMs).toBeGreaterThanOrEqual(before + 5_000);
    await rail.acknowledgeReturn(due[0] as PayoutReturn);
    expect(await rail.returns(Date.now() + 5_000, 10)).toEqual([]);
    expect(await rail.status(payout("pay_4", "000123450004"))).toBe("accepted");
  });
});
