import { describe, expect, it } from "vitest";
import { allItems, awaitBatch, runScheduler } from "../support/batches.js";
import { balanceOf, newMerchant, openWallet } from "../support/fixtures.js";

const DAY = 24 * 3600 * 1000;

// One file, run in order: the scheduler invoked with a future clock releases every batch due by
// then, so the batches that must stay scheduled here are scheduled much later than that clock.
/** A funded wallet and a one-item batch (item "a") scheduled 300 days ahead, so it stays cancelable. */
async function scheduledOneItemBatch(label: string, fund: number, amount: number) {
  const merchant = await newMerchant(label);
  const source = await openWallet(merchant, "USD", fund);
  const destination = await openWallet(merchant, "USD");
  const created = await merchant.http.post("/v1/batches", {
    source,
    currency: "USD",
    items: [{ id: "a", destination, amount }],
    scheduled_at: new Date(Date.now() + 300 * DAY).toISOString(),
  });
  return { merchant, source, created };
}

describe("scheduled batches", () => {
  it("holds a scheduled batch until the scheduler's clock passes scheduled_at, then pays it", async () => {
    const merchant = await newMerchant("batch-scheduled");
    const source = await openWallet(merchant, "USD", 5_000);
    const destination = await openWallet(merchant, "USD");
    const at = new Date(Date.now() + 3600 * 1000);
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "a", destination, amount: 1_000 },
        { id: "b", destination, amount: 2_000 },
      ],
      scheduled_at: at.toISOString(),
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      status: "scheduled",
      scheduled_at: Math.floor(at.getTime() / 1000),
    });

    // A sweep before the time leaves it alone.
    await runScheduler(new Date(at.getTime() - 60_000));
    expect((await merchant.http.get(`/v1/batches/${created.body.id}`)).body.status).toBe("scheduled");
    expect(await balanceOf(merchant, source)).toBe(5_000);

    await runScheduler(new Date(at.getTime() + 60_000));
    const batch = await awaitBatch(merchant, created.body.id);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 2, pending: 0, succeeded: 2, failed: 0, returned: 0 },
    });
    expect(await balanceOf(merchant, source)).toBe(2_000);
    expect(await balanceOf(merchant, destination)).toBe(3_000);
    // Released: no longer cancelable.
    const late = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: "batch_not_cancelable", type: "invalid_request_error" });
  });

  it("cancels a scheduled batch, whose items are then canceled (not failed), and refuses a second cancel", async () => {
    const { merchant, source, created } = await scheduledOneItemBatch("batch-cancel", 5_000, 1_000);
    const canceled = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      id: created.body.id,
      status: "canceled",
      counts: { total: 1, pending: 0, succeeded: 0, failed: 0, returned: 0, canceled: 1 },
      amounts: { total: 1_000, succeeded: 0, failed: 0, returned: 0, canceled: 1_000 },
    });
    const read = (await merchant.http.get(`/v1/batches/${created.body.id}`)).body;
    expect(read).toMatchObject({
      status: "canceled",
      counts: canceled.body.counts,
      amounts: canceled.body.amounts,
    });
    expect(await allItems(merchant, created.body.id)).toEqual([
      expect.objectContaining({ id: "a", status: "canceled", failure_code: null, payment: null }),
    ]);
    expect(await allItems(merchant, created.body.id, "canceled")).toHaveLength(1);
    expect(await allItems(merchant, created.body.id, "failed")).toEqual([]);
    const again = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("batch_not_cancelable");
    expect(await balanceOf(merchant, source)).toBe(5_000);
  });

  it("replays a cancel sent again with the same Idempotency-Key instead of refusing it", async () => {
    const { merchant, created } = await scheduledOneItemBatch("batch-cancel-replay", 100, 10);
    const headers = { "idempotency-key": `cancel-${created.body.id}` };
    const first = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`, undefined, { headers });
    const replay = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`, undefined, { headers });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    const other = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`, undefined, {
      headers: { "idempotency-key": "another-key" },
    });
    expect(other.status).toBe(409);
  });

  it("refuses to cancel a batch that was released on creation", async () => {
    const merchant = await newMerchant("batch-cancel-released");
    const source = await openWallet(merchant, "USD", 5_000);
    const destination = await openWallet(merchant, "USD");
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amount: 1_000 }],
    });
    const answer = await merchant.http.post(`/v1/batches/${created.body.id}/cancel`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("batch_not_cancelable");
    expect((await awaitBatch(merchant, created.body.id)).status).toBe("completed");
  });

  it("treats a scheduled_at up to 5 minutes past as now and refuses an earlier one, storing nothing", async () => {
    const merchant = await newMerchant("batch-past");
    const source = await openWallet(merchant, "USD", 5_000);
    const destination = await openWallet(merchant, "USD");
    const skewed = new Date(Date.now() - 60_000);
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amount: 1_000 }],
      scheduled_at: skewed.toISOString(),
    });
    expect(created.body).toMatchObject({
      status: "queued",
      scheduled_at: Math.floor(skewed.getTime() / 1000),
    });
    expect((await awaitBatch(merchant, created.body.id)).status).toBe("completed");
    const refused = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amount: 1_000 }],
      scheduled_at: Math.floor((Date.now() - DAY) / 1000),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "scheduled_at_in_past",
      param: "scheduled_at",
    });
    const listed = await merchant.http.get("/v1/batches");
    expect(listed.body.data.map((batch: { id: string }) => batch.id)).toEqual([created.body.id]);
    expect(await balanceOf(merchant, source)).toBe(4_000);
  });

  it("refuses a scheduled_at more than 366 days ahead", async () => {
    const merchant = await newMerchant("batch-too-late");
    const source = await openWallet(merchant, "USD");
    const destination = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amount: 1 }],
      scheduled_at: new Date(Date.now() + 367 * DAY).toISOString(),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toEqual([
      {
        param: "scheduled_at",
        code: "parameter_invalid",
        message: "Invalid scheduled_at: must be at most 366 days ahead",
      },
    ]);
  });
});
