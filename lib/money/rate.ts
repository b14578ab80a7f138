// Owns exchange rates as exact decimals: a rate is `coefficient × 10^-scale` with exactly
// RATE_SIGNIFICANT_DIGITS significant digits, carried as a string ("0.9215000000") and computed in
// BigInt only. No rate ever passes through a binary float, so the digits a quote shows are the
// digits its arithmetic used.

/** Every rate payrail computes or answers has this many significant digits. */
export const RATE_SIGNIFICANT_DIGITS = 10;

const LOWEST = 10n ** BigInt(RATE_SIGNIFICANT_DIGITS - 1);
const HIGHEST = 10n ** BigInt(RATE_SIGNIFICANT_DIGITS);

/** A positive exact decimal: `coefficient / 10^scale` (scale may be negative for large rates). */
export interface Rate {
  readonly coefficient: bigint;
  readonly scale: number;
}

export class InvalidRateError extends Error {
  override name = "InvalidRateError";
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** The rate as a fraction of two positive integers: numerator / denominator. */
export function rateFraction(rate: Rate): { numerator: bigint; denominator: bigint } {
  return rate.scale >= 0
    ? { numerator: rate.coefficient, denominator: pow10(rate.scale) }
    : { numerator: rate.coefficient * pow10(-rate.scale), denominator: 1n };
}

/**
 * numerator / denominator truncated (toward zero) to RATE_SIGNIFICANT_DIGITS significant digits.
 * Truncation is the rate's only rounding; amounts are rounded separately (conversion.ts).
 */
export function rateFromFraction(numerator: bigint, denominator: bigint): Rate {
  if (numerator <= 0n || denominator <= 0n) throw new InvalidRateError("a rate must be positive");
  // Estimate the scale from digit counts, then correct by one step at most each way.
  let scale = RATE_SIGNIFICANT_DIGITS - (numerator.toString().length - denominator.toString().length) - 1;
  const digits = (s: number) =>
    s >= 0 ? (numerator * pow10(s)) / denominator : numerator / (denominator * pow10(-s));
  let coefficient = digits(scale);
  while (coefficient >= HIGHEST) coefficient = digits(--scale);
  while (coefficient < LOWEST) coefficient = digits(++scale);
  return { coefficient, scale };
}

/**
 * Reads a decimal written as text ("0.9215", "149.85", "1"): digits, at most one point, no sign,
 * exponent or float noise. Truncated to RATE_SIGNIFICANT_DIGITS significant digits.
 */
export function parseRate(text: string): Rate {
  const match = /^(\d{1,30})(?:\.(\d{1,30}))?$/.exec(text);
  if (!match) throw new InvalidRateError(`not a plain positive decimal: "${text.slice(0, 40)}"`);
  const fraction = match[2] ?? "";
  const numerator = BigInt(`${match[1]}${fraction}`);
  if (numerator === 0n) throw new InvalidRateError("a rate must be positive");
  return rateFromFraction(numerator, pow10(fraction.length));
}

/** The rate with all its significant digits, trailing zeros included ("0.9215000000"). */
export function formatRate(rate: Rate): string {
  const digits = rate.coefficient.toString();
  if (rate.scale <= 0) return `${digits}${"0".repeat(-rate.scale)}`;
  if (rate.scale >= digits.length) return `0.${"0".repeat(rate.scale - digits.length)}${digits}`;
  return `${digits.slice(0, digits.length - rate.scale)}.${digits.slice(digits.length - rate.scale)}`;
}

/** 1 / rate, truncated to the same significant digits (shown to people; never used to convert). */
export function inverseRate(rate: Rate): Rate {
  const { numerator, denominator } = rateFraction(rate);
  return rateFromFraction(denominator, numerator);
}

/**
 * The rate from currency A to B given both against a common base: `aPerBase` units of A and
 * `bPerBase` units of B buy one unit of the base, so one A buys bPerBase / aPerBase of B.
 */
export function crossRate(aPerBase: Rate, bPerBase: Rate): Rate {
  const a = rateFraction(aPerBase);
  const b = rateFraction(bPerBase);
  return rateFromFraction(b.numerator * a.denominator, b.denominator * a.numerator);
}

/** rate × (1 + basisPoints / 10,000), truncated: the test rate source's scheduled drift. */
export function driftRate(rate: Rate, basisPoints: number): Rate {
  const { numerator, denominator } = rateFraction(rate);
  return rateFromFraction(numerator * BigInt(10_000 + basisPoints), denominator * 10_000n);
}
