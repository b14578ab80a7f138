import { beforeAll, describe, expect, it } from "vitest";
import { awaitBatch, poll, runScheduler } from "../support/batches.js";
import { allEvents, awaitEvents, eventAbout } from "../support/events.js";
import { newMerchant, openBankAccount, openWallet, type TestMerchant } from "../support/fixtures.js";

let merchant: TestMerchant;
let other: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("events");
  other = await newMerchant("events-other");
});

describe("events: one per state change, written with it", () => {
  it("records topup.succeeded, payment.succeeded and payment.failed with the resource as GET answered it", async () => {
    const source = await openWallet(merchant, "USD");
    const topup = await merchant.http.post("/v1/topups", { account: source, amount: 5_000, currency: "USD" });
    const destination = await openWallet(merchant, "USD");
    const paid = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 1_200,
      currency: "USD",
    });
    const declined = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 999_999,
      currency: "USD",
    });
    expect([topup.status, paid.status, declined.status]).toEqual([201, 201, 402]);
    const failedPayment = declined.body.error.payment;

    const events = await awaitEvents(merchant, [
      ["topup.succeeded", topup.body.id],
      ["payment.succeeded", paid.body.id],
      ["payment.failed", failedPayment.id],
    ]);
    const succeeded = eventAbout(events, "payment.succeeded", paid.body.id);
    expect(succeeded).toEqual({
      id: expect.stringMatching(/^evt_[0-9A-Z]{26}$/),
      object: "event",
      type: "payment.succeeded",
      created_at: paid.body.created_at,
      livemode: false,
      data: { object: paid.body },
    });
    expect(eventAbout(events, "topup.succeeded", topup.body.id).data.object).toEqual(topup.body);
    expect(eventAbout(events, "payment.failed", failedPayment.id).data.object).toEqual(failedPayment);
    // A payment with a repeated Idempotency-Key is one state change: one event.
    const key = { headers: { "Idempotency-Key": "events-once" } };
    const body = { source, destination, amount: 100, currency: "USD" };
    const first = await merchant.http.post("/v1/payments", body, key);
    const replay = await merchant.http.post("/v1/payments", body, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const after = await awaitEvents(merchant, [["payment.succeeded", first.body.id]]);
    eventAbout(after, "payment.succeeded", first.body.id);

    const read = await merchant.http.get(`/v1/events/${succeeded.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(succeeded);
  });

  it("records payment.processing then payment.succeeded for a bank payout", async () => {
    const source = await openWallet(merchant, "USD", 10_000);
    const bank = await openBankAccount(merchant, "000123450001");
    const paid = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 700,
      currency: "USD",
    });
    expect(paid.status).toBe(201);
    const events = await awaitEvents(merchant, [
      ["payment.processing", paid.body.id],
      ["payment.succeeded", paid.body.id],
    ]);
    const processing = eventAbout(events, "payment.processing", paid.body.id);
    const succeeded = eventAbout(events, "payment.succeeded", paid.body.id);
    expect(processing.data.object).toEqual({ ...paid.body, status: "processing" });
    expect(succeeded.data.object).toEqual(paid.body);
    expect(processing.id < succeeded.id).toBe(true);
  });

  it("records batch.created, batch.released, one batch.item.failed per failed item and batch.completed", async () => {
    const source = await openWallet(merchant, "USD", 10_000);
    const dollars = await openWallet(merchant, "USD");
    const euros = await openWallet(merchant, "EUR");
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "ok-1", destination: dollars, amount: 300 },
        { id: "bad-1", destination: euros, amount: 200 },
        { id: "ok-2", destination: dollars, amount: 100 },
      ],
    });
    expect(created.status).toBe(202);
    const batchId = created.body.id as string;
    const done = await awaitBatch(merchant, batchId);
    expect(done.status).toBe("completed");
    const events = await awaitEvents(merchant, [
      ["batch.created", batchId],
      ["batch.released", batchId],
      ["batch.completed", batchId],
      ["batch.item.failed", "bad-1"],
    ]);
    expect(eventAbout(events, "batch.created", batchId).data.object).toEqual(created.body);
    expect(eventAbout(events, "batch.released", batchId).data.object).toMatchObject({
      status: "processing",
      counts: { total: 3, pending: 3, succeeded: 0, failed: 0 },
    });
    expect(eventAbout(events, "batch.completed", batchId).data.object).toEqual(done);
    const items = await merchant.http.get(`/v1/batches/${batchId}/items?status=failed`);
    expect(eventAbout(events, "batch.item.failed", "bad-1").data.object).toEqual(items.body.data[0]);
    expect(
      events.filter((e) => e.type === "batch.item.failed" && e.data.object.batch === batchId),
    ).toHaveLength(1);
  });

  it("records batch.canceled for a canceled schedule and batch.failed for a batch its source cannot fund", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "USD");
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: later,
      items: [{ id: "a", destination, amount: 50 }],
    });
    const canceled = await merchant.http.post(`/v1/batches/${scheduled.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    // A batch paid now that its source cannot cover is refused at POST (402, nothing stored); a
    // scheduled one is checked at release, where it fails as a whole and says so in its event.
    const unfunded = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: later,
      items: [{ id: "b", destination, amount: 5_000 }],
    });
    expect(unfunded.status).toBe(202);
    await runScheduler(new Date(Date.now() + 7_200_000));
    const failed = await awaitBatch(merchant, unfunded.body.id);
    expect(failed).toMatchObject({ status: "failed", failure_code: "insufficient_funds" });
    const events = await awaitEvents(merchant, [
      ["batch.canceled", scheduled.body.id],
      ["batch.failed", unfunded.body.id],
    ]);
    expect(eventAbout(events, "batch.canceled", scheduled.body.id).data.object).toEqual(canceled.body);
    expect(eventAbout(events, "batch.failed", unfunded.body.id).data.object).toEqual(failed);
    // A scheduler pass over the canceled batch changes nothing, so it records nothing.
    await runScheduler(new Date(Date.now() + 7_200_000));
    expect((await allEvents(merchant)).filter((e) => e.data.object.id === scheduled.body.id)).toHaveLength(2);
  });
});

