// Owns Money: an immutable integer amount of minor units in one currency.
// Amounts stay safe integers: a single amount is capped at MAX_AMOUNT and a balance at MAX_BALANCE,
// so every sum payrail computes is exact in a JS number and in DynamoDB.
import type { Currency } from "./currencies.js";

export interface Money {
  readonly amount: number;
  readonly currency: Currency;
}

/** Largest amount of a single payment, top-up or batch item (10^12 minor units). */
export const MAX_AMOUNT = 1_000_000_000_000;
/** Largest balance an account may hold; keeps totals far below Number.MAX_SAFE_INTEGER. */
export const MAX_BALANCE = 1_000_000_000_000_000;

export class CurrencyMismatchError extends Error {
  override name = "CurrencyMismatchError";
}

export function money(amount: number, currency: Currency): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer, got ${amount}`);
  return Object.freeze({ amount, currency });
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(`${a.currency} and ${b.currency} differ`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** Sums integer amounts, refusing any result that is no longer exact. */
export function sumAmounts(amounts: Iterable<number>): number {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
    if (!Number.isSafeInteger(total)) throw new RangeError("sum exceeds the safe integer range");
  }
  return total;
}
