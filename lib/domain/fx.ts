// Owns the FX aggregates and rules: a quote (an exact conversion locked for a short time, usable
// once), the `fx` record of a converted payment, and the checks a payment makes against a quote.
// Pure: the ledger supplies the quote and the accounts, this module supplies the decision.

import { type MessageRef, messageRef } from "../i18n/message-ref.js";
import {
  type Conversion,
  type ConversionOutcome,
  type Currency,
  formatRate,
  inverseRate,
  MAX_BALANCE,
} from "../money/index.js";
import { parseRate } from "../money/rate.js";
import type { FxQuoteResource, PaymentFxResource } from "../schemas/fx.js";
import type { Account } from "./accounts.js";

export interface FxQuote {
  id: string;
  merchantId: string;
  sourceCurrency: Currency;
  destinationCurrency: Currency;
  /** The exact rate as text ("0.9215000000"), the digits the conversion used. */
  rate: string;
  sourceAmount: number;
  destinationAmount: number;
  fee: number;
  converted: number;
  remainder: number;
  /** The payment that used it; a quote is used at most once. */
  paymentId: string | null;
  /** Unix seconds; usable while now < expiresAt. */
  expiresAt: number;
  createdAt: number;
}

/** What a converted payment records: the amounts on both sides and where each minor unit went. */
export interface PaymentFx {
  rate: string;
  sourceCurrency: Currency;
  sourceAmount: number;
  destinationCurrency: Currency;
  destinationAmount: number;
  fee: number;
  converted: number;
  remainder: number;
  quoteId: string | null;
}

/** The amounts of a conversion as numbers: each is at most 10^12, exact in a double. */
export function fxAmounts(conversion: Conversion) {
  return {
    sourceAmount: Number(conversion.sourceAmount),
    destinationAmount: Number(conversion.destinationAmount),
    fee: Number(conversion.fee),
    converted: Number(conversion.converted),
    remainder: Number(conversion.remainder),
  };
}

export function quoteFrom(
  conversion: Conversion,
  ids: { id: string; merchantId: string },
  nowMs: number,
  validSeconds: number,
): FxQuote {
  const createdAt = Math.floor(nowMs / 1000);
  return {
    ...ids,
    sourceCurrency: conversion.sourceCurrency,
    destinationCurrency: conversion.destinationCurrency,
    rate: formatRate(conversion.rate),
    ...fxAmounts(conversion),
    paymentId: null,
    expiresAt: createdAt + validSeconds,
    createdAt,
  };
}

export function paymentFxFrom(conversion: Conversion, quoteId: string | null): PaymentFx {
  return {
    rate: formatRate(conversion.rate),
    sourceCurrency: conversion.sourceCurrency,
    destinationCurrency: conversion.destinationCurrency,
    ...fxAmounts(conversion),
    quoteId,
  };
}

export function paymentFxFromQuote(quote: FxQuote): PaymentFx {
  const {
    rate,
    sourceCurrency,
    destinationCurrency,
    sourceAmount,
    destinationAmount,
    fee,
    converted,
    remainder,
  } = quote;
  return {
    rate,
    sourceCurrency,
    destinationCurrency,
    sourceAmount,
    destinationAmount,
    fee,
    converted,
    remainder,
    quoteId: quote.id,
  };
}

/** Whether a quote can still be used at `nowMs`. */
export function quoteIsOpen(quote: FxQuote, nowMs: number): boolean {
  return quote.paymentId === null && Math.floor(nowMs / 1000) < quote.expiresAt;
}

export function quoteStatus(quote: FxQuote, nowMs: number): FxQuoteResource["status"] {
  if (quote.paymentId !== null) return "used";
  return quoteIsOpen(quote, nowMs) ? "open" : "expired";
}

export function toFxQuoteResource(quote: FxQuote, nowMs: number): FxQuoteResource {
  return {
    id: quote.id,
    object: "fx_quote",
    status: quoteStatus(quote, nowMs),
    source_currency: quote.sourceCurrency,
    destination_currency: quote.destinationCurrency,
    rate: quote.rate,
    inverse_rate: formatRate(inverseRate(parseRate(quote.rate))),
    source_amount: quote.sourceAmount,
    destination_amount: quote.destinationAmount,
    fee: quote.fee,
    remainder: quote.remainder,
    payment: quote.paymentId,
    expires_at: quote.expiresAt,
    created_at: quote.createdAt,
  };
}

export function toPaymentFxResource(fx: PaymentFx): PaymentFxResource {
  return {
    rate: fx.rate,
    source_currency: fx.sourceCurrency,
    source_amount: fx.sourceAmount,
    destination_currency: fx.destinationCurrency,
    destination_amount: fx.destinationAmount,
    fee: fx.fee,
    remainder: fx.remainder,
    quote: fx.quoteId,
  };
}

/** Why a payment may not use a quote; checked before anything is written. */
export type QuoteVerdict =
  | { kind: "ok" }
  | {
      kind: "invalid";
      code: "quote_mismatch" | "quote_used" | "quote_expired";
      param: string;
      message: string | MessageRef;
    };

