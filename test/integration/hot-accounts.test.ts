// Hot accounts under AWS's conflict rules, which the local stack's DynamoDB pass-through emulates
// for the whole suite: many customers paying one wallet, one wallet paying many, a batch paying one
// payee a thousand times. Every answer is final (no 5xx, no processing_error), every balance exact,
// and the merchant's money is conserved.
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { allItems, awaitBatch, runScheduler, sumOfBalances } from "../support/batches.js";
import { balanceOf, ledgerStore, newMerchant, openWallet } from "../support/fixtures.js";

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("hot accounts with transaction conflicts emulated", () => {
  it("48 concurrent payments from 16 customers into one merchant wallet all succeed, to the unit", async () => {
    const merchant = await newMerchant("hot-destination");
    const customers = await Promise.all(Array.from({ length: 16 }, () => openWallet(merchant, "USD", 1_000)));
    const shop = await openWallet(merchant, "USD");
    const amounts = Array.from({ length: 48 }, (_, i) => i + 1);
    const answers = await Promise.all(
      amounts.map((amount, i) =>
        merchant.http.post("/v1/payments", {
          source: customers[i % 16],
          destination: shop,
          amount,
          currency: "USD",
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(amounts.map(() => 201));
    expect(answers.every((answer) => answer.body.status === "succeeded")).toBe(true);
    expect(await balanceOf(merchant, shop)).toBe(sum(amounts));
    const paidBy = (c: number) => sum(amounts.filter((_amount, i) => i % 16 === c));
    expect(await Promise.all(customers.map((c) => balanceOf(merchant, c)))).toEqual(
      customers.map((_c, i) => 1_000 - paidBy(i)),
    );
    expect(await sumOfBalances(merchant)).toBe(16_000);
  });

  it("48 concurrent payments from one payout wallet to 16 destinations all succeed, to the unit", async () => {
    const merchant = await newMerchant("hot-source");
    const payouts = await openWallet(merchant, "USD", 10_000);
    const payees = await Promise.all(Array.from({ length: 16 }, () => openWallet(merchant, "USD")));
    const amounts = Array.from({ length: 48 }, (_, i) => 10 + i);
    const answers = await Promise.all(
      amounts.map((amount, i) =>
        merchant.http.post("/v1/payments", {
          source: payouts,
          destination: payees[i % 16],
          amount,
          currency: "USD",
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(amounts.map(() => 201));
    expect(await balanceOf(merchant, payouts)).toBe(10_000 - sum(amounts));
    expect(await Promise.all(payees.map((p) => balanceOf(merchant, p)))).toEqual(
      payees.map((_p, c) => sum(amounts.filter((_amount, i) => i % 16 === c))),
    );
    expect(await sumOfBalances(merchant)).toBe(10_000);
  });

  it("a wallet paid and paying at once (hot both ways) never overdraws and conserves the total", async () => {
    const merchant = await newMerchant("hot-both-ways");
    const hub = await openWallet(merchant, "USD", 100);
    const others = await Promise.all(Array.from({ length: 8 }, () => openWallet(merchant, "USD", 500)));
    // 24 payments of 20 into the hub and 24 of 30 out of it, interleaved: the hub holds 100 + 480
    // at most, so at least 19 of the outgoing ones succeed once every incoming one has landed.
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        i % 2 === 0
          ? merchant.http.post("/v1/payments", {
              source: others[i % 8],
              destination: hub,
              amount: 20,
              currency: "USD",
            })
          : merchant.http.post("/v1/payments", {
              source: hub,
              destination: others[i % 8],
              amount: 30,
              currency: "USD",
            }),
      ),
    );
    const incoming = answers.filter((_a, i) => i % 2 === 0);
    const outgoing = answers.filter((_a, i) => i % 2 === 1);
    expect(incoming.map((answer) => answer.status)).toEqual(incoming.map(() => 201));
    expect(outgoing.every((answer) => answer.status === 201 || answer.status === 402)).toBe(true);
    expect(
      outgoing.filter((a) => a.status === 402).every((a) => a.body.error.code === "insufficient_funds"),
    ).toBe(true);
    const paidOut = outgoing.filter((answer) => answer.status === 201).length;
    expect(await balanceOf(merchant, hub)).toBe(100 + 24 * 20 - paidOut * 30);
    expect(await sumOfBalances(merchant)).toBe(100 + 8 * 500);
  });

  it("a batch paying one payee 1,000 times pays every item and credits the payee exactly", async () => {
    const merchant = await newMerchant("single-payee-batch");
    const source = await openWallet(merchant, "USD", 2_000_000);
    const payee = await openWallet(merchant, "USD");
    const items = Array.from({ length: 1_000 }, (_, i) => ({
      id: `p-${i}`,
      destination: payee,
      amount: 1 + i,
    }));
    const total = sum(items.map((item) => item.amount));
    const created = await merchant.http.post("/v1/batches", { source, currency: "USD", items });
    expect(created.status, created.text).toBe(202);
    const batch = await awaitBatch(merchant, created.body.id, 120_000);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 1_000, pending: 0, succeeded: 1_000, failed: 0 },
      amounts: { total, succeeded: total, failed: 0 },
    });
    expect((await allItems(merchant, created.body.id, "failed")).length).toBe(0);
    expect(await balanceOf(merchant, payee)).toBe(total);
    expect(await balanceOf(merchant, source)).toBe(2_000_000 - total);
    expect(await sumOfBalances(merchant)).toBe(2_000_000);
  });

  it("credits waiting as pending entries count: reads show them and a payment can spend them", async () => {
    const merchant = await newMerchant("pending-credits");
    const wallet = await openWallet(merchant, "USD", 100);
    const payee = await openWallet(merchant, "USD");
    // Pending entries as a payment to a hot wallet writes them (lib/ledger/credits.ts), straight in
    // the ledger. The money came from a payer's debit in the same transaction: here it was "topped up".
    const store = ledgerStore();
    for (const [entry, amount] of [
      ["pay_pending_1", 250],
      ["pay_pending_2", 650],
    ] as const) {
      await store.dynamo.send(
        new PutCommand({
          TableName: store.table,
          Item: {
            pk: wallet,
            sk: `credit#${entry}`,
            merchant_id: merchant.merchantId,
            amount,
            created_at_ms: 0,
          },
        }),
      );
    }
    // Spending 1,000 needs the pending 900: the payment folds them in and succeeds.
    const paid = await merchant.http.post("/v1/payments", {
      source: wallet,
      destination: payee,
      amount: 1_000,
      currency: "USD",
    });
    expect(paid.status, paid.text).toBe(201);
    expect(await balanceOf(merchant, wallet)).toBe(0);
    expect(await balanceOf(merchant, payee)).toBe(1_000);

    // A read folds them too: the list and the single read agree with every credit.
    await store.dynamo.send(
      new PutCommand({
        TableName: store.table,
        Item: {
          pk: payee,
          sk: "credit#pay_pending_3",
          merchant_id: merchant.merchantId,
          amount: 7,
          created_at_ms: 0,
        },
      }),
    );
    const listed = await merchant.http.get("/v1/accounts?limit=10");
    const byId = new Map(listed.body.data.map((a: { id: string; balance: number }) => [a.id, a.balance]));
    expect(byId.get(payee)).toBe(1_007);
    expect(await balanceOf(merchant, payee)).toBe(1_007);
  });

  it("a batch release from a wallet whose funds are pending entries folds them and pays", async () => {
    const merchant = await newMerchant("pending-batch-source");
    const source = await openWallet(merchant, "USD");
    const payee = await openWallet(merchant, "USD");
    const at = new Date(Date.now() + 86_400_000);
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: at.toISOString(),
      items: [{ id: "a", destination: payee, amount: 300 }],
    });
    expect(created.status, created.text).toBe(202);
    // The funds arrive as a pending entry after the batch was accepted, before it is released.
    const store = ledgerStore();
    await store.dynamo.send(
      new PutCommand({
        TableName: store.table,
        Item: {
          pk: source,
          sk: "credit#pay_pending_b",
          merchant_id: merchant.merchantId,
          amount: 300,
          created_at_ms: 0,
        },
      }),
    );
    await runScheduler(new Date(at.getTime() + 60_000));
    const batch = await awaitBatch(merchant, created.body.id);
    expect(batch).toMatchObject({ status: "completed", counts: { succeeded: 1, failed: 0 } });
    expect(await balanceOf(merchant, payee)).toBe(300);
    expect(await balanceOf(merchant, source)).toBe(0);
  });
});
