// The bank-style invariants with everything that moves money back or holds it in the mix: concurrent
// clients make payments and bank payouts (some returned by the receiving bank), refund them in
// parts, place holds and capture or void them, under a daily limit on one wallet, each POST sent
// twice at once with the same Idempotency-Key now and then. Afterwards, from the API alone: money
// is conserved, nothing is negative, every account holds exactly what the recorded payments and
// refunds say (so nothing executed twice), and the limited wallet never passed its limit.
import { describe, expect, it } from "vitest";
import { allPayments, runScheduler } from "../../support/batches.js";
import { recordFigures } from "../../support/figures.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../../support/fixtures.js";

const FUNDING = 100_000;
const DAILY_LIMIT = 8_000;

/** A small deterministic PRNG (mulberry32): the same run every time for one seed. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function allRefunds(merchant: TestMerchant): Promise<any[]> {
  const refunds: any[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await merchant.http.get(`/v1/refunds?limit=100${after ? `&starting_after=${after}` : ""}`);
    expect(page.status, page.text).toBe(200);
    refunds.push(...page.body.data);
    if (!page.body.has_more) return refunds;
    after = page.body.data.at(-1)?.id;
  }
}

describe("bank-style invariants with refunds, returns, holds and limits in the mix", () => {
  it("conserves money, never overdraws, executes each key once and keeps the daily limit", async () => {
    const merchant = await newMerchant("mixed-workload");
    const wallets: string[] = [];
    for (let i = 0; i < 8; i++) wallets.push(await openWallet(merchant, "USD", FUNDING));
    const paying = await openBankAccount(merchant, "000888770001");
    const returning = await openBankAccount(merchant, "000888770004");
    const limited = wallets[0] as string;
    const rule = await merchant.http.post("/v1/risk_rules", {
      type: "daily_outflow",
      amount: DAILY_LIMIT,
      currency: "USD",
      account: limited,
    });
    expect(rule.status, rule.text).toBe(201);
    // Containers other than the one that set it learn a rule within the cache TTL (2 s in tests).
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const unexpected: string[] = [];
    let duplicates = 0;
    const counts = { payments: 0, payouts: 0, refunds: 0, holds: 0, captures: 0, voids: 0 };
    /** POSTs once, or twice at once with the same key; both answers must agree. */
    const post = async (random: () => number, path: string, body: unknown, key: string): Promise<Answer> => {
      const headers = { "idempotency-key": key };
      if (random() >= 0.2) return merchant.http.post(path, body, { headers });
      duplicates++;
      const [a, b] = await Promise.all([
        merchant.http.post(path, body, { headers }),
        merchant.http.post(path, body, { headers }),
      ]);
      // One may find the other still running (409 idempotency_key_in_use); ask again until final.
      let final = [a, b].find((x) => x.status !== 409) ?? a;
      for (let i = 0; final.status === 409 && i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        final = await merchant.http.post(path, body, { headers });
      }
      for (const other of [a, b]) {
        if (other.status === 409 && other.body?.error?.code === "idempotency_key_in_use") continue;
        if (other.status !== final.status || other.body?.id !== final.body?.id)
          unexpected.push(`${path} ${key}: answers differ ${other.status}/${final.status}`);
      }
      return final;
    };

    await Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        const random = prng(20261203 + client);
        const paid: Array<{ id: string; amount: number }> = [];
        const held: string[] = [];
        for (let op = 0; op < 15; op++) {
          const key = `mixed-${client}-${op}`;
          const source = wallets[Math.floor(random() * wallets.length)] as string;
          const roll = random();
          let answer: Answer;
          if (roll < 0.35) {
            let destination = wallets[Math.floor(random() * wallets.length)] as string;
            if (destination === source) destination = wallets[(wallets.indexOf(source) + 1) % 8] as string;
            const body = { source, destination, amount: 1 + Math.floor(random() * 5_000), currency: "USD" };
            answer = await post(random, "/v1/payments", body, key);
            counts.payments++;
            if (answer.status === 201) paid.push({ id: answer.body.id, amount: answer.body.amount });
          } else if (roll < 0.5) {
            const destination = random() < 0.5 ? returning : paying;
            const body = { source, destination, amount: 1 + Math.floor(random() * 5_000), currency: "USD" };
            answer = await post(random, "/v1/payments", body, key);
            counts.payouts++;
          } else if (roll < 0.65 && paid.length > 0) {
            const payment = paid[Math.floor(random() * paid.length)] as { id: string; amount: number };
            const body = { payment: payment.id, amount: 1 + Math.floor(random() * payment.amount) };
            answer = await post(random, "/v1/refunds", body, key);
            counts.refunds++;
          } else if (roll < 0.8) {
            const destination = wallets[(wallets.indexOf(source) + 1) % 8] as string;
            const body = { source, destination, amount: 1 + Math.floor(random() * 5_000), currency: "USD" };
            answer = await post(random, "/v1/holds", body, key);
            counts.holds++;
            if (answer.status === 201) held.push(answer.body.id);
          } else if (held.length > 0) {
            const hold = held.splice(Math.floor(random() * held.length), 1)[0] as string;
            if (random() < 0.6) {
              answer = await post(random, `/v1/holds/${hold}/capture`, {}, key);
              counts.captures++;
            } else {
              answer = await post(random, `/v1/holds/${hold}/void`, {}, key);
              counts.voids++;
            }
          } else continue;
          // Allowed: success, or a decline recorded with its code (402), or a refund the
          // destination cannot cover / that exceeds what is left (402/400).
          if (answer.status >= 500) unexpected.push(`${key}: ${answer.status} ${answer.text}`);
        }
      }),
    );
    expect(unexpected).toEqual([]);

    // The receiving bank returns payouts to …0004 some seconds after accepting them.
    await runScheduler(new Date(Date.now() + 60_000));

    const payments = await allPayments(merchant);
    const refunds = await allRefunds(merchant);
    expect(payments.filter((p) => p.status === "processing")).toEqual([]);
    const accounts = [...wallets, paying, returning];
    const balances = new Map<string, number>();
    for (const account of accounts) balances.set(account, await balanceOf(merchant, account));

    // Conservation: everything topped up is in a wallet or was paid out to a bank account.
    const total = [...balances.values()].reduce((sum, b) => sum + b, 0);
    expect(total).toBe(wallets.length * FUNDING);
    expect([...balances.values()].every((b) => b >= 0)).toBe(true);
    for (const wallet of wallets) {
      const answer = await merchant.http.get(`/v1/accounts/${wallet}`);
      expect(answer.body.available, wallet).toBeGreaterThanOrEqual(0);
    }

    // Exactly once: every account holds what the records say, no more.
    const expected = new Map<string, number>(accounts.map((a) => [a, wallets.includes(a) ? FUNDING : 0]));
    const move = (from: string, to: string, amount: number) => {
      expected.set(from, (expected.get(from) ?? 0) - amount);
      expected.set(to, (expected.get(to) ?? 0) + amount);
    };
    for (const p of payments) if (p.status === "succeeded") move(p.source, p.destination, p.amount);
    const byId = new Map(payments.map((p) => [p.id, p]));
    for (const refund of refunds.filter((r) => r.status === "succeeded")) {
      const payment = byId.get(refund.payment);
      expect(payment, refund.id).toBeDefined();
      move(payment?.destination as string, payment?.source as string, refund.amount);
    }
    expect(accounts.map((a) => balances.get(a))).toEqual(accounts.map((a) => expected.get(a)));
    const returned = payments.filter((p) => p.status === "returned");
    expect(returned.every((p) => p.destination === returning)).toBe(true);
    expect(balances.get(returning)).toBe(0);

    // The limit: what left the limited wallet today (payouts later returned count too) stays in it.
    const outflow = payments
      .filter((p) => p.source === limited && (p.status === "succeeded" || p.status === "returned"))
      .reduce((sum, p) => sum + p.amount, 0);
    expect(outflow).toBeLessThanOrEqual(DAILY_LIMIT);
    const limitDeclines = payments.filter((p) => p.failure_code === "daily_limit_exceeded");
    expect(limitDeclines.length).toBeGreaterThan(0);
    expect(limitDeclines.every((p) => p.source === limited)).toBe(true);

    recordFigures("mixed-workload", {
      ...counts,
      "duplicate submissions (same key twice at once)": duplicates,
      "payments recorded": payments.length,
      "returned payouts": returned.length,
      "refunds succeeded": refunds.filter((r) => r.status === "succeeded").length,
      "declined daily_limit_exceeded": payments.filter((p) => p.failure_code === "daily_limit_exceeded")
        .length,
      "limited wallet outflow": outflow,
      "negative balances": [...balances.values()].filter((b) => b < 0).length,
    });
  }, 240_000);
});
