import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../scripts/local/stack.js";
import { allItems, allPayments, awaitBatch, poll, sumOfBalances } from "../../support/batches.js";
import { recordFigures } from "../../support/figures.js";
import { newMerchantOn, type TestMerchant } from "../../support/fixtures.js";
import { runBankWorkload, settleUnanswered } from "../../support/workload.js";

// Simulation with injected faults, on a stack of its own: DynamoDB throttles, cancels transactions
// for conflicts and loses answers after executing; batch consumers crash before and after their
// write; the bank rail goes silent after accepting payouts. Clients retry with the same keys.
// Afterwards every invariant must hold exactly as on a good day.

const SOAK = process.env.PAYRAIL_SOAK === "1";
export const FAULT_SPEC = [
  "dynamo.throttle=0.03",
  "dynamo.conflict=0.03",
  "dynamo.lost-response=0.02",
  "consume.before-write=0.15",
  "consume.after-write=0.15",
  "rail.timeout=0.2",
].join(",");

let stack: Stack;
let merchant: TestMerchant;

async function wallet(fund: number): Promise<string> {
  const created = await merchant.http.post(
    "/v1/accounts",
    { currency: "USD" },
    { headers: { "idempotency-key": crypto.randomUUID() } },
  );
  expect(created.status).toBe(201);
  if (fund > 0) {
    const topup = await merchant.http.post(
      "/v1/topups",
      { account: created.body.id, amount: fund, currency: "USD" },
      { headers: { "idempotency-key": crypto.randomUUID() } },
    );
    expect(topup.status).toBe(201);
  }
  return created.body.id;
}

/** Retries a setup call through injected 503s, reusing its key, as any client must. */
async function retrying<T>(call: () => Promise<{ status: number } & T>): Promise<{ status: number } & T> {
  for (let attempt = 0; ; attempt++) {
    const answer = await call();
    if (answer.status !== 503 || attempt > 10) return answer;
  }
}

