// Owns converted real-time payments: a payment whose destination (a wallet, or a bank account paid
// over the rail) holds another currency, at a quote's locked rate or at the current one. The accounts (and the quote) are read first:
// the conversion needs both currencies before anything is written. Then one transaction moves
// the money (lib/ledger/fx-payments.ts); if a condition failed, fresh reads decide between a
// recorded decline (402), a quote error (400, nothing moved) and another attempt.

import type { BankChannel } from "../channels/bank-channel.js";
import { riskWriteOf } from "../channels/channel.js";
import type { Account } from "../domain/accounts.js";
import {
  type FxQuote,
  judgeFxFunds,
  judgeFxPayment,
  judgeQuoteUse,
  type PaymentFx,
  paymentFxFrom,
  paymentFxFromQuote,
} from "../domain/fx.js";
import {
  type Channel,
  channelFor,
  failed,
  judgedOrder,
  type Payment,
  type PaymentOrder,
  paymentFrom,
} from "../domain/payments.js";
import { evaluateRisk } from "../domain/risk/evaluate.js";
import { applicableRules, type RiskRule } from "../domain/risk/rules.js";
import { InvalidRequestError, ResourceMissingError, ServiceUnavailableError } from "../errors.js";
import { foldPendingCredits } from "../ledger/credits.js";
import { commitFxLedgerPayment } from "../ledger/fx-payments.js";
import { quoteFromItem, useQuote } from "../ledger/fx-quotes.js";
import { type IdempotencyClaim, replayIfClaimed } from "../ledger/idempotency.js";
import { itemKey, SK } from "../ledger/keys.js";
import { declineError, recordDeclinedPayment } from "../ledger/payments.js";
import { getKeys } from "../ledger/reads.js";
import {
  accountFrom,
  type Item,
  type LedgerStore,
  paymentFrom as paymentFromItem,
} from "../ledger/records.js";
import type { RiskWrite } from "../ledger/risk-counters.js";
import type { Currency } from "../money/index.js";
import { factsFrom } from "../risk/assess.js";
import type { RiskRuleCache } from "../risk/rule-cache.js";
import type { FxDeps } from "./deps.js";
import { convertAtCurrentRate } from "./quotes.js";

const MAX_ATTEMPTS = 5;

export type FxPaymentResult =
  | { kind: "done"; payment: Payment }
  /** Both accounts hold one currency and no quote was named: pay it as an ordinary payment. */
  | { kind: "same_currency" };

interface Snapshot {
  /** The source wallet's item as stored: the risk rules read its outflow windows. */
  sourceItem: Item | undefined;
  destinationItem: Item | undefined;
  source: Account | undefined;
  destination: Account | undefined;
  quote: FxQuote | undefined;
  committed: Payment | undefined;
}

async function read(store: LedgerStore, order: PaymentOrder): Promise<Snapshot> {
  const keys = [
    itemKey(order.source, SK.account),
    itemKey(order.destination, SK.account),
    itemKey(order.id, SK.payment),
  ];
  if (order.quote) keys.push(itemKey(order.quote, SK.quote));
  const items = await getKeys(store, keys);
  const source = items.get(order.source);
  const destination = items.get(order.destination);
  const quote = order.quote ? items.get(order.quote) : undefined;
  const committed = items.get(order.id);
  return {
    sourceItem: source,
    destinationItem: destination,
    source: source ? accountFrom(source) : undefined,
    destination: destination ? accountFrom(destination) : undefined,
    // Another merchant's quote is indistinguishable from a missing one.
    quote: quote && quote.merchant_id === order.merchantId ? quoteFromItem(quote) : undefined,
    committed: committed ? paymentFromItem(committed) : undefined,
  };
}

/** The conversion a payment makes: the quote's, checked against the payment, or the current rate's. */
async function conversionFor(
  store: LedgerStore,
  fx: FxDeps,
  claim: IdempotencyClaim | undefined,
  order: PaymentOrder,
  snapshot: Snapshot,
  currencies: { sourceCurrency: Currency; destinationCurrency: Currency; fixed: "source" | "destination" },
): Promise<PaymentFx> {
  if (order.quote !== undefined) {
    if (!snapshot.quote) throw new ResourceMissingError("fx quote", order.quote, "quote");
    const verdict = judgeQuoteUse(
      snapshot.quote,
      { ...currencies, amount: order.amount, currency: order.currency },
      order.now,
    );
    if (verdict.kind === "invalid") {
      // A retry of a payment that used the quote finds it used: answer as the first request did.
      if (claim) await replayIfClaimed(store.dynamo, store.table, claim);
      throw new InvalidRequestError(verdict.code, verdict.message, { param: verdict.param });
    }
    return paymentFxFromQuote(snapshot.quote);
  }
  const conversion = await convertAtCurrentRate(
    fx,
    {
      sourceCurrency: currencies.sourceCurrency,
      destinationCurrency: currencies.destinationCurrency,
      fixed: { side: currencies.fixed, amount: order.amount },
      param: "amount",
    },
    order.now,
  );
  return paymentFxFrom(conversion, null);
}

