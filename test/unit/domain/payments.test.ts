import { describe, expect, it } from "vitest";
import type { Account } from "../../../lib/domain/accounts.js";
import { channelFor, judgePayment } from "../../../lib/domain/payments.js";
import { MAX_BALANCE } from "../../../lib/money/index.js";
import { anAccount } from "../../support/accounts.js";

const merchantId = "mer_A";
const account = (overrides: Partial<Account>) => anAccount({ id: "acct_1", merchantId, ...overrides });
const order = { merchantId, source: "acct_S", destination: "acct_D", amount: 500, currency: "USD" };
const source = account({ id: "acct_S", balance: 1000 });
const wallet = account({ id: "acct_D" });
const bank = account({ id: "acct_D", type: "bank", bankLast4: "0001" });

describe("channel dispatch", () => {
  it("serves wallets through the ledger and bank accounts through the bank rail", () => {
    expect(channelFor("wallet")).toBe("ledger");
    expect(channelFor("bank")).toBe("bank");
  });

  it("redirects a ledger attempt to the bank channel when the destination is a bank account", () => {
    expect(judgePayment(order, source, bank, "ledger")).toEqual({ kind: "dispatch", channel: "bank" });
    expect(judgePayment(order, source, wallet, "bank")).toEqual({ kind: "dispatch", channel: "ledger" });
  });
});

describe("payment verdicts", () => {
  it("treats another merchant's account exactly like a missing one", () => {
    const foreign = account({ id: "acct_D", merchantId: "mer_B" });
    expect(judgePayment(order, source, foreign, "ledger")).toEqual({
      kind: "not_found",
      param: "destination",
      id: "acct_D",
    });
    expect(judgePayment(order, source, undefined, "ledger")).toEqual({
      kind: "not_found",
      param: "destination",
      id: "acct_D",
    });
    expect(judgePayment(order, { ...source, merchantId: "mer_B" }, wallet, "ledger")).toEqual({
      kind: "not_found",
      param: "source",
      id: "acct_S",
    });
  });

  it("declines with insufficient_funds when the wallet holds less than the amount", () => {
    expect(judgePayment(order, { ...source, balance: 499 }, wallet, "ledger")).toEqual({
      kind: "decline",
      code: "insufficient_funds",
    });
  });

  it("refuses a currency mismatch on either side as invalid input", () => {
    expect(judgePayment(order, { ...source, currency: "EUR" }, wallet, "ledger")).toMatchObject({
      kind: "invalid",
      code: "currency_mismatch",
      param: "currency",
    });
    expect(judgePayment(order, source, { ...wallet, currency: "GBP" }, "ledger")).toMatchObject({
      kind: "invalid",
      code: "currency_mismatch",
    });
  });

  it("refuses a bank account as source", () => {
    expect(judgePayment(order, { ...source, type: "bank" }, wallet, "ledger")).toMatchObject({
      kind: "invalid",
      code: "source_not_wallet",
      param: "source",
    });
  });

  it("declines a credit that would push the destination past the balance ceiling", () => {
    expect(judgePayment(order, source, { ...wallet, balance: MAX_BALANCE - 499 }, "ledger")).toEqual({
      kind: "decline",
      code: "balance_limit_exceeded",
    });
  });

  it("asks for a retry when every condition holds again (a lost race)", () => {
    expect(judgePayment(order, source, wallet, "ledger")).toEqual({ kind: "retry" });
  });
});
