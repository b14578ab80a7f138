// Owns the converted (cross-currency) wallet payment's transaction: the source wallet is debited
// the source amount, the destination credited the destination amount, and the house FX accounts
// take the difference per currency (fx-house.ts), with the quote used up, the payment and its
// event written and the idempotency record completed: all in one TransactWriteItems, so either
// every currency balances or nothing moved.
import type { FxQuote } from "../domain/fx.js";
import type { Payment } from "../domain/payments.js";
import { debitWallet } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { type Credit, crediting } from "./credits.js";
import { houseEntries } from "./fx-house.js";
import { useQuote } from "./fx-quotes.js";
import type { IdempotencyClaim } from "./idempotency.js";
import { paymentEvent, putNewPayment, succeededResponse } from "./payments.js";
import type { LedgerStore } from "./records.js";
import type { RiskWrite } from "./risk-counters.js";
import type { TransactItem } from "./transact.js";

/** Positions of the items whose conditions can fail, for the caller's verdict. */
export const FX_PAYMENT_ITEMS = { source: 0, destination: 1, payment: 2, quote: 6 } as const;

export type FxCommitOutcome = { ok: true } | { ok: false; failed: boolean[] };

export async function commitFxLedgerPayment(
  store: LedgerStore,
  payment: Payment,
  quote: FxQuote | undefined,
  claim: IdempotencyClaim | undefined,
  nowMs: number,
  risk?: RiskWrite,
): Promise<FxCommitOutcome> {
  const { table } = store;
  const fx = payment.fx;
  if (!fx) throw new Error(`payment ${payment.id} is not converted`);
  const credit: Credit = {
    account: payment.destination,
    merchantId: payment.merchantId,
    amount: fx.destinationAmount,
    expect: { type: "wallet", currency: fx.destinationCurrency },
    entry: payment.id,
    paid: true,
  };
  const { items: credits, options } = await crediting(
    store,
    new Map([[FX_PAYMENT_ITEMS.destination, credit]]),
  );
  const items: TransactItem[] = [
    debitWallet(table, payment.source, payment.merchantId, fx.sourceAmount, fx.sourceCurrency, risk),
    credits.get(FX_PAYMENT_ITEMS.destination) as TransactItem,
    putNewPayment(table, payment),
    paymentEvent(table, payment),
    ...houseEntries(table, payment, payment.id, payment.createdAt),
  ];
  if (quote) items.push(useQuote(table, quote, payment.id, nowMs));
  return commitWithIdempotency(store, items, claim, succeededResponse(payment), options);
}