describe("GET /v1/events", () => {
  it("lists oldest first, pages forward with starting_after, and filters by type or family", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    for (let i = 0; i < 3; i++) {
      await merchant.http.post("/v1/payments", { source, destination, amount: 10 + i, currency: "USD" });
    }
    const all = await poll(
      () => allEvents(merchant),
      (events) => events.filter((e) => e.data.object.destination === destination).length === 3,
    );
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(await allEvents(merchant, { limit: 1 })).toEqual(
      all.slice(0, (await allEvents(merchant, { limit: 1 })).length),
    );
    const second = await merchant.http.get(`/v1/events?limit=2&starting_after=${ids[0]}`);
    expect(second.body.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(1, 3));
    expect(second.body.has_more).toBe(ids.length > 3);
    const payments = await allEvents(merchant, { type: "payment.*" });
    expect(payments).toEqual(all.filter((e) => e.type.startsWith("payment.")));
    const topups = await allEvents(merchant, { type: "topup.succeeded" });
    expect(topups).toEqual(all.filter((e) => e.type === "topup.succeeded"));
  });

  it("lists the events about one object with ?object=, oldest first, and nothing for another merchant", async () => {
    const source = await openWallet(merchant, "USD", 10_000);
    const bank = await openBankAccount(merchant, "000123450001");
    const payout = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 300,
      currency: "USD",
    });
    const wallet = await openWallet(merchant, "USD");
    const paid = await merchant.http.post("/v1/payments", {
      source,
      destination: wallet,
      amount: 200,
      currency: "USD",
    });
    const refund = await merchant.http.post("/v1/refunds", { payment: paid.body.id, amount: 50 });
    expect([payout.status, paid.status, refund.status]).toEqual([201, 201, 201]);
    const all = await awaitEvents(merchant, [
      ["payment.succeeded", payout.body.id],
      ["refund.succeeded", refund.body.id],
    ]);
    const about = (id: string) => all.filter((e) => e.data.object.id === id);

    const ofPayout = await merchant.http.get(`/v1/events?object=${payout.body.id}`);
    expect(ofPayout.status).toBe(200);
    expect(ofPayout.body.data.map((e: { type: string }) => e.type)).toEqual([
      "payment.processing",
      "payment.succeeded",
    ]);
    expect(ofPayout.body.data).toEqual(about(payout.body.id));
    const ofRefund = await merchant.http.get(`/v1/events?object=${refund.body.id}`);
    expect(ofRefund.body.data).toEqual(about(refund.body.id));
    expect(ofRefund.body.data.map((e: { type: string }) => e.type)).toEqual(["refund.succeeded"]);
    // With a type and a cursor, like the unfiltered list.
    const succeeded = await merchant.http.get(`/v1/events?object=${payout.body.id}&type=payment.succeeded`);
    expect(succeeded.body.data).toEqual(about(payout.body.id).filter((e) => e.type === "payment.succeeded"));
    const after = await merchant.http.get(
      `/v1/events?object=${payout.body.id}&limit=1&starting_after=${ofPayout.body.data[0].id}`,
    );
    expect(after.body).toMatchObject({ data: [ofPayout.body.data[1]], has_more: false });
    expect((await other.http.get(`/v1/events?object=${payout.body.id}`)).body.data).toEqual([]);
    const bad = await merchant.http.get("/v1/events?object=pay_123");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "parameter_invalid", param: "object" });
  });

  it("answers another merchant's event as unknown, and 400 for a bad query", async () => {
    const [someEvent] = await poll(
      () => allEvents(merchant),
      (events) => events.length > 0,
    );
    const foreign = await other.http.get(`/v1/events/${someEvent?.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: "resource_missing", param: "id" });
    expect((await other.http.get("/v1/events")).body.data).toEqual([]);
    const badType = await merchant.http.get("/v1/events?type=payment.done");
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatchObject({ code: "parameter_invalid", param: "type" });
    const badCursor = await merchant.http.get("/v1/events?starting_after=pay_123");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toMatchObject({ param: "starting_after" });
  });
});