/**
 * A payment from a `sourceCurrency` wallet to a `destinationCurrency` account of `amount` in
 * `currency` may use the quote only when the quote converts exactly that: the same pair, and the
 * amount equal to the quote's amount on the side `currency` names. Then it must be unused and unexpired.
 */
export function judgeQuoteUse(
  quote: FxQuote,
  payment: { sourceCurrency: string; destinationCurrency: string; amount: number; currency: string },
  nowMs: number,
): QuoteVerdict {
  if (
    quote.sourceCurrency !== payment.sourceCurrency ||
    quote.destinationCurrency !== payment.destinationCurrency
  ) {
    return {
      kind: "invalid",
      code: "quote_mismatch",
      param: "quote",
      message: messageRef("quote_mismatch.pair", {
        quoteFrom: quote.sourceCurrency,
        quoteTo: quote.destinationCurrency,
        from: payment.sourceCurrency,
        to: payment.destinationCurrency,
      }),
    };
  }
  const quoted = payment.currency === quote.sourceCurrency ? quote.sourceAmount : quote.destinationAmount;
  if (payment.amount !== quoted) {
    return {
      kind: "invalid",
      code: "quote_mismatch",
      param: "amount",
      message: messageRef("quote_mismatch.amount", {
        quoted,
        currency: payment.currency,
        amount: payment.amount,
      }),
    };
  }
  if (quote.paymentId !== null) {
    return {
      kind: "invalid",
      code: "quote_used",
      param: "quote",
      message: messageRef("quote_used.detail", { payment: quote.paymentId }),
    };
  }
  if (!quoteIsOpen(quote, nowMs)) {
    return {
      kind: "invalid",
      code: "quote_expired",
      param: "quote",
      message: messageRef("quote_expired.detail", { at: new Date(quote.expiresAt * 1000).toISOString() }),
    };
  }
  return { kind: "ok" };
}

/** The 400 a conversion that cannot be made answers with (`param`: the amount the request fixed). */
export function conversionProblem(
  outcome: Extract<ConversionOutcome, { ok: false }>,
  param: string,
): { code: "amount_too_small" | "amount_too_large"; param: string; message: string | MessageRef } {
  return outcome.problem === "amount_too_small"
    ? {
        code: "amount_too_small",
        param,
        message:
          "The amount converts to less than one minor unit of the destination currency (after the fee).",
      }
    : {
        code: "amount_too_large",
        param,
        message: messageRef("amount_too_large.fx_side", { side: messageRef(`fx.side.${outcome.side}`) }),
      };
}

/** What a payment asking to convert (`convert` or `quote`) turns out to be, from its two accounts. */
export type FxPaymentVerdict =
  | { kind: "not_found"; param: "source" | "destination"; id: string }
  | { kind: "invalid"; code: string; param: string; message: string | MessageRef }
  /** Both accounts hold the same currency: an ordinary payment (unless a quote was named). */
  | { kind: "same_currency" }
  | {
      kind: "convert";
      sourceCurrency: Currency;
      destinationCurrency: Currency;
      fixed: "source" | "destination";
    };

export function judgeFxPayment(
  order: {
    merchantId: string;
    source: string;
    destination: string;
    currency: string;
    quote?: string | undefined;
  },
  source: Account | undefined,
  destination: Account | undefined,
): FxPaymentVerdict {
  if (!source || source.merchantId !== order.merchantId)
    return { kind: "not_found", param: "source", id: order.source };
  if (!destination || destination.merchantId !== order.merchantId)
    return { kind: "not_found", param: "destination", id: order.destination };
  if (source.type !== "wallet")
    return {
      kind: "invalid",
      code: "source_not_wallet",
      param: "source",
      message: "The source must be a wallet.",
    };
  if (source.currency === destination.currency) {
    if (order.quote === undefined) return { kind: "same_currency" };
    return {
      kind: "invalid",
      code: "quote_mismatch",
      param: "quote",
      message: messageRef("quote_mismatch.same_currency", { currency: source.currency }),
    };
  }
  if (order.currency !== source.currency && order.currency !== destination.currency) {
    return {
      kind: "invalid",
      code: "currency_mismatch",
      param: "currency",
      message: messageRef("currency_mismatch.fx", {
        from: source.currency,
        to: destination.currency,
        currency: order.currency,
      }),
    };
  }
  return {
    kind: "convert",
    sourceCurrency: source.currency,
    destinationCurrency: destination.currency,
    fixed: order.currency === source.currency ? "source" : "destination",
  };
}

/** After a converted payment's transaction failed: a decline, or a race to run again. */
export function judgeFxFunds(
  fx: PaymentFx,
  source: Account,
  destination: Account,
): { kind: "decline"; code: "insufficient_funds" | "balance_limit_exceeded" } | { kind: "retry" } {
  if (source.balance < fx.sourceAmount) return { kind: "decline", code: "insufficient_funds" };
  if (destination.balance > MAX_BALANCE - fx.destinationAmount)
    return { kind: "decline", code: "balance_limit_exceeded" };
  return { kind: "retry" };
}
