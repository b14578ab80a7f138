import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { Payrail } from "../../client/index.js";
import { readCounts, resetCounts } from "../../scripts/local/dynamo-counter.js";
import { allItems, awaitBatch } from "../support/batches.js";
import { awaitEvents, eventAbout } from "../support/events.js";
import {
  ledgerStore,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

async function rule(merchant: TestMerchant, body: Record<string, unknown>) {
  const answer = await merchant.http.post("/v1/risk_rules", body);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { id: string };
}

async function pay(merchant: TestMerchant, source: string, destination: string, amount: number) {
  return merchant.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
}

async function account(merchant: TestMerchant, id: string) {
  const answer = await merchant.http.get(`/v1/accounts/${id}`);
  return { balance: answer.body.balance as number, available: answer.body.available as number };
}

/** Waits until at least `seconds` remain in the current UTC minute (velocity windows are minutes). */
async function awayFromMinuteEnd(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** Paying between 00:00 and 05:59 UTC adds 10 to a score that has another signal (score.ts). */
const night = () => (new Date().getUTCHours() < 6 ? 10 : 0);
const noRisk = () => ({ score: 0, rules: [] });

describe("risk rules: the resource", () => {
  it("creates, lists, retrieves and deletes rules of every kind, per mode, and refuses bad ones writing nothing", async () => {
    const merchant = await newMerchant("risk-crud");
    const wallet = await openWallet(merchant, "USD");
    const blocked = await openWallet(merchant, "USD");
    const created = await merchant.http.post("/v1/risk_rules", {
      type: "daily_outflow",
      amount: 500_000,
      currency: "usd",
      account: wallet,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^rr_/),
      object: "risk_rule",
      livemode: false,
      type: "daily_outflow",
      action: "decline",
      account: wallet,
      amount: 500_000,
      currency: "USD",
      count: null,
      hours: null,
      destinations: null,
      created_at: expect.any(Number),
    });
    const velocity = await rule(merchant, { type: "velocity", count: 20, action: "review" });
    const others = [
      await rule(merchant, { type: "amount", amount: 100_000, currency: "USD" }),
      await rule(merchant, { type: "monthly_outflow", amount: 5_000_000, currency: "USD" }),
      await rule(merchant, { type: "new_destination", amount: 10_000, currency: "USD", hours: 48 }),
      await rule(merchant, { type: "blocked_destinations", destinations: [blocked] }),
    ];
    const list = await merchant.http.get("/v1/risk_rules");
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([
      created.body.id,
      velocity.id,
      ...others.map((r) => r.id),
    ]);
    expect((await merchant.http.get(`/v1/risk_rules/${created.body.id}`)).body).toEqual(created.body);

    // Live mode has its own rules: none of the test ones.
    expect((await merchant.live.get("/v1/risk_rules")).body.data).toEqual([]);
    expect((await merchant.live.get(`/v1/risk_rules/${created.body.id}`)).status).toBe(404);
    const other = await newMerchant("risk-crud-other");
    expect((await other.http.get(`/v1/risk_rules/${created.body.id}`)).status).toBe(404);

    const deleted = await merchant.http.call("DELETE", `/v1/risk_rules/${velocity.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: velocity.id, object: "risk_rule", deleted: true });
    expect((await merchant.http.call("DELETE", `/v1/risk_rules/${velocity.id}`)).status).toBe(404);

    for (const [body, param] of [
      [{ type: "amount", currency: "USD" }, "amount"],
      [{ type: "velocity", count: 0 }, "count"],
      [{ type: "sometimes", amount: 1 }, "type"],
      [{ type: "amount", amount: 10.5, currency: "USD" }, "amount"],
      [{ type: "blocked_destinations", destinations: [] }, "destinations"],
      [{ type: "amount", amount: 1, currency: "USD", action: "maybe" }, "action"],
    ] as const) {
      const refused = await merchant.http.post("/v1/risk_rules", body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.param).toBe(param);
    }
    const missing = await merchant.http.post("/v1/risk_rules", {
      type: "amount",
      amount: 1,
      currency: "USD",
      account: (await openWallet(other, "USD")) as string,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "resource_missing", param: "account" });
    expect((await merchant.http.get("/v1/risk_rules")).body.data).toHaveLength(5);
  });
});

describe("risk rules on real-time payments", () => {
  it("declines a payment above the single-amount limit with amount_limit_exceeded (402), recorded with its risk", async () => {
    const merchant = await newMerchant("risk-amount");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    const limit = await rule(merchant, { type: "amount", amount: 5_000, currency: "USD" });
    const refused = await pay(merchant, source, destination, 5_001);
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ type: "payment_error", code: "amount_limit_exceeded" });
    const payment = refused.body.error.payment;
    expect(payment).toMatchObject({ status: "failed", failure_code: "amount_limit_exceeded", amount: 5_001 });
    expect(payment.risk).toEqual({
      score: 100,
      rules: [
        { rule: limit.id, type: "amount", action: "decline", outcome: "broken", used: 5_001, limit: 5_000 },
      ],
    });
    expect((await merchant.http.get(`/v1/payments/${payment.id}`)).body).toEqual(payment);
    expect(await account(merchant, source)).toEqual({ balance: 100_000, available: 100_000 });
    // At the limit: paid, and near it (100% of the limit: 40 points).
    const paid = await pay(merchant, source, destination, 5_000);
    expect(paid.status).toBe(201);
    expect(paid.body.risk).toEqual({
      score: 40 + night(),
      rules: [
        { rule: limit.id, type: "amount", action: "decline", outcome: "near", used: 5_000, limit: 5_000 },
      ],
    });
    const small = await pay(merchant, source, destination, 100);
    expect(small.body.risk).toEqual(noRisk());
    // Another currency is not this rule's business.
    const eur = await openWallet(merchant, "EUR", 100_000);
    const eurPayee = await openWallet(merchant, "EUR");
    const inEur = await merchant.http.post("/v1/payments", {
      source: eur,
      destination: eurPayee,
      amount: 50_000,
      currency: "EUR",
    });
    expect(inEur.status).toBe(201);
    const events = await awaitEvents(merchant, [["payment.failed", payment.id]]);
    expect(eventAbout(events, "payment.failed", payment.id).data.object).toEqual(payment);
  });

  it("counts a source's outflow per UTC day: exact score near the limit, daily_limit_exceeded past it", async () => {
    const merchant = await newMerchant("risk-daily");
    const source = await openWallet(merchant, "USD", 100_000);
    const other = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    const daily = await rule(merchant, {
      type: "daily_outflow",
      amount: 10_000,
      currency: "USD",
      account: source,
    });
    // The source's first payment under the rule reads it (to start the rolling day's ring), so
    // the destination is known: never paid before, +15.
    expect((await pay(merchant, source, destination, 7_000)).body.risk).toEqual({
      score: 15 + night(),
      rules: [],
    });
    const near = await pay(merchant, source, destination, 2_000);
    expect(near.status).toBe(201);
    // 9,000 of 10,000: 20 + floor(20 × (45,000 − 40,000) / 10,000) = 30, and +10 for a
    // destination first paid less than 24 h ago (known here: the accounts were read near the limit).
    expect(near.body.risk).toEqual({
      score: 40 + night(),
      rules: [
        {
          rule: daily.id,
          type: "daily_outflow",
          action: "decline",
          outcome: "near",
          used: 9_000,
          limit: 10_000,
        },
      ],
    });
    const over = await pay(merchant, source, destination, 1_001);
    expect(over.status).toBe(402);
    expect(over.body.error.code).toBe("daily_limit_exceeded");
    expect(over.body.error.payment.risk.rules).toEqual([
      {
        rule: daily.id,
        type: "daily_outflow",
        action: "decline",
        outcome: "broken",
        used: 10_001,
        limit: 10_000,
      },
    ]);
    expect((await pay(merchant, source, destination, 1_000)).status).toBe(201);
    expect((await pay(merchant, source, destination, 1)).body.error.code).toBe("daily_limit_exceeded");
    // The rule names one wallet: the other is not limited.
    expect((await pay(merchant, other, destination, 50_000)).status).toBe(201);
    expect(await account(merchant, source)).toEqual({ balance: 90_000, available: 90_000 });
  });

  it("judges the day as a rolling 24 hours: yesterday evening's outflow counts this morning, 25 hours back does not", async () => {
    const merchant = await newMerchant("risk-rolling");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "daily_outflow", amount: 10_000, currency: "USD" });
    const wallet = () =>
      ledgerStore()
        .dynamo.send(new GetCommand({ TableName: ledgerStore().table, Key: { pk: source, sk: "account" } }))
        .then((got) => got.Item as Record<string, unknown>);
    /** Sets the source's ring as if it had paid `amount` `hoursAgo` hours back (last written then). */
    const paidBefore = async (hoursAgo: number, amount: number) => {
      const hour = Math.floor(Date.now() / 3_600_000);
      const bucket = `rk_h${(hour - hoursAgo) % 25}`;
      const others = Array.from({ length: 25 }, (_, i) => `rk_h${i}`).filter((name) => name !== bucket);
      await ledgerStore().dynamo.send(
        new UpdateCommand({
          TableName: ledgerStore().table,
          Key: { pk: source, sk: "account" },
          UpdateExpression: `SET rk_rt = :at, rk_rs = :start, rk_r = :amount, #bucket = :amount REMOVE ${others.join(", ")}`,
          ExpressionAttributeNames: { "#bucket": bucket },
          ExpressionAttributeValues: { ":at": hour - hoursAgo, ":start": hour - 100, ":amount": amount },
        }),
      );
      return hour;
    };
    await awayFromMinuteEnd(20);
    // 9,000 paid 20 hours ago (yesterday, by the calendar, for most of the day): 1,001 more is refused.
    await paidBefore(20, 9_000);
    const refused = await pay(merchant, source, destination, 1_001);
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("daily_limit_exceeded");
    expect(refused.body.error.payment.risk.rules).toMatchObject([
      { outcome: "broken", used: 10_001, limit: 10_000 },
    ]);
    expect((await pay(merchant, source, destination, 1_000)).status).toBe(201);
    // The same 9,000 paid 25 hours ago has left the window: the ring moves on and drops it.
    const hour = await paidBefore(25, 9_000);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => pay(merchant, source, destination, 1_000)),
    );
    // The 1,000 paid above was in this hour's bucket, which the planted ring overwrote: 10 fit.
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(new Set(answers.filter((a) => a.status !== 201).map((a) => a.body.error.code))).toEqual(
      new Set(["daily_limit_exceeded"]),
    );
    const item = await wallet();
    expect(item).toMatchObject({ rk_rt: hour, rk_r: 10_000, [`rk_h${hour % 25}`]: 10_000, balance: 89_000 });
    expect(Object.keys(item).filter((name) => /^rk_h\d+$/.test(name))).toEqual([`rk_h${hour % 25}`]);
  });

  it("scores a payment above all its source paid out this month (the account's history) when the source is read", async () => {
    const merchant = await newMerchant("risk-history");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    const daily = await rule(merchant, { type: "daily_outflow", amount: 10_000, currency: "USD" });
    await awayFromMinuteEnd(10);
    // The first payment reads the source (to start the ring): no history yet, a new destination.
    expect((await pay(merchant, source, destination, 1_000)).body.risk).toEqual({
      score: 15 + night(),
      rules: [],
    });
    // 8,500 of 10,000 is near, so the source is read: 7,500 is more than the month's 1,000 so far.
    // 20 + floor(20 × (42,500 − 40,000) / 10,000) = 25, +10 destination first paid minutes ago, +10 history.
    const large = await pay(merchant, source, destination, 7_500);
    expect(large.status).toBe(201);
    expect(large.body.risk).toEqual({
      score: 45 + night(),
      rules: [
        {
          rule: daily.id,
          type: "daily_outflow",
          action: "decline",
          outcome: "near",
          used: 8_500,
          limit: 10_000,
        },
      ],
    });
    // 500 more is near too, but not above the month's 8,500: no history points.
    expect((await pay(merchant, source, destination, 500)).body.risk.score).toBe(30 + 10 + night()); // 9,000 of 10,000: 30
  });

  it("counts a source's outflow per UTC month with monthly_limit_exceeded", async () => {
    const merchant = await newMerchant("risk-monthly");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "monthly_outflow", amount: 30_000, currency: "USD" });
    expect((await pay(merchant, source, destination, 20_000)).status).toBe(201);
    expect((await pay(merchant, source, destination, 10_000)).status).toBe(201);
    const over = await pay(merchant, source, destination, 1);
    expect(over.status).toBe(402);
    expect(over.body.error.code).toBe("monthly_limit_exceeded");
  });

  it("limits payments per minute per source with velocity_limit_exceeded", async () => {
    const merchant = await newMerchant("risk-velocity");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "velocity", count: 3 });
    await awayFromMinuteEnd(15);
    for (let i = 0; i < 3; i++) expect((await pay(merchant, source, destination, 10)).status).toBe(201);
    const fourth = await pay(merchant, source, destination, 10);
    expect(fourth.status).toBe(402);
    expect(fourth.body.error.code).toBe("velocity_limit_exceeded");
    expect(await account(merchant, source)).toEqual({ balance: 99_970, available: 99_970 });
  });

  it("starts the velocity count again in a new minute, exactly under a race, in one attribute that never multiplies", async () => {
    const merchant = await newMerchant("risk-velocity-restart");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "velocity", count: 3 });
    await awayFromMinuteEnd(20);
    for (let i = 0; i < 3; i++) expect((await pay(merchant, source, destination, 10)).status).toBe(201);
    const wallet = () =>
      ledgerStore()
        .dynamo.send(new GetCommand({ TableName: ledgerStore().table, Key: { pk: source, sk: "account" } }))
        .then((got) => got.Item as Record<string, unknown>);
    const minute = Math.floor(Date.now() / 60_000);
    expect(await wallet()).toMatchObject({ rk_v: 3, rk_vm: minute });
    // Those three become last minute's (as after a pause): ten payments racing now let exactly three through.
    await ledgerStore().dynamo.send(
      new UpdateCommand({
        TableName: ledgerStore().table,
        Key: { pk: source, sk: "account" },
        UpdateExpression: "SET rk_vm = :before",
        ExpressionAttributeValues: { ":before": minute - 5 },
      }),
    );
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => pay(merchant, source, destination, 10)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    expect(new Set(answers.filter((a) => a.status !== 201).map((a) => a.body.error.code))).toEqual(
      new Set(["velocity_limit_exceeded"]),
    );
    const item = await wallet();
    expect(item).toMatchObject({ rk_v: 3, rk_vm: minute, balance: 99_940 });
    // One count and its tag, not one attribute per minute paid in; no daily rule, so no ring.
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
    const now = Date.now();
    expect(
      Object.keys(item)
        .filter((name) => name.startsWith("rk_"))
        .sort(),
    ).toEqual([
      `rk_m${date(now).slice(0, 6)}`,
      `rk_p${date(now)}`,
      `rk_p${date(now + 86_400_000)}`,
      "rk_v",
      "rk_vm",
    ]);
  });

  it("caps payments to a destination first paid less than N hours ago with new_destination_limit", async () => {
    const merchant = await newMerchant("risk-new-destination");
    const source = await openWallet(merchant, "USD", 100_000);
    const fresh = await openWallet(merchant, "USD");
    const old = await openWallet(merchant, "USD");
    const newDestination = await rule(merchant, {
      type: "new_destination",
      amount: 1_000,
      currency: "USD",
      hours: 24,
    });
    const refused = await pay(merchant, source, fresh, 5_000);
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("new_destination_limit");
    // Never paid before: +15 on top of the broken rule (which alone is 100).
    expect(refused.body.error.payment.risk.score).toBe(100);
    expect((await pay(merchant, source, fresh, 1_000)).status).toBe(201);
    // First paid seconds ago: still new.
    expect((await pay(merchant, source, fresh, 5_000)).body.error.code).toBe("new_destination_limit");
    // A destination first paid two days ago is not new (its first-paid time set as if it were).
    await ledgerStore().dynamo.send(
      new UpdateCommand({
        TableName: ledgerStore().table,
        Key: { pk: old, sk: "account" },
        UpdateExpression: "SET first_paid_at = :then",
        ExpressionAttributeValues: { ":then": Math.floor(Date.now() / 1000) - 2 * 86_400 },
      }),
    );
    const paid = await pay(merchant, source, old, 5_000);
    expect(paid.status).toBe(201);
    expect(paid.body.risk.rules).toEqual([]);
    expect(newDestination.id).toMatch(/^rr_/);
  });

  it("refuses destinations on the deny list with destination_blocked, bank payouts included", async () => {
    const merchant = await newMerchant("risk-blocked");
    const source = await openWallet(merchant, "USD", 100_000);
    const bank = await openBankAccount(merchant, "000123450001");
    const wallet = await openWallet(merchant, "USD");
    await rule(merchant, { type: "blocked_destinations", destinations: [bank] });
    const refused = await pay(merchant, source, bank, 100);
    expect(refused.status).toBe(402);
    expect(refused.body.error.payment).toMatchObject({
      status: "failed",
      failure_code: "destination_blocked",
      channel: "bank",
    });
    expect((await pay(merchant, source, wallet, 100)).status).toBe(201);
    // Bad input still answers 4xx, with nothing recorded, whatever the rules.
    const unknown = await pay(merchant, "acct_01KAAAAAAAAAAAAAAAAAAAAAAA", bank, 100);
    expect(unknown.status).toBe(404);
    expect(await account(merchant, source)).toEqual({ balance: 99_900, available: 99_900 });
  });

  it("applies the rules to converted payments in their source currency, wallets and bank payouts alike", async () => {
    const merchant = await newMerchant("risk-fx");
    const source = await openWallet(merchant, "USD", 100_000);
    const euros = await openWallet(merchant, "EUR");
    const bank = await openBankAccount(merchant, "000444550001", "EUR");
    await rule(merchant, { type: "daily_outflow", amount: 10_000, currency: "USD", account: source });
    await rule(merchant, { type: "amount", amount: 5_000, currency: "USD" });
    const convert = (destination: string, amount: number) =>
      merchant.http.post("/v1/payments", { source, destination, amount, currency: "USD", convert: true });
    expect((await convert(euros, 4_000)).status).toBe(201);
    const payout = await convert(bank, 4_000);
    expect(payout.status, payout.text).toBe(201);
    expect(payout.body).toMatchObject({
      status: "succeeded",
      channel: "bank",
      fx: { destination_currency: "EUR" },
    });
    // 8,000 USD left the source today: a third conversion of 4,000 would make 12,000.
    const over = await convert(euros, 4_000);
    expect(over.status).toBe(402);
    expect(over.body.error).toMatchObject({
      code: "daily_limit_exceeded",
      payment: { status: "failed", amount: 4_000, fx: { destination_currency: "EUR" } },
    });
    expect(over.body.error.payment.risk.rules).toContainEqual(
      expect.objectContaining({ type: "daily_outflow", outcome: "broken", used: 12_000, limit: 10_000 }),
    );
    // The single-amount rule reads the source amount, whatever the destination receives (from a
    // wallet without the daily rule).
    const other = await openWallet(merchant, "USD", 100_000);
    const large = await merchant.http.post("/v1/payments", {
      source: other,
      destination: bank,
      amount: 5_001,
      currency: "USD",
      convert: true,
    });
    expect(large.status).toBe(402);
    expect(large.body.error.code).toBe("amount_limit_exceeded");
    expect(await account(merchant, other)).toEqual({ balance: 100_000, available: 100_000 });
    expect(await account(merchant, source)).toEqual({ balance: 92_000, available: 92_000 });
  });

  it("applies a mode's rules to that mode only: a live rule never stops a test payment", async () => {
    const merchant = await newMerchant("risk-modes");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    const live = await merchant.live.post("/v1/risk_rules", { type: "amount", amount: 1, currency: "USD" });
    expect(live.status).toBe(201);
    expect(live.body.livemode).toBe(true);
    expect((await pay(merchant, source, destination, 5_000)).status).toBe(201);
  });

  it("costs a payment far from every limit one DynamoDB request, as without rules", async () => {
    const counter = stackContext().dynamoCounterUrl;
    const merchant = await newMerchant("risk-round-trips");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "daily_outflow", amount: 1_000_000, currency: "USD" });
    await rule(merchant, { type: "velocity", count: 1_000 });
    await rule(merchant, { type: "amount", amount: 50_000, currency: "USD" });
    // Both payments in one minute: the first of a new minute reads the wallet to restart the count.
    await awayFromMinuteEnd(10);
    await pay(merchant, source, destination, 1); // warms the container, its key and rule caches
    await resetCounts(counter);
    const paid = await pay(merchant, source, destination, 2);
    expect(paid.status).toBe(201);
    expect(await readCounts(counter)).toEqual({
      total: 1,
      operations: { TransactWriteItems: 1 },
      conflicts: {},
    });
  });

  it("lets exactly the daily limit through when 50 payments race for it", async () => {
    const merchant = await newMerchant("risk-race");
    const source = await openWallet(merchant, "USD", 1_000_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "daily_outflow", amount: 10_000, currency: "USD" });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        merchant.http.post(
          "/v1/payments",
          { source, destination, amount: 300, currency: "USD" },
          { headers: { "idempotency-key": `race-${i}` } },
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(33); // 33 × 300 = 9,900 ≤ 10,000 < 10,200
    expect(statuses.filter((s) => s === 402)).toHaveLength(17);
    expect(new Set(answers.filter((a) => a.status === 402).map((a) => a.body.error.code))).toEqual(
      new Set(["daily_limit_exceeded"]),
    );
    expect(await account(merchant, source)).toEqual({ balance: 990_100, available: 990_100 });
    expect(await account(merchant, destination)).toEqual({ balance: 9_900, available: 9_900 });
  });
});

