// Owns converting an amount between two currencies at an exact rate, in BigInt only.
//
// The rounding rule, applied once to each amount: every amount is rounded to its currency's minor
// unit (ISO 4217 exponent) in the house's favour, never giving away money nobody paid for:
//   - what the payee receives is rounded down  (destination = floor(net × rate)),
//   - what the payer is charged is rounded up  (fee = ceil(source × fee rate); the source amount of
//     a destination-amount conversion = the smallest amount that delivers it).
// Accounting, exact in integers, in the source currency:
//   source_amount = converted + fee + remainder
//   converted = ceil(destination_amount / rate): the source minor units that bought what the payee got
//   remainder = what the rounding down left over of the net amount (0 for destination-amount ones)
// The source amount goes to the house FX account of the source currency, the destination amount
// comes out of the house FX account of the destination currency (lib/ledger/fx-house.ts).
import { CURRENCY_EXPONENTS, type Currency } from "./currencies.js";
import { MAX_AMOUNT } from "./money.js";
import { type Rate, rateFraction } from "./rate.js";

const BASIS_POINTS = 10_000n;
const MAX = BigInt(MAX_AMOUNT);

export interface Conversion {
  sourceCurrency: Currency;
  destinationCurrency: Currency;
  /** Units of the destination currency one unit of the source currency buys. */
  rate: Rate;
  /** Debited from the payer, fee included. */
  sourceAmount: bigint;
  fee: bigint;
  converted: bigint;
  remainder: bigint;
  /** Credited to the payee. */
  destinationAmount: bigint;
}

export type ConversionOutcome =
  | { ok: true; conversion: Conversion }
  /** One side would be 0 minor units (too small) or above 10^12 (too large). */
  | { ok: false; problem: "amount_too_small" | "amount_too_large"; side: "source" | "destination" };

export interface ConversionTerms {
  sourceCurrency: Currency;
  destinationCurrency: Currency;
  rate: Rate;
  /** The fee in basis points of the source amount (30 = 0.30%), below 10,000. */
  feeBasisPoints: bigint;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** The rate per minor unit: destination minor units per source minor unit, as a fraction. */
function minorUnitRate(terms: ConversionTerms): { numerator: bigint; denominator: bigint } {
  const { numerator, denominator } = rateFraction(terms.rate);
  const shift = CURRENCY_EXPONENTS[terms.destinationCurrency] - CURRENCY_EXPONENTS[terms.sourceCurrency];
  return shift >= 0
    ? { numerator: numerator * 10n ** BigInt(shift), denominator }
    : { numerator, denominator: denominator * 10n ** BigInt(-shift) };
}

type Amounts = Pick<Conversion, "sourceAmount" | "fee" | "converted" | "remainder" | "destinationAmount">;

/** Both sides must be 1 to 10^12 minor units, like every amount payrail moves. */
function checked(terms: ConversionTerms, amounts: Amounts): ConversionOutcome {
  if (amounts.sourceAmount > MAX) return { ok: false, problem: "amount_too_large", side: "source" };
  if (amounts.destinationAmount > MAX) return { ok: false, problem: "amount_too_large", side: "destination" };
  if (amounts.destinationAmount < 1n) return { ok: false, problem: "amount_too_small", side: "destination" };
  const { sourceCurrency, destinationCurrency, rate } = terms;
  return { ok: true, conversion: { sourceCurrency, destinationCurrency, rate, ...amounts } };
}

/** The payer says how much leaves the source (fee included); the payee gets what it buys. */
export function convertSourceAmount(terms: ConversionTerms, sourceAmount: bigint): ConversionOutcome {
  const fee = ceilDiv(sourceAmount * terms.feeBasisPoints, BASIS_POINTS);
  const net = sourceAmount - fee;
  const r = minorUnitRate(terms);
  const destinationAmount = (net * r.numerator) / r.denominator;
  const converted = ceilDiv(destinationAmount * r.denominator, r.numerator);
  return checked(terms, { sourceAmount, fee, converted, remainder: net - converted, destinationAmount });
}

/** The payer says how much the payee must receive; the source pays the least that delivers it. */
export function convertDestinationAmount(
  terms: ConversionTerms,
  destinationAmount: bigint,
): ConversionOutcome {
  const r = minorUnitRate(terms);
  const converted = ceilDiv(destinationAmount * r.denominator, r.numerator);
  // The smallest source amount whose net (after the rounded-up fee) covers `converted`:
  // net(a) = a - ceil(a × bp / 10^4) = floor(a × (10^4 - bp) / 10^4) >= converted.
  const sourceAmount = ceilDiv(converted * BASIS_POINTS, BASIS_POINTS - terms.feeBasisPoints);
  const fee = ceilDiv(sourceAmount * terms.feeBasisPoints, BASIS_POINTS);
  return checked(terms, {
    sourceAmount,
    fee,
    converted,
    remainder: sourceAmount - fee - converted,
    destinationAmount,
  });
}
