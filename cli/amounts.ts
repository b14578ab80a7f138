// Owns converting a decimal amount in major units ("1234.56") to integer minor units, exactly: the
// decimal string is split and scaled as text and BigInt, never through a float.
import { CURRENCY_EXPONENTS, type Currency, isCurrency, MAX_AMOUNT } from "../lib/money/index.js";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export type MinorUnits = { ok: true; amount: number } | { ok: false; message: string };

/** "1234.56" USD → 123456; "1000" JPY → 1000; "1.005" BHD → 1005. */
export function toMinorUnits(value: string, currency: string): MinorUnits {
  const code = currency.toUpperCase();
  if (!isCurrency(code)) return { ok: false, message: `currency ${currency} is not supported` };
  const exponent = CURRENCY_EXPONENTS[code as Currency];
  const match = DECIMAL.exec(value.trim());
  if (!match) return { ok: false, message: `amount '${value}' is not a decimal number like 1234.56` };
  const whole = match[1] ?? "";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) {
    return {
      ok: false,
      message: `amount '${value}' has more decimals than ${code} allows (${exponent})`,
    };
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, "0"));
  if (minor < 1n) return { ok: false, message: "amount must be greater than 0" };
  if (minor > BigInt(MAX_AMOUNT))
    return { ok: false, message: `amount must be at most ${MAX_AMOUNT} minor units` };
  return { ok: true, amount: Number(minor) };
}

/** A decimal string scaled to `scale` fraction digits, as BigInt (for exact sums like CtrlSum). */
export function scaledDecimal(value: string, scale: number): bigint | undefined {
  const match = DECIMAL.exec(value.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? "";
  if (fraction.replace(/0+$/, "").length > scale) return undefined;
  return BigInt((match[1] ?? "") + fraction.slice(0, scale).padEnd(scale, "0"));
}

/** 123456 USD → "1,234.56"; exact, by string. */
export function formatMinorUnits(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const exponent = isCurrency(code) ? CURRENCY_EXPONENTS[code as Currency] : 2;
  const digits = BigInt(amount)
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return exponent === 0 ? whole : `${whole}.${digits.slice(digits.length - exponent)}`;
}
