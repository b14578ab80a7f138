import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testRateSource } from "../../../lib/fx/rate-source.js";
import {
  type Conversion,
  type ConversionTerms,
  convertDestinationAmount,
  convertSourceAmount,
} from "../../../lib/money/conversion.js";
import { CURRENCY_EXPONENTS, type Currency, SUPPORTED_CURRENCIES } from "../../../lib/money/currencies.js";
import { formatRate, inverseRate, parseRate, type Rate, rateFraction } from "../../../lib/money/rate.js";

const LIMIT = 1_000_000_000_000n;

function terms(source: Currency, destination: Currency, rate: string | Rate, fee = 30n): ConversionTerms {
  return {
    sourceCurrency: source,
    destinationCurrency: destination,
    rate: typeof rate === "string" ? parseRate(rate) : rate,
    feeBasisPoints: fee,
  };
}

function converted(outcome: ReturnType<typeof convertSourceAmount>): Conversion {
  if (!outcome.ok) throw new Error(`expected a conversion, got ${outcome.problem} on ${outcome.side}`);
  return outcome.conversion;
}

/** The minor-unit rate as a fraction, computed here independently of the module under test. */
function minorRate(conversion: Conversion): { num: bigint; den: bigint } {
  const { numerator, denominator } = rateFraction(conversion.rate);
  const shift =
    CURRENCY_EXPONENTS[conversion.destinationCurrency] - CURRENCY_EXPONENTS[conversion.sourceCurrency];
  return shift >= 0
    ? { num: numerator * 10n ** BigInt(shift), den: denominator }
    : { num: numerator, den: denominator * 10n ** BigInt(-shift) };
}

/** Every promise of a conversion, as exact integer inequalities. */
function expectExact(conversion: Conversion, feeBasisPoints: bigint): void {
  const { sourceAmount, fee, converted: bought, remainder, destinationAmount } = conversion;
  // Conservation in the source currency, exactly.
  expect(bought + fee + remainder).toBe(sourceAmount);
  expect(fee >= 0n && remainder >= 0n && bought >= 0n).toBe(true);
  // The fee is the fee rate of the source amount rounded up: fee - 1 < a × bp / 10^4 <= fee.
  expect(fee * 10_000n >= sourceAmount * feeBasisPoints).toBe(true);
  expect((fee - 1n) * 10_000n < sourceAmount * feeBasisPoints).toBe(true);
  const { num, den } = minorRate(conversion);
  // The payee never gets more than the net amount buys.
  expect(destinationAmount * den <= (sourceAmount - fee) * num).toBe(true);
  // `converted` is the least source amount that buys the destination amount.
  expect(bought * num >= destinationAmount * den).toBe(true);
  expect((bought - 1n) * num < destinationAmount * den).toBe(true);
  expect(destinationAmount >= 1n && destinationAmount <= LIMIT && sourceAmount <= LIMIT).toBe(true);
}

describe("exact decimal rates", () => {
  it("carries a fixed number of significant digits as text", () => {
    expect(formatRate(parseRate("0.9215"))).toBe("0.9215000000");
    expect(formatRate(parseRate("149.85"))).toBe("149.8500000");
    expect(formatRate(parseRate("1"))).toBe("1.000000000");
    expect(formatRate(parseRate("0.000123456789012"))).toBe("0.0001234567890");
    expect(formatRate(parseRate("12345678901234"))).toBe("12345678900000");
  });

  it("inverts by truncating to the same digits", () => {
    expect(formatRate(inverseRate(parseRate("0.9215")))).toBe("1.085187194");
    expect(formatRate(inverseRate(parseRate("83.412")))).toBe("0.01198868268");
  });

  it("refuses anything but a plain positive decimal", () => {
    for (const text of ["", "-1", "1e3", "0", "0.000", "1.2.3", " 1", "NaN", "0x10"]) {
      expect(() => parseRate(text)).toThrow();
    }
  });
});

