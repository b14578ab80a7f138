import { describe, expect, it } from "vitest";
import { allPayments } from "../../support/batches.js";
import { recordFigures } from "../../support/figures.js";
import { balanceOf, newMerchant, openBankAccount, openWallet } from "../../support/fixtures.js";
import { houseAccounts } from "../../support/fx.js";
import { runBankWorkload } from "../../support/workload.js";

const SOAK = process.env.PAYRAIL_SOAK === "1";
const WALLETS = 20;
const FUNDING = 10_000;

describe("bank workload", () => {
  it("with risk limits in the mix: conservation, never negative, exactly once, and no source past its daily limit", async () => {
    const merchant = await newMerchant("bank-workload-limits");
    const wallets: string[] = [];
    for (let i = 0; i < WALLETS; i++) wallets.push(await openWallet(merchant, "USD", FUNDING));
    // Tight enough that every kind of rule declines some of the workload's payments.
    const DAILY = 6_000;
    const SINGLE = 2_000;
    for (const body of [
      { type: "daily_outflow", amount: DAILY, currency: "USD" },
      { type: "amount", amount: SINGLE, currency: "USD" },
      { type: "velocity", count: 1_000 },
    ]) {
      const set = await merchant.http.post("/v1/risk_rules", body);
      expect(set.status, set.text).toBe(201);
    }
    const outcome = await runBankWorkload(merchant, {
      wallets,
      clients: 16,
      operationsPerClient: SOAK ? 200 : 15,
      timeoutMs: 15,
      maxAmount: 2_500,
      seed: 20261203,
    });
    expect(outcome.unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([]);
    expect([...outcome.unanswered.keys()]).toEqual([]);

    const balances = await Promise.all(wallets.map((w) => balanceOf(merchant, w)));
    expect(balances.every((b) => b >= 0)).toBe(true);
    expect(balances.reduce((a, b) => a + b, 0)).toBe(WALLETS * FUNDING);

    const payments = await allPayments(merchant);
    const answeredIds = new Set([...outcome.answers.values()].map((a) => a.paymentId));
    expect(answeredIds.size).toBe(outcome.answers.size);
    expect(payments.map((p) => p.id).sort()).toEqual([...answeredIds].sort());
    const succeeded = payments.filter((p) => p.status === "succeeded");
    const expected = new Map(wallets.map((w) => [w, FUNDING]));
    const outflow = new Map<string, number>();
    for (const p of succeeded) {
      expected.set(p.source, (expected.get(p.source) ?? 0) - p.amount);
      expected.set(p.destination, (expected.get(p.destination) ?? 0) + p.amount);
      outflow.set(p.source, (outflow.get(p.source) ?? 0) + p.amount);
    }
    expect(balances).toEqual(wallets.map((w) => expected.get(w)));
    // The limits held exactly: no succeeded payment above the single limit, no source past its
    // daily outflow, and each decline names the rule it broke.
    expect(succeeded.every((p) => p.amount <= SINGLE)).toBe(true);
    expect([...outflow.values()].every((sum) => sum <= DAILY)).toBe(true);
    const failed = payments.filter((p) => p.status === "failed");
    for (const p of failed) {
      if (p.amount > SINGLE) expect(p.failure_code).toBe("amount_limit_exceeded");
      else expect(["daily_limit_exceeded", "insufficient_funds"]).toContain(p.failure_code);
    }
    const byCode = (code: string) => failed.filter((p) => p.failure_code === code).length;
    expect(byCode("amount_limit_exceeded")).toBeGreaterThan(0);
    expect(byCode("daily_limit_exceeded")).toBeGreaterThan(0);
    recordFigures("bank-workload-limits", {
      wallets: WALLETS,
      clients: 16,
      "payments (distinct keys)": outcome.answers.size,
      "HTTP attempts": outcome.attempts,
      "payments succeeded": succeeded.length,
      "declined amount_limit_exceeded": byCode("amount_limit_exceeded"),
      "declined daily_limit_exceeded": byCode("daily_limit_exceeded"),
      "declined insufficient_funds": byCode("insufficient_funds"),
      "largest daily outflow of a source (limit 6,000)": Math.max(0, ...outflow.values()),
      "money created or lost (minor units)": balances.reduce((a, b) => a + b, 0) - WALLETS * FUNDING,
      "negative balances": balances.filter((b) => b < 0).length,
    });
  }, 180_000);

  it("conserves money, never overdraws and executes each Idempotency-Key at most once", async () => {
    const merchant = await newMerchant("bank-workload");
    const wallets: string[] = [];
    for (let i = 0; i < WALLETS; i++) wallets.push(await openWallet(merchant, "USD", FUNDING));
    const outcome = await runBankWorkload(merchant, {
      wallets,
      clients: 16,
      operationsPerClient: SOAK ? 400 : 25,
      timeoutMs: 15,
      maxAmount: 2_500,
      seed: 20261125,
    });
    expect(outcome.unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([]);
    expect([...outcome.unanswered.keys()]).toEqual([]);

    const balances = await Promise.all(wallets.map((w) => balanceOf(merchant, w)));
    expect(balances.every((b) => b >= 0)).toBe(true);
    expect(balances.reduce((a, b) => a + b, 0)).toBe(WALLETS * FUNDING);

    const payments = await allPayments(merchant);
    expect(payments.every((p) => p.status === "succeeded" || p.status === "failed")).toBe(true);
    // Each key the clients used maps to exactly one payment, and no payment exists that no key made.
    const answeredIds = new Set([...outcome.answers.values()].map((a) => a.paymentId));
    expect(answeredIds.size).toBe(outcome.answers.size);
    expect(payments.map((p) => p.id).sort()).toEqual([...answeredIds].sort());
    // What the API says each payment did is what the ledger holds, wallet by wallet.
    const expected = new Map(wallets.map((w) => [w, FUNDING]));
    for (const p of payments.filter((p) => p.status === "succeeded")) {
      expected.set(p.source, (expected.get(p.source) ?? 0) - p.amount);
      expected.set(p.destination, (expected.get(p.destination) ?? 0) + p.amount);
    }
    expect(balances).toEqual(wallets.map((w) => expected.get(w)));
    // The run must actually have exercised the retry paths it claims to.
    expect(outcome.duplicates).toBeGreaterThan(0);
    expect(outcome.answers.size).toBe(16 * (SOAK ? 400 : 25));
    recordFigures("bank-workload", {
      wallets: WALLETS,
      clients: 16,
      "payments (distinct keys)": outcome.answers.size,
      "HTTP attempts": outcome.attempts,
      "client timeouts then retried with the same key": outcome.timeouts,
      "deliberate duplicate submissions": outcome.duplicates,
      "payments succeeded": payments.filter((p) => p.status === "succeeded").length,
      "payments declined (recorded failed)": payments.filter((p) => p.status === "failed").length,
      "money created or lost (minor units)": balances.reduce((a, b) => a + b, 0) - WALLETS * FUNDING,
      "keys executed more than once":
        answeredIds.size === outcome.answers.size ? 0 : outcome.answers.size - answeredIds.size,
      "negative balances": balances.filter((b) => b < 0).length,
    });
  });

  it("conserves money per currency, house FX accounts included, across converted payments", async () => {
    const merchant = await newMerchant("bank-workload-fx");
    // USD (2 decimals), JPY (0) and BHD (3): every pair converts both ways.
    const funding: Record<string, number> = { USD: 100_000, JPY: 1_000_000, BHD: 500_000 };
    const wallets: string[] = [];
    const currencies: Record<string, string> = {};
    for (const currency of Object.keys(funding)) {
      for (let i = 0; i < 6; i++) {
        const wallet = await openWallet(merchant, currency, funding[currency]);
        wallets.push(wallet);
        currencies[wallet] = currency;
      }
    }
    // Bank payouts too, converted when the bank account is in another currency: one account per
    // currency that the sandbox rail pays (…0001) and one it declines (…0002).
    const banks: string[] = [];
    for (const currency of Object.keys(funding)) {
      for (const suffix of ["0001", "0002"]) {
        const bank = await openBankAccount(merchant, `00077700${suffix}`, currency);
        banks.push(bank);
        currencies[bank] = currency;
      }
    }
    const outcome = await runBankWorkload(merchant, {
      wallets,
      banks,
      clients: 12,
      operationsPerClient: SOAK ? 300 : 20,
      timeoutMs: 15,
      maxAmount: 20_000,
      seed: 20261202,
      currencies,
    });
    expect(outcome.unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([]);
    expect([...outcome.unanswered.keys()]).toEqual([]);

    const accounts = [...wallets, ...banks];
    const balances = new Map<string, number>();
    for (const account of accounts) balances.set(account, await balanceOf(merchant, account));
    expect([...balances.values()].every((b) => b >= 0)).toBe(true);

    const payments = await allPayments(merchant);
    const answeredIds = new Set([...outcome.answers.values()].map((a) => a.paymentId));
    expect(answeredIds.size).toBe(outcome.answers.size);
    expect(payments.map((p) => p.id).sort()).toEqual([...answeredIds].sort());
    const converted = payments.filter((p) => p.status === "succeeded" && p.fx);
    expect(converted.length).toBeGreaterThan(0);
    const isBank = new Set(banks);
    const convertedPayouts = converted.filter((p) => isBank.has(p.destination));
    expect(convertedPayouts.length).toBeGreaterThan(0);
    expect(payments.filter((p) => p.status === "processing")).toEqual([]);
    // Each account holds what the payments say: the source paid `amount`, the destination got what
    // arrived (a bank account's balance is what was paid out to it).
    const expected = new Map<string, number>(
      accounts.map((a) => [a, isBank.has(a) ? 0 : (funding[currencies[a] as string] as number)]),
    );
    for (const p of payments.filter((p) => p.status === "succeeded")) {
      expected.set(p.source, (expected.get(p.source) ?? 0) - p.amount);
      expected.set(
        p.destination,
        (expected.get(p.destination) ?? 0) + (p.fx ? p.fx.destination_amount : p.amount),
      );
    }
    expect(accounts.map((a) => balances.get(a))).toEqual(accounts.map((a) => expected.get(a)));
    // Per currency: wallets + paid out to banks + house account = what was topped up in it, to the
    // minor unit.
    const house = await houseAccounts(merchant);
    for (const [currency, each] of Object.entries(funding)) {
      const held = accounts
        .filter((w) => currencies[w] === currency)
        .reduce((sum, w) => sum + (balances.get(w) ?? 0), 0);
      expect(held + (house[currency]?.balance ?? 0), currency).toBe(6 * each);
    }
    recordFigures("bank-workload-fx", {
      wallets: wallets.length,
      currencies: Object.keys(funding).join(", "),
      "payments (distinct keys)": outcome.answers.size,
      "converted payments succeeded": converted.length,
      "of which converted bank payouts": convertedPayouts.length,
      "client timeouts then retried with the same key": outcome.timeouts,
      "deliberate duplicate submissions": outcome.duplicates,
      "negative balances": [...balances.values()].filter((b) => b < 0).length,
    });
  });
});
