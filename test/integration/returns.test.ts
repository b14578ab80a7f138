import { describe, expect, it } from "vitest";
import { allItems, awaitBatch, runScheduler } from "../support/batches.js";
import { awaitEvents, eventAbout } from "../support/events.js";
import { balanceOf, newMerchant, openBankAccount, openWallet } from "../support/fixtures.js";

// The sandbox rail returns payouts to account numbers ending in 0004 five seconds after accepting
// them (PAYRAIL_SANDBOX_RETURN_AFTER_SECONDS); the scheduler applies due returns.
const AFTER_RETURN_MS = 60_000;

describe("bank payout returns", () => {
  it("returns a settled real-time payout once: the payment is returned and the source is credited", async () => {
    const merchant = await newMerchant("returns-realtime");
    const source = await openWallet(merchant, "USD", 10_000);
    const returning = await openBankAccount(merchant, "000123450004");
    const payout = await merchant.http.post("/v1/payments", {
      source,
      destination: returning,
      amount: 4_000,
      currency: "USD",
    });
    expect(payout.status).toBe(201);
    expect(payout.body).toMatchObject({ status: "succeeded", channel: "bank", return_code: null });
    expect(await balanceOf(merchant, source)).toBe(6_000);
    expect(await balanceOf(merchant, returning)).toBe(4_000);

    // Not yet due: nothing changes.
    await runScheduler(new Date(Date.now() - 60_000));
    expect((await merchant.http.get(`/v1/payments/${payout.body.id}`)).body.status).toBe("succeeded");

    await runScheduler(new Date(Date.now() + AFTER_RETURN_MS));
    const returned = await merchant.http.get(`/v1/payments/${payout.body.id}`);
    expect(returned.body).toMatchObject({ status: "returned", return_code: "R03", amount: 4_000 });
    expect(await balanceOf(merchant, source)).toBe(10_000);
    expect(await balanceOf(merchant, returning)).toBe(0);

    // Reported again (a crash before acknowledging, or a second sweep): applied once only.
    await runScheduler(new Date(Date.now() + AFTER_RETURN_MS));
    expect(await balanceOf(merchant, source)).toBe(10_000);
    const events = await awaitEvents(merchant, [["payment.returned", payout.body.id]]);
    expect(eventAbout(events, "payment.returned", payout.body.id).data.object).toMatchObject({
      status: "returned",
      return_code: "R03",
    });

    // A returned payout is over: it cannot be refunded.
    const refund = await merchant.http.post("/v1/refunds", { payment: payout.body.id });
    expect(refund.status).toBe(409);
    expect(refund.body.error.code).toBe("payment_not_refundable");
  });

  it("returns batch items: the items show returned and the batch's counts and amounts move", async () => {
    const merchant = await newMerchant("returns-batch");
    const source = await openWallet(merchant, "USD", 100_000);
    const wallet = await openWallet(merchant, "USD");
    const bank = await openBankAccount(merchant, "000123450001");
    const returning = await openBankAccount(merchant, "000555550004");
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "a", destination: wallet, amount: 1_000 },
        { id: "b", destination: bank, amount: 2_000 },
        { id: "c", destination: returning, amount: 3_000 },
        { id: "d", destination: returning, amount: 4_000 },
      ],
    });
    expect(created.status).toBe(202);
    const done = await awaitBatch(merchant, created.body.id);
    expect(done).toMatchObject({
      status: "completed",
      counts: { total: 4, pending: 0, succeeded: 4, failed: 0, returned: 0 },
      amounts: { total: 10_000, succeeded: 10_000, failed: 0, returned: 0 },
    });
    expect(await balanceOf(merchant, source)).toBe(90_000);

    await runScheduler(new Date(Date.now() + AFTER_RETURN_MS));
    await runScheduler(new Date(Date.now() + AFTER_RETURN_MS));
    const batch = await merchant.http.get(`/v1/batches/${created.body.id}`);
    expect(batch.body).toMatchObject({
      status: "completed",
      counts: { total: 4, pending: 0, succeeded: 2, failed: 0, returned: 2 },
      amounts: { total: 10_000, succeeded: 3_000, failed: 0, returned: 7_000 },
    });
    const items = await allItems(merchant, created.body.id);
    expect(items.map((item) => [item.id, item.status])).toEqual([
      ["a", "succeeded"],
      ["b", "succeeded"],
      ["c", "returned"],
      ["d", "returned"],
    ]);
    expect((await allItems(merchant, created.body.id, "returned")).map((item) => item.id)).toEqual([
      "c",
      "d",
    ]);
    const payment = await merchant.http.get(`/v1/payments/${items[2]?.payment}`);
    expect(payment.body).toMatchObject({ status: "returned", return_code: "R03", batch: created.body.id });
    // Conservation: what came back is in the source, the rest where it was paid.
    expect(await balanceOf(merchant, source)).toBe(97_000);
    expect(await balanceOf(merchant, wallet)).toBe(1_000);
    expect(await balanceOf(merchant, bank)).toBe(2_000);
    expect(await balanceOf(merchant, returning)).toBe(0);
  });
});
