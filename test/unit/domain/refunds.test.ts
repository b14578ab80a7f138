import { describe, expect, it } from "vitest";
import { type Payment, paymentFrom } from "../../../lib/domain/payments.js";
import {
  failedRefund,
  judgeRefund,
  planRefund,
  refundableRest,
  toRefundResource,
} from "../../../lib/domain/refunds.js";
import { MAX_BALANCE } from "../../../lib/money/index.js";
import { anAccount } from "../../support/accounts.js";

const merchantId = "mer_A";
const succeeded: Payment = paymentFrom(
  {
    id: "pay_1",
    merchantId,
    source: "acct_S",
    destination: "acct_D",
    amount: 1_000,
    currency: "USD",
    now: 5_000,
  },
  "succeeded",
  "ledger",
);
const order = { id: "re_1", merchantId, paymentId: "pay_1", now: 9_000 };

describe("refund plans", () => {
  it("refunds the whole rest when no amount is given, from the destination back to the source", () => {
    const plan = planRefund(order, { ...succeeded, amountRefunded: 400 });
    expect(plan).toEqual({
      kind: "refund",
      refund: {
        id: "re_1",
        merchantId,
        paymentId: "pay_1",
        status: "succeeded",
        amount: 600,
        currency: "USD",
        from: "acct_D",
        to: "acct_S",
        failureCode: null,
        reason: null,
        metadata: {},
        createdAt: 9,
      },
    });
  });

  it("allows a partial refund up to exactly the rest and refuses one unit more", () => {
    const payment = { ...succeeded, amountRefunded: 700 };
    expect(refundableRest(payment)).toBe(300);
    expect(planRefund({ ...order, amount: 300 }, payment).kind).toBe("refund");
    expect(planRefund({ ...order, amount: 301 }, payment)).toEqual({ kind: "exceeds", rest: 300 });
    expect(planRefund(order, { ...succeeded, amountRefunded: 1_000 })).toEqual({ kind: "exceeds", rest: 0 });
  });

  it("refuses payments that did not succeed and bank payouts", () => {
    for (const status of ["failed", "processing"] as const) {
      expect(planRefund(order, { ...succeeded, status }).kind).toBe("not_refundable");
    }
    expect(planRefund(order, { ...succeeded, channel: "bank" })).toEqual({
      kind: "not_refundable",
      reason: "A bank payout cannot be refunded: the money has left payrail; the bank may return it.",
    });
  });
});

describe("refund verdicts after a failed transaction", () => {
  const from = anAccount({ id: "acct_D", balance: 500 });
  const to = anAccount({ id: "acct_S", balance: 0 });

  it("declines with insufficient_funds when the destination no longer holds the amount", () => {
    expect(judgeRefund({ amount: 501 }, from, to)).toEqual({ kind: "decline", code: "insufficient_funds" });
    expect(judgeRefund({ amount: 500 }, from, to)).toEqual({ kind: "retry" });
  });

  it("declines with balance_limit_exceeded when the source cannot hold the money back", () => {
    expect(judgeRefund({ amount: 1 }, from, { ...to, balance: MAX_BALANCE })).toEqual({
      kind: "decline",
      code: "balance_limit_exceeded",
    });
  });

  it("shows a failed refund with its code", () => {
    const plan = planRefund({ ...order, amount: 10, reason: "duplicate" }, succeeded);
    if (plan.kind !== "refund") throw new Error("expected a refund");
    expect(toRefundResource(failedRefund(plan.refund, "insufficient_funds"))).toEqual({
      id: "re_1",
      object: "refund",
      livemode: false,
      payment: "pay_1",
      amount: 10,
      currency: "USD",
      status: "failed",
      failure_code: "insufficient_funds",
      reason: "duplicate",
      metadata: {},
      created_at: 9,
    });
  });
});