describe("review: requires_review → succeeded | failed", () => {
  async function parked(merchant: TestMerchant, source: string, destination: string, amount: number) {
    const answer = await pay(merchant, source, destination, amount);
    expect(answer.status, answer.text).toBe(202);
    expect(answer.body).toMatchObject({ status: "requires_review", failure_code: null, amount });
    return answer.body as { id: string; risk: unknown };
  }

  it("parks a payment a review rule stops with its amount reserved; approve pays it once, then refuses every transition", async () => {
    const merchant = await newMerchant("risk-review-approve");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const review = await rule(merchant, { type: "amount", amount: 1_000, currency: "USD", action: "review" });
    const payment = await parked(merchant, source, destination, 6_000);
    expect(payment.risk).toEqual({
      score: 100,
      rules: [
        { rule: review.id, type: "amount", action: "review", outcome: "broken", used: 6_000, limit: 1_000 },
      ],
    });
    expect(await account(merchant, source)).toEqual({ balance: 10_000, available: 4_000 });
    // The reservation cannot be spent by anything else.
    const overdraw = await merchant.http.post("/v1/holds", {
      source,
      destination,
      amount: 4_001,
      currency: "USD",
    });
    expect(overdraw.status).toBe(402);
    expect(overdraw.body.error.code).toBe("insufficient_funds");
    expect((await pay(merchant, source, destination, 900)).status).toBe(201);

    const approved = await merchant.http.post(`/v1/payments/${payment.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: payment.id, status: "succeeded", failure_code: null });
    expect(await account(merchant, source)).toEqual({ balance: 3_100, available: 3_100 });
    expect(await account(merchant, destination)).toEqual({ balance: 6_900, available: 6_900 });
    for (const action of ["approve", "decline"]) {
      const again = await merchant.http.post(`/v1/payments/${payment.id}/${action}`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: "payment_not_in_review" });
      expect(again.body.error.payment).toMatchObject({ id: payment.id, status: "succeeded" });
    }
    // A payment that never waited for review refuses both too; another merchant's is 404.
    const plain = await pay(merchant, source, destination, 100);
    expect((await merchant.http.post(`/v1/payments/${plain.body.id}/approve`)).status).toBe(409);
    const stranger = await newMerchant("risk-review-stranger");
    expect((await stranger.http.post(`/v1/payments/${payment.id}/approve`)).status).toBe(404);
    const events = await awaitEvents(merchant, [
      ["payment.requires_review", payment.id],
      ["payment.succeeded", payment.id],
    ]);
    expect(eventAbout(events, "payment.requires_review", payment.id).data.object).toMatchObject({
      status: "requires_review",
    });
    expect(eventAbout(events, "payment.succeeded", payment.id).data.object).toEqual(approved.body);
  });

  it("declines a parked payment: failed with review_declined, the reservation released; then nothing else", async () => {
    const merchant = await newMerchant("risk-review-decline");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "amount", amount: 1_000, currency: "USD", action: "review" });
    const payment = await parked(merchant, source, destination, 6_000);
    const declined = await merchant.http.post(
      `/v1/payments/${payment.id}/decline`,
      {},
      { headers: { "idempotency-key": "decline-1" } },
    );
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: "failed", failure_code: "review_declined" });
    // The same request again is answered as the first time; another one is refused.
    const replay = await merchant.http.post(
      `/v1/payments/${payment.id}/decline`,
      {},
      { headers: { "idempotency-key": "decline-1" } },
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(declined.body);
    expect((await merchant.http.post(`/v1/payments/${payment.id}/approve`)).status).toBe(409);
    expect((await merchant.http.post(`/v1/payments/${payment.id}/decline`)).status).toBe(409);
    expect(await account(merchant, source)).toEqual({ balance: 10_000, available: 10_000 });
    expect(await account(merchant, destination)).toEqual({ balance: 0, available: 0 });
    const events = await awaitEvents(merchant, [["payment.failed", payment.id]]);
    expect(eventAbout(events, "payment.failed", payment.id).data.object).toEqual(declined.body);
  });

  it("lets exactly one of approve and decline win when they race, and the money moves once", async () => {
    const merchant = await newMerchant("risk-review-race");
    const source = await openWallet(merchant, "USD", 100_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "amount", amount: 1_000, currency: "USD", action: "review" });
    for (let round = 0; round < 3; round++) {
      const payment = await parked(merchant, source, destination, 2_000);
      const answers = await Promise.all([
        merchant.http.post(`/v1/payments/${payment.id}/approve`),
        merchant.http.post(`/v1/payments/${payment.id}/decline`),
        merchant.http.post(`/v1/payments/${payment.id}/approve`),
        merchant.http.post(`/v1/payments/${payment.id}/decline`),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
      const winner = answers.find((a) => a.status === 200)?.body;
      expect((await merchant.http.get(`/v1/payments/${payment.id}`)).body.status).toBe(winner.status);
    }
    const { balance: left } = await account(merchant, source);
    const { balance: received } = await account(merchant, destination);
    expect(left + received).toBe(100_000);
    expect(received % 2_000).toBe(0);
    expect(await account(merchant, source)).toEqual({ balance: left, available: left });
  });

  it("parks a bank payout too: approve sends it through the rail from the reservation, a rail decline returns it", async () => {
    const merchant = await newMerchant("risk-review-bank");
    const source = await openWallet(merchant, "USD", 10_000);
    const bank = await openBankAccount(merchant, "000777770001");
    const declining = await openBankAccount(merchant, "000777770002");
    await rule(merchant, { type: "amount", amount: 1_000, currency: "USD", action: "review" });
    await rule(merchant, { type: "daily_outflow", amount: 9_000, currency: "USD" });
    const payout = await parked(merchant, source, bank, 4_000);
    expect(payout).toMatchObject({ channel: "bank" });
    expect(await account(merchant, source)).toEqual({ balance: 10_000, available: 6_000 });
    const approved = await merchant.http.post(
      `/v1/payments/${payout.id}/approve`,
      {},
      { headers: { "idempotency-key": "approve-bank-1" } },
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({
      id: payout.id,
      status: "succeeded",
      channel: "bank",
      failure_code: null,
    });
    expect(await account(merchant, source)).toEqual({ balance: 6_000, available: 6_000 });
    // The approval's key answers the same again, without a second payout.
    const replay = await merchant.http.post(
      `/v1/payments/${payout.id}/approve`,
      {},
      { headers: { "idempotency-key": "approve-bank-1" } },
    );
    expect([replay.status, replay.body.status]).toEqual([200, "succeeded"]);
    expect((await merchant.http.get(`/v1/accounts/${bank}`)).body.balance).toBe(4_000);
    // A payout the rail declines after approval: 402 like any declined payout, the money back.
    const refused = await parked(merchant, source, declining, 2_000);
    const declined = await merchant.http.post(`/v1/payments/${refused.id}/approve`);
    expect(declined.status).toBe(402);
    expect(declined.body.error.payment).toMatchObject({ status: "failed", failure_code: "channel_declined" });
    expect(await account(merchant, source)).toEqual({ balance: 6_000, available: 6_000 });
    // The approvals counted into the day (4,000 + 2,000 of 9,000). A third parks with room left,
    // a plain payment takes 1,000 of it, and at approval 2,500 no longer fits: it fails with the
    // decline rule's code and its reservation goes back.
    const wallet = await openWallet(merchant, "USD");
    const third = await parked(merchant, source, bank, 2_500);
    expect((await pay(merchant, source, wallet, 1_000)).status).toBe(201);
    const over = await merchant.http.post(`/v1/payments/${third.id}/approve`);
    expect(over.status).toBe(402);
    expect(over.body.error.payment).toMatchObject({ status: "failed", failure_code: "daily_limit_exceeded" });
    expect(await account(merchant, source)).toEqual({ balance: 5_000, available: 5_000 });
    const events = await awaitEvents(merchant, [
      ["payment.requires_review", payout.id],
      ["payment.processing", payout.id],
      ["payment.succeeded", payout.id],
      ["payment.failed", refused.id],
    ]);
    expect(eventAbout(events, "payment.processing", payout.id).data.object).toMatchObject({
      status: "processing",
    });
  });

  it("approves through the same engine: a decline rule broken by then fails the payment and releases it", async () => {
    const merchant = await newMerchant("risk-review-engine");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    await rule(merchant, { type: "amount", amount: 1_000, currency: "USD", action: "review" });
    const payment = await parked(merchant, source, destination, 5_000);
    await rule(merchant, { type: "daily_outflow", amount: 4_000, currency: "USD" });
    const approved = await merchant.http.post(`/v1/payments/${payment.id}/approve`);
    expect(approved.status).toBe(402);
    expect(approved.body.error.code).toBe("daily_limit_exceeded");
    expect(approved.body.error.payment).toMatchObject({
      status: "failed",
      failure_code: "daily_limit_exceeded",
    });
    expect(await account(merchant, source)).toEqual({ balance: 10_000, available: 10_000 });
    expect((await merchant.http.post(`/v1/payments/${payment.id}/decline`)).status).toBe(409);
  });
});

describe("risk rules on hold captures", () => {
  it("declines a capture that breaks a rule (recorded failed, 402) and leaves the hold held", async () => {
    const merchant = await newMerchant("risk-capture");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const hold = await merchant.http.post("/v1/holds", {
      source,
      destination,
      amount: 6_000,
      currency: "USD",
    });
    expect(hold.status).toBe(201);
    await rule(merchant, { type: "daily_outflow", amount: 5_000, currency: "USD" });
    const refused = await merchant.http.post(`/v1/holds/${hold.body.id}/capture`, { amount: 5_500 });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("daily_limit_exceeded");
    const failedPayment = refused.body.error.payment;
    expect((await merchant.http.get(`/v1/payments/${failedPayment.id}`)).body).toMatchObject({
      status: "failed",
      failure_code: "daily_limit_exceeded",
    });
    expect((await merchant.http.get(`/v1/holds/${hold.body.id}`)).body.status).toBe("held");
    const captured = await merchant.http.post(`/v1/holds/${hold.body.id}/capture`, { amount: 5_000 });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: "captured", amount_captured: 5_000 });
    expect(await account(merchant, source)).toEqual({ balance: 5_000, available: 5_000 });
    // The capture counted: the day's outflow is at its limit.
    expect((await pay(merchant, source, destination, 1)).body.error.code).toBe("daily_limit_exceeded");
  });
});

describe("risk rules on batch items", () => {
  it("fails the items that break a rule with its code, through the same engine, and pays the rest", async () => {
    const merchant = await newMerchant("risk-batch");
    const source = await openWallet(merchant, "USD", 100_000);
    const payee = await openWallet(merchant, "USD");
    const blocked = await openBankAccount(merchant, "000555550001");
    const bank = await openBankAccount(merchant, "000666660001");
    await rule(merchant, { type: "amount", amount: 20_000, currency: "USD" });
    await rule(merchant, { type: "blocked_destinations", destinations: [blocked] });
    const submitted = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "ok-wallet", destination: payee, amount: 10_000 },
        { id: "too-big", destination: payee, amount: 20_001 },
        { id: "blocked", destination: blocked, amount: 1_000 },
        { id: "ok-bank", destination: bank, amount: 5_000 },
      ],
    });
    expect(submitted.status, submitted.text).toBe(202);
    const batch = await awaitBatch(merchant, submitted.body.id);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 4, succeeded: 2, failed: 2 },
      amounts: { total: 36_001, succeeded: 15_000, failed: 21_001 },
    });
    const items = await allItems(merchant, submitted.body.id);
    expect(items.map((item) => [item.id, item.status, item.failure_code])).toEqual([
      ["ok-wallet", "succeeded", null],
      ["too-big", "failed", "amount_limit_exceeded"],
      ["blocked", "failed", "destination_blocked"],
      ["ok-bank", "succeeded", null],
    ]);
    // The failed items' money went back to the source with the rest of the reservation.
    expect(await account(merchant, source)).toEqual({ balance: 85_000, available: 85_000 });
    expect(await account(merchant, payee)).toEqual({ balance: 10_000, available: 10_000 });
  });
});

describe("outflow rules on a batch's total", () => {
  async function submit(merchant: TestMerchant, source: string, payee: string, amounts: number[]) {
    const submitted = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: amounts.map((amount, i) => ({ id: `line-${i}`, destination: payee, amount })),
    });
    expect(submitted.status, submitted.text).toBe(202);
    return submitted.body.id as string;
  }

  it("counts a released batch into the source's day and refuses, whole, a batch that would pass the limit", async () => {
    const merchant = await newMerchant("risk-batch-outflow");
    const source = await openWallet(merchant, "USD", 500_000);
    const payee = await openWallet(merchant, "USD");
    await rule(merchant, { type: "daily_outflow", amount: 100_000, currency: "USD", account: source });
    await rule(merchant, { type: "monthly_outflow", amount: 1_000_000, currency: "USD", action: "review" });
    const paid = await submit(merchant, source, payee, [25_000, 35_000]);
    expect(await awaitBatch(merchant, paid)).toMatchObject({
      status: "completed",
      failure_code: null,
      counts: { total: 2, succeeded: 2, failed: 0 },
    });
    // The batch's 60,000 left the source today: a real-time payment sees only the 40,000 left.
    const over = await pay(merchant, source, payee, 40_001);
    expect(over.status).toBe(402);
    expect(over.body.error.code).toBe("daily_limit_exceeded");
    expect((await pay(merchant, source, payee, 30_000)).status).toBe(201);
    // 10,000 of room: a batch of 10,001 fails as a whole at release, nothing reserved or paid.
    const refused = await submit(merchant, source, payee, [5_000, 5_001]);
    const failed = await awaitBatch(merchant, refused);
    expect(failed).toMatchObject({
      status: "failed",
      failure_code: "daily_limit_exceeded",
      counts: { total: 2, succeeded: 0, failed: 2 },
      amounts: { total: 10_001, succeeded: 0, failed: 10_001 },
    });
    // Its items were never paid: each says the batch failed, the batch says why.
    expect((await allItems(merchant, refused)).map((item) => [item.status, item.failure_code])).toEqual([
      ["failed", "batch_failed"],
      ["failed", "batch_failed"],
    ]);
    expect(await account(merchant, source)).toEqual({ balance: 410_000, available: 410_000 });
    const events = await awaitEvents(merchant, [["batch.failed", refused]]);
    expect(eventAbout(events, "batch.failed", refused).data.object).toMatchObject({
      status: "failed",
      failure_code: "daily_limit_exceeded",
    });
    // Exactly the room left still passes, as a batch.
    const last = await submit(merchant, source, payee, [10_000]);
    expect((await awaitBatch(merchant, last)).status).toBe("completed");
    expect(await account(merchant, source)).toEqual({ balance: 400_000, available: 400_000 });
    expect(await account(merchant, payee)).toEqual({ balance: 100_000, available: 100_000 });
  });

  it("refuses a batch above a monthly review rule with its code: a batch is not parked for review", async () => {
    const merchant = await newMerchant("risk-batch-monthly");
    const source = await openWallet(merchant, "USD", 50_000);
    const payee = await openWallet(merchant, "USD");
    await rule(merchant, { type: "monthly_outflow", amount: 20_000, currency: "USD", action: "review" });
    const refused = await submit(merchant, source, payee, [20_001]);
    expect(await awaitBatch(merchant, refused)).toMatchObject({
      status: "failed",
      failure_code: "monthly_limit_exceeded",
    });
    expect(await account(merchant, source)).toEqual({ balance: 50_000, available: 50_000 });
  });

  it("lets batches and payments racing for one day's room never pass the limit together", async () => {
    const merchant = await newMerchant("risk-batch-race");
    const source = await openWallet(merchant, "USD", 1_000_000);
    const payee = await openWallet(merchant, "USD");
    await rule(merchant, { type: "daily_outflow", amount: 100_000, currency: "USD" });
    const [batchIds, payments] = await Promise.all([
      Promise.all(Array.from({ length: 4 }, () => submit(merchant, source, payee, [10_000, 20_000]))),
      Promise.all(Array.from({ length: 8 }, () => pay(merchant, source, payee, 5_000))),
    ]);
    const batches = await Promise.all(batchIds.map((id) => awaitBatch(merchant, id)));
    const batchesPaid = batches.filter((b) => b.status === "completed").length;
    const paymentsPaid = payments.filter((p) => p.status === 201).length;
    for (const batch of batches)
      if (batch.status !== "completed") expect(batch.failure_code).toBe("daily_limit_exceeded");
    for (const payment of payments)
      if (payment.status !== 201) expect(payment.body.error.code).toBe("daily_limit_exceeded");
    const used = batchesPaid * 30_000 + paymentsPaid * 5_000;
    expect(used).toBeLessThanOrEqual(100_000);
    // Whatever was refused was refused for want of room when it was judged, and room never returns.
    if (paymentsPaid < 8) expect(used).toBeGreaterThan(95_000);
    if (batchesPaid < 4) expect(used).toBeGreaterThan(70_000);
    expect(await account(merchant, source)).toEqual({
      balance: 1_000_000 - used,
      available: 1_000_000 - used,
    });
    expect((await account(merchant, payee)).balance).toBe(used);
  });
});

describe("risk rules through the typed client", () => {
  it("sets, lists and deletes rules, and approves and declines parked payments with payrail.payments", async () => {
    const merchant = await newMerchant("risk-client");
    const payrail = new Payrail({ apiKey: merchant.apiKey, baseUrl: stackContext().httpUrl, maxRetries: 0 });
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const review = await payrail.riskRules.create({
      type: "amount",
      amount: 1_000,
      currency: "USD",
      action: "review",
    });
    expect(review).toMatchObject({ object: "risk_rule", type: "amount", action: "review", amount: 1_000 });
    expect((await payrail.riskRules.list()).data.map((r) => r.id)).toEqual([review.id]);
    expect((await payrail.riskRules.retrieve(review.id)).id).toBe(review.id);
    const first = await payrail.payments.create({ source, destination, amount: 2_000, currency: "USD" });
    expect(first.status).toBe("requires_review");
    expect((await payrail.payments.approve(first.id)).status).toBe("succeeded");
    const second = await payrail.payments.create({ source, destination, amount: 3_000, currency: "USD" });
    const declined = await payrail.payments.decline(second.id);
    expect(declined).toMatchObject({ status: "failed", failure_code: "review_declined" });
    await expect(payrail.payments.approve(second.id)).rejects.toMatchObject({
      status: 409,
      code: "payment_not_in_review",
    });
    expect(await payrail.riskRules.del(review.id)).toEqual({
      id: review.id,
      object: "risk_rule",
      deleted: true,
    });
    expect(
      (await payrail.payments.create({ source, destination, amount: 3_000, currency: "USD" })).status,
    ).toBe("succeeded");
  });
});
