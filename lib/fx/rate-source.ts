// Owns the rate source port and its test-mode adapter. A rate source answers the exact rate from
// one currency to another at a moment; payrail never computes a rate from floats. The test-mode
// adapter is deterministic: fixed mid rates against USD that drift by a few basis points every
// minute on a fixed schedule, so a quote's locked rate really differs from the current one later.
import { type Currency, SUPPORTED_CURRENCIES } from "../money/currencies.js";
import { crossRate, driftRate, parseRate, type Rate } from "../money/rate.js";

export interface RateSource {
  /** Units of `destination` one unit of `source` buys at `atMs`. Throws RateUnavailableError. */
  rate(source: Currency, destination: Currency, atMs: number): Promise<Rate>;
}

/** The rate source could not answer (provider down, currency missing): nothing was quoted. */
export class RateUnavailableError extends Error {
  override name = "RateUnavailableError";
}

/** Test-mode mid rates: units of each currency per 1 USD (plausible, fixed, not market data). */
export const TEST_RATES_PER_USD: Readonly<Record<Currency, string>> = {
  USD: "1",
  EUR: "0.9215",
  GBP: "0.7893",
  JPY: "149.85",
  CNY: "7.245",
  CHF: "0.8812",
  CAD: "1.3687",
  AUD: "1.5321",
  SEK: "10.512",
  NOK: "10.734",
  DKK: "6.873",
  INR: "83.412",
  BHD: "0.376",
  KWD: "0.30745",
  SGD: "1.3452",
  HKD: "7.8123",
  MXN: "17.053",
};

/** How often the test rates move, and by how much at most (basis points either way). */
export const TEST_DRIFT_PERIOD_MS = 60_000;
export const TEST_DRIFT_MAX_BASIS_POINTS = 10;

/** The drift of a currency's test rate in the period containing `atMs`: -10 to +10 basis points. */
export function testDriftBasisPoints(currency: Currency, atMs: number): number {
  if (currency === "USD") return 0;
  const period = Math.floor(atMs / TEST_DRIFT_PERIOD_MS);
  const position = SUPPORTED_CURRENCIES.indexOf(currency);
  const span = 2 * TEST_DRIFT_MAX_BASIS_POINTS + 1;
  return ((((period * 7 + position * 13) % span) + span) % span) - TEST_DRIFT_MAX_BASIS_POINTS;
}

export function testRateSource(): RateSource {
  const perUsd = new Map(SUPPORTED_CURRENCIES.map((code) => [code, parseRate(TEST_RATES_PER_USD[code])]));
  const at = (currency: Currency, atMs: number): Rate =>
    driftRate(perUsd.get(currency) as Rate, testDriftBasisPoints(currency, atMs));
  return {
    async rate(source, destination, atMs) {
      return crossRate(at(source, atMs), at(destination, atMs));
    },
  };
}
