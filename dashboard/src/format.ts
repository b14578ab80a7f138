// Owns how values are shown: money exactly from integer minor units (string arithmetic on BigInt,
// never a float), timestamps in the reader's locale, durations in milliseconds.

/** The currency's minor-unit exponent (USD 2, JPY 0, BHD 3), from the browser's ISO 4217 data. */
export function exponentOf(currency: string): number {
  try {
    const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
    return digits ?? 2;
  } catch {
    return 2;
  }
}

/** 123456 USD → "1,234.56 USD"; exact for any safe integer. */
export function formatMoney(amount: number, currency: string): string {
  const exponent = exponentOf(currency);
  const negative = amount < 0;
  const digits = BigInt(Math.abs(amount))
    .toString()
    .padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = exponent === 0 ? whole : `${whole}.${digits.slice(digits.length - exponent)}`;
  return `${negative ? "-" : ""}${text} ${currency}`;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** Unix seconds → "2026-12-02 17:40:12" in the reader's time zone. */
export function formatTime(unixSeconds: number | null): string {
  if (unixSeconds === null) return "—";
  const date = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

/** Whole percent, rounded down so 1,999 of 2,000 never shows as 100%. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((part * 100) / whole);
}
