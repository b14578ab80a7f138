// FX helpers for integration tests: an independent check of a conversion from the rate string an
// answer carries (BigInt, written here apart from lib/money so a shared bug cannot hide), and the
// merchant's house FX accounts by currency.
import type { TestMerchant } from "./fixtures.js";

const EXPONENTS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, JPY: 0, CNY: 2, BHD: 3, KWD: 3, INR: 2 };

/** Destination minor units per source minor unit, as numerator / denominator, from "0.9215000000". */
export function minorRate(rate: string, source: string, destination: string): { num: bigint; den: bigint } {
  const [whole = "", fraction = ""] = rate.split(".");
  let num = BigInt(`${whole}${fraction}`);
  let den = 10n ** BigInt(fraction.length);
  const shift = (EXPONENTS[destination] ?? 2) - (EXPONENTS[source] ?? 2);
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  return { num, den };
}

/**
 * The promises of a converted amount: fee = ceil(source × 30 bp), destination = floor(net × rate),
 * remainder = net minus the least source amount buying the destination amount.
 */
export function expectedFromSource(rate: string, source: string, destination: string, sourceAmount: number) {
  const { num, den } = minorRate(rate, source, destination);
  const a = BigInt(sourceAmount);
  const fee = (a * 30n + 9_999n) / 10_000n;
  const b = ((a - fee) * num) / den;
  const bought = (b * den + num - 1n) / num;
  return { fee: Number(fee), destinationAmount: Number(b), remainder: Number(a - fee - bought) };
}

export interface HouseAccount {
  object: "fx_house_account";
  currency: string;
  balance: number;
  fees: number;
  remainders: number;
}

export async function houseAccounts(merchant: TestMerchant): Promise<Record<string, HouseAccount>> {
  const answer = await merchant.http.get("/v1/fx_house_accounts");
  if (answer.status !== 200) throw new Error(`house accounts: ${answer.status} ${answer.text}`);
  return Object.fromEntries(
    (answer.body.data as HouseAccount[]).map((account) => [account.currency, account]),
  );
}
