// Owns the currencies payrail accepts and their minor-unit exponents (ISO 4217).
// An amount is always an integer count of minor units; the exponent only matters for display.

export const CURRENCY_EXPONENTS = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
  CNY: 2,
  CHF: 2,
  CAD: 2,
  AUD: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  INR: 2,
  BHD: 3,
  KWD: 3,
  SGD: 2,
  HKD: 2,
  MXN: 2,
} as const;

export type Currency = keyof typeof CURRENCY_EXPONENTS;

export const SUPPORTED_CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as Currency[];

export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/**
 * A decimal amount as a person writes it ("10.50") in minor units of a currency with `exponent`
 * decimals (1050), computed on the digits, never through a float. Undefined when the text is not a
 * plain decimal or has more decimals than the currency allows.
 */
export function minorUnitsOf(decimal: string, exponent: number): number | undefined {
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return undefined;
  const digits = `${match[1]}${fraction.padEnd(exponent, "0")}`;
  const units = Number(digits);
  return Number.isSafeInteger(units) ? units : undefined;
}