describe("conversion at an exact rate", () => {
  it("converts a source amount: fee rounded up, destination rounded down", () => {
    expect(converted(convertSourceAmount(terms("USD", "EUR", "0.9215"), 10_000n))).toMatchObject({
      sourceAmount: 10_000n,
      fee: 30n,
      converted: 9_970n,
      remainder: 0n,
      destinationAmount: 9_187n,
    });
  });

  it("converts into a 0-decimal and a 3-decimal currency", () => {
    expect(converted(convertSourceAmount(terms("USD", "JPY", "149.85"), 10_000n))).toMatchObject({
      fee: 30n,
      converted: 9_970n,
      destinationAmount: 14_940n,
    });
    expect(converted(convertSourceAmount(terms("USD", "BHD", "0.376"), 10_000n))).toMatchObject({
      fee: 30n,
      converted: 9_970n,
      destinationAmount: 37_487n,
    });
  });

  it("keeps the rounding remainder in the source currency", () => {
    const rate = inverseRate(parseRate("83.412")); // INR -> USD, 0.01198868268
    expect(converted(convertSourceAmount(terms("INR", "USD", rate), 10_000n))).toMatchObject({
      sourceAmount: 10_000n,
      fee: 30n,
      converted: 9_927n,
      remainder: 43n,
      destinationAmount: 119n,
    });
  });

  it("converts a destination amount: the least source amount that delivers it", () => {
    expect(converted(convertDestinationAmount(terms("USD", "EUR", "0.9215"), 10_000n))).toMatchObject({
      sourceAmount: 10_885n,
      fee: 33n,
      converted: 10_852n,
      remainder: 0n,
      destinationAmount: 10_000n,
    });
    expect(converted(convertDestinationAmount(terms("USD", "JPY", "149.85"), LIMIT))).toMatchObject({
      sourceAmount: 669_342_026_749n,
      fee: 2_008_026_081n,
      converted: 667_334_000_668n,
    });
  });

  it("answers amounts at the 10^12 limit exactly and refuses what exceeds it", () => {
    expect(
      converted(convertSourceAmount(terms("JPY", "USD", inverseRate(parseRate("149.85"))), LIMIT)),
    ).toMatchObject({ sourceAmount: LIMIT, fee: 3_000_000_000n });
    expect(convertSourceAmount(terms("USD", "JPY", "149.85"), LIMIT)).toEqual({
      ok: false,
      problem: "amount_too_large",
      side: "destination",
    });
    expect(convertDestinationAmount(terms("JPY", "USD", inverseRate(parseRate("149.85"))), LIMIT)).toEqual({
      ok: false,
      problem: "amount_too_large",
      side: "source",
    });
  });

  it("refuses an amount that converts to nothing", () => {
    expect(convertSourceAmount(terms("JPY", "USD", inverseRate(parseRate("149.85"))), 1n)).toEqual({
      ok: false,
      problem: "amount_too_small",
      side: "destination",
    });
  });

  it("converts every supported pair both ways at the test rates, from 1 minor unit to 10^12", async () => {
    const rates = testRateSource();
    const at = Date.UTC(2026, 11, 2, 12, 0, 0);
    let checked = 0;
    for (const source of SUPPORTED_CURRENCIES) {
      for (const destination of SUPPORTED_CURRENCIES) {
        if (source === destination) continue;
        const pair = terms(source, destination, await rates.rate(source, destination, at));
        for (const amount of [1n, 7n, 100n, 12_345n, 999_999_999n, LIMIT - 1n, LIMIT]) {
          for (const outcome of [convertSourceAmount(pair, amount), convertDestinationAmount(pair, amount)]) {
            if (outcome.ok) {
              expectExact(outcome.conversion, 30n);
              checked++;
            } else {
              // Refused only for the reason the numbers give.
              expect(["amount_too_small", "amount_too_large"]).toContain(outcome.problem);
            }
          }
        }
        // Every pair converts an ordinary amount (100.000 units of the smaller-unit side) both ways.
        const ordinary = 10n ** BigInt(CURRENCY_EXPONENTS[source] + 5);
        expect(convertSourceAmount(pair, ordinary).ok).toBe(true);
        expect(convertDestinationAmount(pair, 10n ** BigInt(CURRENCY_EXPONENTS[destination] + 5)).ok).toBe(
          true,
        );
      }
    }
    // 272 pairs × 7 amounts × 2 directions = 3,808; the rest are refused as too small or too large.
    expect(checked).toBe(2_940);
  });

  it("property: source debited = destination converted + fee + remainder, exactly", () => {
    const currency = fc.constantFrom(...SUPPORTED_CURRENCIES);
    const rate = fc.record({
      coefficient: fc.bigInt({ min: 1_000_000_000n, max: 9_999_999_999n }),
      scale: fc.integer({ min: -3, max: 16 }),
    });
    fc.assert(
      fc.property(
        currency,
        currency,
        rate,
        fc.bigInt({ min: 1n, max: LIMIT }),
        fc.bigInt({ min: 0n, max: 1_000n }),
        fc.boolean(),
        (source, destination, r, amount, fee, bySource) => {
          const pair = terms(source, destination, r, fee);
          const outcome = bySource
            ? convertSourceAmount(pair, amount)
            : convertDestinationAmount(pair, amount);
          if (!outcome.ok) return;
          expectExact(outcome.conversion, fee);
          if (bySource) expect(outcome.conversion.sourceAmount).toBe(amount);
          else {
            expect(outcome.conversion.destinationAmount).toBe(amount);
            expect(outcome.conversion.remainder).toBe(0n);
          }
        },
      ),
      { numRuns: 5_000, seed: 16 },
    );
  });
});
