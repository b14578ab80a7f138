// Owns the FX rules of cross-currency batches. A batch has one source currency; an item naming
// another `currency` pays that amount, in that currency, to a destination holding it. At release
// the batch locks one rate per currency pair for all its items (stored on the batch), and each
// item's source cost is the least source amount that delivers it at that rate, fee included
// (convertDestinationAmount): the release reserves the sum of the costs, and every later step
// (the chunk that pays the item, the dead-letter drain, a return) recomputes the same cost from the
// same locked rate, so nothing per item has to be stored and every step agrees to the minor unit.
import { type Currency, convertDestinationAmount, parseRate } from "../money/index.js";
import { type PaymentFx, paymentFxFrom } from "./fx.js";

export interface BatchFx {
  /** Per item currency (the batch's included): how many items and their sum, in that currency. */
  totals: Partial<Record<Currency, { count: number; amount: number }>>;
  /** Locked at release: units of each item currency one unit of the batch currency buys. */
  rates: Partial<Record<Currency, string>> | null;
  /** The fee locked at release, in basis points of each converted item's source amount. */
  feeBasisPoints: number | null;
}

/** What one item costs the source: its amount, or for a converted item its source amount. */
export type ItemCost =
  | { ok: true; cost: number; fx: PaymentFx | null }
  /** The conversion would exceed 10^12 minor units on the source side: the item fails. */
  | { ok: false; cost: 0; fx: null };

export function itemCost(
  batch: { currency: Currency; fx?: BatchFx | null | undefined },
  item: { amount: number; currency?: Currency | null | undefined },
): ItemCost {
  if (!item.currency || item.currency === batch.currency) return { ok: true, cost: item.amount, fx: null };
  const rate = batch.fx?.rates?.[item.currency];
  if (!rate || batch.fx?.feeBasisPoints == null)
    throw new Error(`batch has no locked ${batch.currency}/${item.currency} rate`);
  const outcome = convertDestinationAmount(
    {
      sourceCurrency: batch.currency,
      destinationCurrency: item.currency,
      rate: parseRate(rate),
      feeBasisPoints: BigInt(batch.fx.feeBasisPoints),
    },
    BigInt(item.amount),
  );
  if (!outcome.ok) return { ok: false, cost: 0, fx: null };
  const fx = paymentFxFrom(outcome.conversion, null);
  return { ok: true, cost: fx.sourceAmount, fx };
}

/** The items of a batch request by currency: count and sum in each. */
export function fxTotals(
  batchCurrency: Currency,
  items: readonly { amount: number; currency?: Currency | undefined }[],
): BatchFx["totals"] {
  const totals: BatchFx["totals"] = {};
  for (const item of items) {
    const currency = item.currency ?? batchCurrency;
    const total = totals[currency] ?? { count: 0, amount: 0 };
    total.count += 1;
    total.amount += item.amount;
    totals[currency] = total;
  }
  return totals;
}

/** The currencies a batch converts into (a rate each is locked at release). */
export function itemCurrencies(batchCurrency: Currency, fx: BatchFx): Currency[] {
  return (Object.keys(fx.totals) as Currency[]).filter((currency) => currency !== batchCurrency).sort();
}
