import { describe, expect, it } from "vitest";
import {
  type FxQuote,
  judgeFxFunds,
  judgeFxPayment,
  judgeQuoteUse,
  paymentFxFromQuote,
  quoteStatus,
  toFxQuoteResource,
} from "../../../lib/domain/fx.js";
import { lockedRateShare } from "../../../lib/domain/refunds.js";
import { anAccount } from "../../support/accounts.js";

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const MERCHANT = "mer_01M8A806S4QFNP59HM84X942XD";

const quote: FxQuote = {
  id: "quote_01M8A806SVF9J6VHHWWVKTEMJC",
  merchantId: MERCHANT,
  sourceCurrency: "USD",
  destinationCurrency: "EUR",
  rate: "0.9215000000",
  sourceAmount: 10_885,
  destinationAmount: 10_000,
  fee: 33,
  converted: 10_852,
  remainder: 0,
  paymentId: null,
  expiresAt: NOW / 1000 + 60,
  createdAt: NOW / 1000,
};

const payment = { sourceCurrency: "USD", destinationCurrency: "EUR", amount: 10_885, currency: "USD" };

describe("FX quotes", () => {
  it("is open until expires_at (exclusive), then expired; used once a payment took it", () => {
    expect(quoteStatus(quote, NOW + 59_999)).toBe("open");
    expect(quoteStatus(quote, NOW + 60_000)).toBe("expired");
    expect(quoteStatus({ ...quote, paymentId: "pay_X" }, NOW)).toBe("used");
  });

  it("answers the inverse rate next to the rate", () => {
    expect(toFxQuoteResource(quote, NOW)).toMatchObject({
      rate: "0.9215000000",
      inverse_rate: "1.085187194",
      status: "open",
      payment: null,
    });
  });

  it("lets a payment use a quote for the same pair and either side's amount", () => {
    expect(judgeQuoteUse(quote, payment, NOW)).toEqual({ kind: "ok" });
    expect(judgeQuoteUse(quote, { ...payment, amount: 10_000, currency: "EUR" }, NOW)).toEqual({
      kind: "ok",
    });
  });

  it("refuses another pair, another amount, a used and an expired quote, in that order", () => {
    expect(judgeQuoteUse(quote, { ...payment, destinationCurrency: "GBP" }, NOW)).toMatchObject({
      code: "quote_mismatch",
      param: "quote",
    });
    expect(judgeQuoteUse(quote, { ...payment, amount: 10_884 }, NOW)).toMatchObject({
      code: "quote_mismatch",
      param: "amount",
    });
    expect(judgeQuoteUse({ ...quote, paymentId: "pay_X" }, payment, NOW + 120_000)).toMatchObject({
      code: "quote_used",
    });
    expect(judgeQuoteUse(quote, payment, NOW + 60_000)).toMatchObject({
      code: "quote_expired",
      param: "quote",
    });
  });

  it("carries the quote's exact numbers into the payment", () => {
    expect(paymentFxFromQuote(quote)).toEqual({
      rate: "0.9215000000",
      sourceCurrency: "USD",
      sourceAmount: 10_885,
      destinationCurrency: "EUR",
      destinationAmount: 10_000,
      fee: 33,
      converted: 10_852,
      remainder: 0,
      quoteId: quote.id,
    });
  });
});

describe("converted payments", () => {
  const order = { merchantId: MERCHANT, source: "acct_S", destination: "acct_D", currency: "USD" };
  const usd = anAccount({ id: "acct_S", merchantId: MERCHANT, currency: "USD", balance: 100_000 });
  const eur = anAccount({ id: "acct_D", merchantId: MERCHANT, currency: "EUR" });

  it("converts from the side the currency names", () => {
    expect(judgeFxPayment(order, usd, eur)).toEqual({
      kind: "convert",
      sourceCurrency: "USD",
      destinationCurrency: "EUR",
      fixed: "source",
    });
    expect(judgeFxPayment({ ...order, currency: "EUR" }, usd, eur)).toMatchObject({ fixed: "destination" });
  });

  it("is an ordinary payment between one currency, unless a quote was named", () => {
    expect(judgeFxPayment(order, usd, { ...eur, currency: "USD" })).toEqual({ kind: "same_currency" });
    expect(judgeFxPayment({ ...order, quote: quote.id }, usd, { ...eur, currency: "USD" })).toMatchObject({
      code: "quote_mismatch",
    });
  });

  it("converts to a bank account too (paid over the rail in its currency)", () => {
    expect(judgeFxPayment(order, usd, { ...eur, type: "bank" })).toEqual({
      kind: "convert",
      sourceCurrency: "USD",
      destinationCurrency: "EUR",
      fixed: "source",
    });
  });

  it("refuses a third currency, a non-wallet source, and other merchants' accounts", () => {
    expect(judgeFxPayment({ ...order, currency: "GBP" }, usd, eur)).toMatchObject({
      code: "currency_mismatch",
    });
    expect(judgeFxPayment(order, { ...usd, type: "bank" }, eur)).toMatchObject({ code: "source_not_wallet" });
    expect(judgeFxPayment(order, { ...usd, merchantId: "mer_other" }, eur)).toMatchObject({
      kind: "not_found",
      param: "source",
    });
    expect(judgeFxPayment(order, usd, undefined)).toMatchObject({ kind: "not_found", param: "destination" });
  });

  it("declines when the source cannot fund the source amount", () => {
    const fx = paymentFxFromQuote(quote);
    expect(judgeFxFunds(fx, { ...usd, balance: 10_884 }, eur)).toEqual({
      kind: "decline",
      code: "insufficient_funds",
    });
    expect(judgeFxFunds(fx, { ...usd, balance: 10_885 }, eur)).toEqual({ kind: "retry" });
  });
});

describe("refunds of converted payments", () => {
  it("give back the destination's share cumulatively, so the parts add up to the whole", () => {
    const fx = { sourceAmount: 10_000, destinationAmount: 9_187 };
    let refunded = 0;
    let given = 0;
    for (const part of [1, 1, 1, 3_330, 2_000, 4_667]) {
      given += lockedRateShare(fx, refunded, part);
      refunded += part;
      expect(given).toBe(Math.floor((refunded * 9_187) / 10_000));
    }
    expect(refunded).toBe(10_000);
    expect(given).toBe(9_187);
  });
});