export interface FxPaymentDeps {
  store: LedgerStore;
  fx: FxDeps;
  bank: BankChannel;
  /** The merchants' risk rules; a converted payment answers to them in its source currency. */
  risk?: RiskRuleCache | undefined;
  observe?: ((payment: Payment) => void) | undefined;
}

export async function executeFxPayment(
  deps: FxPaymentDeps,
  order: PaymentOrder,
  claim: IdempotencyClaim | undefined,
): Promise<FxPaymentResult> {
  const { store, fx, bank, observe } = deps;
  let conversion: PaymentFx | undefined;
  let rules: RiskRule[] | undefined;
  let folded = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const snapshot = await read(store, order);
    // An earlier attempt committed but its answer was lost: the payment is the truth to report.
    if (snapshot.committed) {
      observe?.(snapshot.committed);
      if (snapshot.committed.status === "failed") throw declineError(snapshot.committed);
      return { kind: "done", payment: snapshot.committed };
    }
    const verdict = judgeFxPayment(order, snapshot.source, snapshot.destination);
    if (verdict.kind === "not_found") throw new ResourceMissingError("account", verdict.id, verdict.param);
    if (verdict.kind === "invalid")
      throw new InvalidRequestError(verdict.code, verdict.message, { param: verdict.param });
    if (verdict.kind === "same_currency") return { kind: "same_currency" };
    const source = snapshot.source as Account;
    const destination = snapshot.destination as Account;
    if (attempt > 0) {
      // A failed commit: the quote may have been used or expired meanwhile (400, nothing moved),
      // or the funds may not be there (a recorded decline), or it was a race (run it again).
      if (order.quote !== undefined) await conversionFor(store, fx, claim, order, snapshot, verdict);
      const funds = judgeFxFunds(conversion as PaymentFx, source, destination);
      if (funds.kind === "decline") {
        if (funds.code === "insufficient_funds" && !folded) {
          folded = true;
          if (await foldPendingCredits(store, order.source)) {
            attempt--;
            continue;
          }
        }
        const declined = failed(
          convertedPayment(order, conversion as PaymentFx, "failed", channelFor(destination.type)),
          funds.code,
        );
        await recordDeclinedPayment(store, declined, claim);
        observe?.(declined);
        throw declineError(declined);
      }
    }
    // The rate is taken once per request: a retry after a lost race converts at the same rate.
    conversion ??= await conversionFor(store, fx, claim, order, snapshot, verdict);
    // Risk rules, on what leaves the source (its currency and amount), decided on the counters just
    // read (a converted payment reads its accounts anyway); the debit carries the exact guards.
    rules ??= deps.risk
      ? applicableRules(await deps.risk.forOwner(order.merchantId), {
          merchantId: order.merchantId,
          source: order.source,
          currency: conversion.sourceCurrency,
        })
      : [];
    let risk: RiskWrite | undefined;
    let assessed = order;
    if (rules.length > 0) {
      const decision = evaluateRisk(
        rules,
        factsFrom(
          {
            source: order.source,
            destination: order.destination,
            amount: conversion.sourceAmount,
            nowMs: order.now,
          },
          snapshot.sourceItem,
          snapshot.destinationItem,
        ),
      );
      if (decision.kind === "broken") {
        // Converted payments are not parked for review: a review rule declines them too.
        const declined = failed(
          convertedPayment(judgedOrder(order, decision), conversion, "failed", channelFor(destination.type)),
          decision.code,
        );
        await recordDeclinedPayment(store, declined, claim);
        observe?.(declined);
        throw declineError(declined);
      }
      if (decision.kind === "pass") {
        assessed = judgedOrder(order, decision);
        risk = riskWriteOf(assessed);
      }
    }
    if (destination.type === "bank") {
      // A bank payout converts at this rate when the rail takes it: its source amount is held
      // now (with the quote used up), the destination amount is what the rail is asked to pay.
      const processing = convertedPayment(assessed, conversion, "processing", "bank");
      const used = snapshot.quote ? [useQuote(store.table, snapshot.quote, order.id, order.now)] : [];
      const outcome = await bank.attemptPriced(processing, claim, used, risk);
      if (!outcome.done) continue;
      observe?.(outcome.payment);
      if (outcome.payment.status === "failed") throw declineError(outcome.payment);
      return { kind: "done", payment: outcome.payment };
    }
    const payment = convertedPayment(assessed, conversion, "succeeded", "ledger");
    const outcome = await commitFxLedgerPayment(store, payment, snapshot.quote, claim, order.now, risk);
    if (outcome.ok) {
      observe?.(payment);
      return { kind: "done", payment };
    }
  }
  throw new ServiceUnavailableError(
    "The payment could not be completed under contention; retry with the same Idempotency-Key.",
  );
}

function convertedPayment(
  order: PaymentOrder,
  fx: PaymentFx,
  status: "succeeded" | "failed" | "processing",
  channel: Channel,
): Payment {
  return {
    ...paymentFrom({ ...order, amount: fx.sourceAmount, currency: fx.sourceCurrency }, status, channel),
    fx,
  };
}
