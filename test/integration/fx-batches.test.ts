import { beforeAll, describe, expect, it } from "vitest";
import { allItems, allPayments, awaitBatch, runScheduler } from "../support/batches.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";
import { houseAccounts, minorRate } from "../support/fx.js";

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("fx-batches");
});

/** What delivering `amount` costs the source at `rate` with the 30 bp fee, computed here apart. */
function cost(rate: string, source: string, destination: string, amount: number) {
  const { num, den } = minorRate(rate, source, destination);
  const converted = (BigInt(amount) * den + num - 1n) / num;
  const sourceAmount = (converted * 10_000n + 9_969n) / 9_970n;
  const fee = (sourceAmount * 30n + 9_999n) / 10_000n;
  return { sourceAmount: Number(sourceAmount), fee: Number(fee) };
}

describe("cross-currency batches", () => {
  it("pays 1,000 items over 5 currencies at one locked rate per pair, with exact totals per currency", async () => {
    const FUND = 50_000_000_000; // USD 500,000,000.00
    const source = await openWallet(merchant, "USD", FUND);
    const currencies = ["USD", "EUR", "GBP", "JPY", "BHD"] as const;
    const destinations: Record<string, string[]> = {};
    for (const currency of currencies) {
      destinations[currency] = [
        await openWallet(merchant, currency),
        await openWallet(merchant, currency),
        await openBankAccount(merchant, `00055500${currencies.indexOf(currency)}001`, currency),
      ];
    }
    const gbpWallet = destinations.GBP?.[0] as string;
    // Item i: currency i % 5, destination (i / 5) % 3; every 97th EUR item names a GBP wallet (fails).
    const items = Array.from({ length: 1_000 }, (_, i) => {
      const currency = currencies[i % 5] as string;
      const wrong = currency === "EUR" && i % 97 === 1;
      const destination = wrong ? gbpWallet : (destinations[currency]?.[Math.floor(i / 5) % 3] as string);
      return {
        id: `fx-${i}`,
        destination,
        amount: 1_000 + i * 37,
        ...(currency === "USD" ? {} : { currency }),
        failing: wrong,
      };
    });
    const failingCount = items.filter((item) => item.failing).length;
    expect(failingCount).toBeGreaterThan(0);

    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: items.map(({ failing: _failing, ...item }) => item),
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.amounts_by_currency.JPY).toEqual({
      total: items.filter((_, i) => i % 5 === 3).reduce((sum, item) => sum + item.amount, 0),
      succeeded: 0,
      failed: 0,
      canceled: 0,
    });
    const batch = await awaitBatch(merchant, created.body.id, 180_000);
    expect(batch.status).toBe("completed");
    const rates = batch.fx.rates as Record<string, string>;
    expect(Object.keys(rates).sort()).toEqual(["BHD", "EUR", "GBP", "JPY"]);
    for (const rate of Object.values(rates)) expect(rate).toMatch(/^\d+\.\d+$/);
    expect(batch.fx.fee_basis_points).toBe(30);

    // Exact figures from the locked rates, computed here.
    const costOf = (item: (typeof items)[number]) =>
      item.currency
        ? cost(rates[item.currency] as string, "USD", item.currency, item.amount).sourceAmount
        : item.amount;
    const succeeded = items.filter((item) => !item.failing);
    const totalCost = items.reduce((sum, item) => sum + costOf(item), 0);
    const succeededCost = succeeded.reduce((sum, item) => sum + costOf(item), 0);
    expect(batch.counts).toMatchObject({
      total: 1_000,
      succeeded: 1_000 - failingCount,
      failed: failingCount,
    });
    expect(batch.amounts).toMatchObject({
      total: totalCost,
      succeeded: succeededCost,
      failed: totalCost - succeededCost,
    });
    for (const currency of currencies) {
      const own = items.filter((item) => (item.currency ?? "USD") === currency);
      const paid = own.filter((item) => !item.failing).reduce((sum, item) => sum + item.amount, 0);
      const total = own.reduce((sum, item) => sum + item.amount, 0);
      expect(batch.amounts_by_currency[currency], currency).toEqual({
        total,
        succeeded: paid,
        failed: total - paid,
        canceled: 0,
      });
      // Every destination holds exactly what its succeeded items sent, in its own currency.
      for (const destination of destinations[currency] ?? []) {
        const expected = succeeded
          .filter((item) => item.destination === destination)
          .reduce((sum, item) => sum + item.amount, 0);
        expect(await balanceOf(merchant, destination), `${currency} ${destination}`).toBe(expected);
      }
    }
    // The source paid exactly the cost of what succeeded; the failed items' cost came back.
    expect(await balanceOf(merchant, source)).toBe(FUND - succeededCost);

    // Per-currency conservation, house accounts included.
    const house = await houseAccounts(merchant);
    const convertedCost = succeeded
      .filter((item) => item.currency)
      .reduce((sum, item) => sum + costOf(item), 0);
    expect(house.USD?.balance).toBe(convertedCost);
    expect(house.USD?.fees).toBe(
      succeeded
        .filter((item) => item.currency)
        .reduce(
          (sum, item) =>
            sum +
            cost(rates[item.currency as string] as string, "USD", item.currency as string, item.amount).fee,
          0,
        ),
    );
    const usdWallets = (
      await Promise.all((destinations.USD ?? []).map((id) => balanceOf(merchant, id)))
    ).reduce((sum, balance) => sum + balance, 0);
    expect((await balanceOf(merchant, source)) + usdWallets + (house.USD?.balance ?? 0)).toBe(FUND);
    for (const currency of ["EUR", "GBP", "JPY", "BHD"]) {
      const held = (
        await Promise.all((destinations[currency] ?? []).map((id) => balanceOf(merchant, id)))
      ).reduce((sum, balance) => sum + balance, 0);
      expect(held + (house[currency]?.balance ?? 0), currency).toBe(0);
    }

    // Items and payments tell the same story: converted payments carry the batch's locked rate.
    const listed = await allItems(merchant, batch.id);
    expect(listed).toHaveLength(1_000);
    expect(listed.filter((item) => item.status === "failed").map((item) => item.failure_code)).toEqual(
      Array(failingCount).fill("currency_mismatch"),
    );
    const jpyItem = listed.find((item) => item.id === "fx-3");
    expect(jpyItem).toMatchObject({ currency: "JPY", amount: 1_111, status: "succeeded" });
    const payments = (await allPayments(merchant)).filter((payment) => payment.batch === batch.id);
    const jpyPayment = payments.find((payment) => payment.id === jpyItem?.payment);
    expect(jpyPayment).toMatchObject({
      amount: cost(rates.JPY as string, "USD", "JPY", 1_111).sourceAmount,
      currency: "USD",
      fx: {
        rate: rates.JPY,
        destination_currency: "JPY",
        destination_amount: 1_111,
        remainder: 0,
        quote: null,
      },
    });
  });

  it("refuses a cross-currency batch its source cannot fund at the current rates (402, nothing stored)", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const eur = await openWallet(merchant, "EUR");
    const answer = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination: eur, amount: 1_000, currency: "EUR" }],
    });
    // EUR 10.00 costs more than USD 10.00 at the test rates: the batch is unfunded and nothing is stored.
    expect(answer.status).toBe(402);
    expect(answer.body.error).toMatchObject({ code: "insufficient_funds" });
    expect(await balanceOf(merchant, source)).toBe(1_000);
  });

  it("takes a returned converted payout back at its locked rate: the source gets its cost back, the house reverses", async () => {
    const fx = await newMerchant("fx-batches-returns");
    const source = await openWallet(fx, "USD", 1_000_000);
    const returning = await openBankAccount(fx, "000777770004", "EUR"); // the sandbox returns it (R03)
    const staying = await openBankAccount(fx, "000777770001", "EUR");
    const created = await fx.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "back", destination: returning, amount: 40_000, currency: "EUR" },
        { id: "stays", destination: staying, amount: 25_000, currency: "EUR" },
      ],
    });
    expect(created.status, created.text).toBe(202);
    const batch = await awaitBatch(fx, created.body.id);
    expect(batch.status).toBe("completed");
    const rate = batch.fx.rates.EUR as string;
    const back = cost(rate, "USD", "EUR", 40_000);
    const stays = cost(rate, "USD", "EUR", 25_000);
    expect(await balanceOf(fx, source)).toBe(1_000_000 - back.sourceAmount - stays.sourceAmount);

    await runScheduler(new Date(Date.now() + 60_000));
    await runScheduler(new Date(Date.now() + 60_000)); // reported again: applied once
    const items = await allItems(fx, batch.id);
    expect(items.map((item) => item.status)).toEqual(["returned", "succeeded"]);
    const returned = await fx.http.get(`/v1/payments/${items[0]?.payment}`);
    expect(returned.body).toMatchObject({
      status: "returned",
      amount: back.sourceAmount,
      fx: { rate, destination_amount: 40_000 },
    });
    expect(await balanceOf(fx, source)).toBe(1_000_000 - stays.sourceAmount);
    expect(await balanceOf(fx, returning)).toBe(0);
    expect(await balanceOf(fx, staying)).toBe(25_000);
    const house = await houseAccounts(fx);
    expect(house.USD?.balance).toBe(stays.sourceAmount);
    expect(house.EUR?.balance).toBe(-25_000);
    const after = await fx.http.get(`/v1/batches/${batch.id}`);
    expect(after.body.amounts).toMatchObject({ returned: back.sourceAmount, succeeded: stays.sourceAmount });
  });
});