beforeAll(async () => {
  stack = await startStack({
    scheduler: false,
    watch: false,
    visibilityTimeoutSeconds: 2,
    maxReceiveCount: 10,
    env: {
      PAYRAIL_FAULTS_ENABLED: "1",
      PAYRAIL_FAULTS: FAULT_SPEC,
      PAYRAIL_RAIL_SENDERS_DONE_AFTER_SECONDS: "2",
    },
  });
  merchant = await newMerchantOn(stack, "faults");
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("under injected faults", () => {
  it("loses, creates and doubles nothing, and every payment and item ends terminal", async () => {
    const WALLETS = 10;
    const FUNDING = 50_000;
    const wallets: string[] = [];
    for (let i = 0; i < WALLETS; i++)
      wallets.push(
        await retrying(async () => ({ status: 201, id: await wallet(FUNDING) })).then((w) => w.id),
      );
    const payroll = await wallet(200_000);
    const banks: string[] = [];
    for (const number of ["000111", "000222", "000333"]) {
      const bank = await retrying(() =>
        merchant.http.post(
          "/v1/accounts",
          {
            currency: "USD",
            type: "bank",
            bank: { account_number: `${number}0001`, routing_number: "110000000" },
          },
          { headers: { "idempotency-key": `bank-${number}` } },
        ),
      );
      banks.push(bank.body.id);
    }
    const decliningBank = await retrying(() =>
      merchant.http.post(
        "/v1/accounts",
        {
          currency: "USD",
          type: "bank",
          bank: { account_number: "0009990002", routing_number: "110000000" },
        },
        { headers: { "idempotency-key": "bank-declines" } },
      ),
    );

    // A batch runs while the clients pay: 300 items, 1 in 10 to a declining bank account.
    const items = Array.from({ length: 300 }, (_, i) => ({
      id: `item-${i}`,
      destination:
        i % 10 === 0 ? decliningBank.body.id : i % 3 === 0 ? banks[i % banks.length] : wallets[i % WALLETS],
      amount: 100 + i,
    }));
    const submitted = await retrying(() =>
      merchant.http.post(
        "/v1/batches",
        { source: payroll, currency: "USD", items },
        { headers: { "idempotency-key": "faults-batch" } },
      ),
    );
    expect(submitted.status).toBe(202);

    const outcome = await runBankWorkload(merchant, {
      wallets,
      banks,
      clients: 16,
      operationsPerClient: SOAK ? 200 : 15,
      timeoutMs: 15,
      maxAmount: 3_000,
      seed: 4242,
    });
    expect(outcome.unexpected.map((a) => `${a.status} ${a.text}`)).toEqual([]);

    // Let the scheduler finish what faults left behind: silent-rail payouts, stalled chunks.
    const later = () => ({ time: new Date(Date.now() + 30 * 60_000).toISOString() });
    const batch = await poll(
      async () => {
        await stack.invoke("scheduler", later()).catch(() => undefined); // a sweep may itself hit a fault
        return awaitBatch(merchant, submitted.body.id, 5_000).catch(() => ({ status: "processing" }));
      },
      (b: any) => b.status === "completed",
      120_000,
    );
    const payments = await poll(
      async () => {
        await stack.invoke("scheduler", later()).catch(() => undefined);
        return allPayments(merchant);
      },
      (all) => all.every((p) => p.status !== "processing"),
      60_000,
    );
    const processingAnswers = [...outcome.answers.values()].filter((a) => a.status === 202).length;
    // Clients that gave up while a payout was held ask once more and now get the final answer.
    const unansweredAfterRun = outcome.unanswered.size;
    await settleUnanswered(merchant, outcome);
    expect([...outcome.unanswered.keys()]).toEqual([]);
    expect(outcome.answers.size).toBe(16 * (SOAK ? 200 : 15));

    // Money: nothing created or lost. All top-ups sit in wallets or were paid out to bank accounts.
    expect(await sumOfBalances(merchant)).toBe(WALLETS * FUNDING + 200_000);
    const accounts = await merchant.http.get("/v1/accounts?limit=100");
    expect(accounts.body.data.every((a: { balance: number }) => a.balance >= 0)).toBe(true);

    // The batch: every item terminal, counted exactly, each paid at most once.
    const expectedDeclined = items.filter((_, i) => i % 10 === 0);
    expect(batch).toMatchObject({
      status: "completed",
      counts: {
        total: 300,
        pending: 0,
        succeeded: 300 - expectedDeclined.length,
        failed: expectedDeclined.length,
      },
    });
    const batchItems = await allItems(merchant, submitted.body.id);
    expect(batchItems.filter((i) => i.status === "failed").map((i) => i.failure_code)).toEqual(
      expectedDeclined.map(() => "channel_declined"),
    );
    const itemPayments = payments.filter((p) => p.batch === submitted.body.id);
    expect(itemPayments).toHaveLength(300);
    expect(new Set(itemPayments.map((p) => p.id)).size).toBe(300);

    // Real-time payments: one per key, each terminal, and the ledger agrees with what they say.
    const realtime = payments.filter((p) => p.batch === null);
    const answered = new Set([...outcome.answers.values()].map((a) => a.paymentId));
    expect(realtime.map((p) => p.id).sort()).toEqual([...answered].sort());
    expect(realtime.every((p) => p.status === "succeeded" || p.status === "failed")).toBe(true);

    // What every payment says it did is what every account holds.
    const expected = new Map<string, number>(wallets.map((w) => [w, FUNDING]));
    expected.set(payroll, 200_000);
    for (const p of payments.filter((p) => p.status === "succeeded")) {
      expected.set(p.source, (expected.get(p.source) ?? 0) - p.amount);
      expected.set(p.destination, (expected.get(p.destination) ?? 0) + p.amount);
    }
    for (const account of accounts.body.data as { id: string; balance: number }[]) {
      expect(account.balance, account.id).toBe(expected.get(account.id) ?? 0);
    }

    // The faults really fired, in the consumers and in the HTTP path.
    const log = readFileSync(stack.logFile ?? "", "utf8");
    expect(log.match(/injected fault at consume\./g)?.length ?? 0).toBeGreaterThan(0);
    const firings = (point: string) => log.split(`"point":"${point}"`).length - 1;
    for (const point of ["dynamo.throttle", "dynamo.conflict", "dynamo.lost-response"]) {
      expect(firings(point), point).toBeGreaterThan(0);
    }
    recordFigures("faults", {
      "fault spec": FAULT_SPEC,
      "real-time payments (distinct keys)": outcome.answers.size,
      "HTTP attempts": outcome.attempts,
      "keys answered only after recovery (client gave up while held)": unansweredAfterRun,
      "batch items": 300,
      "faults fired: dynamo.throttle": firings("dynamo.throttle"),
      "faults fired: dynamo.conflict": firings("dynamo.conflict"),
      "faults fired: dynamo.lost-response": firings("dynamo.lost-response"),
      "faults fired: consume.before-write": firings("consume.before-write"),
      "faults fired: consume.after-write": firings("consume.after-write"),
      "bank payouts": realtime.filter((p) => p.channel === "bank").length,
      "payouts held processing by a silent rail, finished by recovery": processingAnswers,
      "money created or lost (minor units)": (await sumOfBalances(merchant)) - (WALLETS * FUNDING + 200_000),
      "items paid twice": itemPayments.length - new Set(itemPayments.map((p) => p.id)).size,
      "non-terminal payments or items": payments.filter((p) => p.status === "processing").length,
    });
  });
});
