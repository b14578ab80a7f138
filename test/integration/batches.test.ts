import { describe, expect, it } from "vitest";
import { allItems, allPayments, awaitBatch, sumOfBalances } from "../support/batches.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";

const UNKNOWN_ACCOUNT = "acct_01M8A806SVF9J6VHHWWVKTEMJC";

async function batchesOf(merchant: TestMerchant) {
  const list = await merchant.http.get("/v1/batches?limit=100");
  expect(list.status).toBe(200);
  return list.body.data as { id: string }[];
}

describe("batch payments", () => {
  it("pays a 1,000-item batch, fails only the items that must fail, and balances add up exactly", async () => {
    const merchant = await newMerchant("batch-1000");
    const other = await newMerchant("batch-1000-other");
    const funded = 10_000_000;
    const source = await openWallet(merchant, "USD", funded);
    const walletA = await openWallet(merchant, "USD");
    const walletB = await openWallet(merchant, "USD");
    const bank = await openBankAccount(merchant, "000123456789");
    const declining = await openBankAccount(merchant, "000987650002");
    const euros = await openWallet(merchant, "EUR");
    const foreign = await openWallet(other, "USD");
    // Item i goes to destination i % 10: six kinds that pay, four that must fail.
    const plan: { destination: string; code: string | null }[] = [
      { destination: walletA, code: null },
      { destination: walletB, code: null },
      { destination: walletA, code: null },
      { destination: walletB, code: null },
      { destination: bank, code: null },
      { destination: bank, code: null },
      { destination: declining, code: "channel_declined" },
      { destination: euros, code: "currency_mismatch" },
      { destination: foreign, code: "account_not_found" },
      { destination: UNKNOWN_ACCOUNT, code: "account_not_found" },
    ];
    const items = Array.from({ length: 1000 }, (_, i) => ({
      id: `pay-${i}`,
      destination: plan[i % 10]!.destination,
      amount: 100 + i,
    }));
    const expectedTo = (destination: string) =>
      items
        .filter((item, i) => item.destination === destination && plan[i % 10]!.code === null)
        .reduce((sum, item) => sum + item.amount, 0);
    const total = items.reduce((sum, item) => sum + item.amount, 0);
    const succeeded = items
      .filter((_, i) => plan[i % 10]!.code === null)
      .reduce((sum, item) => sum + item.amount, 0);

    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items,
      description: "payroll",
      metadata: { run: "1" },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      object: "batch",
      livemode: false,
      status: "queued",
      source,
      currency: "USD",
      scheduled_at: null,
      description: "payroll",
      metadata: { run: "1" },
      counts: { total: 1000, pending: 1000, succeeded: 0, failed: 0, returned: 0 },
      amounts: { total, succeeded: 0, failed: 0, returned: 0 },
      failure_code: null,
      completed_at: null,
    });
    expect(created.body.id).toMatch(/^bat_/);

    const batch = await awaitBatch(merchant, created.body.id, 180_000);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 1000, pending: 0, succeeded: 600, failed: 400, returned: 0 },
      amounts: { total, succeeded, failed: total - succeeded, returned: 0 },
      failure_code: null,
    });
    expect(batch.completed_at).toBeGreaterThanOrEqual(batch.created_at);

    expect(await balanceOf(merchant, source)).toBe(funded - succeeded);
    expect(await balanceOf(merchant, walletA)).toBe(expectedTo(walletA));
    expect(await balanceOf(merchant, walletB)).toBe(expectedTo(walletB));
    expect(await balanceOf(merchant, bank)).toBe(expectedTo(bank));
    expect(await balanceOf(merchant, declining)).toBe(0);
    expect(await balanceOf(merchant, euros)).toBe(0);
    expect(await balanceOf(other, foreign)).toBe(0);
    // Conservation: nothing is reserved any more, so the merchant's accounts hold exactly the top-ups.
    expect(await sumOfBalances(merchant)).toBe(funded);

    const listed = await allItems(merchant, batch.id);
    expect(listed.map((item) => item.id)).toEqual(items.map((item) => item.id));
    listed.forEach((item, i) => {
      const code = plan[i % 10]!.code;
      expect(item).toMatchObject({
        object: "batch_item",
        livemode: false,
        batch: batch.id,
        destination: items[i]!.destination,
        amount: items[i]!.amount,
        status: code === null ? "succeeded" : "failed",
        failure_code: code,
      });
      expect(item.payment).toMatch(/^pay_/);
      expect(item.processed_at).toEqual(expect.any(Number));
    });
    expect(await allItems(merchant, batch.id, "failed")).toHaveLength(400);
    expect(await allItems(merchant, batch.id, "pending")).toHaveLength(0);

    // Every item is a payment like any other: readable, listed, from the batch's source.
    const payments = (await allPayments(merchant)).filter((payment) => payment.batch === batch.id);
    expect(payments).toHaveLength(1000);
    expect(new Set(payments.map((payment) => payment.id)).size).toBe(1000);
    expect(new Set(payments.map((payment) => payment.id))).toEqual(
      new Set(listed.map((item) => item.payment)),
    );
    const paid = await merchant.http.get(`/v1/payments/${listed[4]!.payment}`);
    expect(paid.body).toMatchObject({
      status: "succeeded",
      source,
      destination: bank,
      amount: 104,
      currency: "USD",
      channel: "bank",
      failure_code: null,
      batch: batch.id,
    });
    const declined = await merchant.http.get(`/v1/payments/${listed[6]!.payment}`);
    expect(declined.body).toMatchObject({
      status: "failed",
      failure_code: "channel_declined",
      batch: batch.id,
    });
  }, 240_000);

  it("refuses a batch to pay now that its source cannot cover: 402, nothing stored, and the same key works after a top-up", async () => {
    const merchant = await newMerchant("batch-unfunded");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const body = {
      source,
      currency: "USD",
      items: [
        { id: "a", destination, amount: 600 },
        { id: "b", destination, amount: 600 },
      ],
    };
    const headers = { "idempotency-key": "unfunded-payroll" };
    const refused = await merchant.http.post("/v1/batches", body, { headers });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toEqual({
      type: "payment_error",
      code: "insufficient_funds",
      param: "source",
      message:
        "The source wallet holds 1000 USD (minor units) and the batch totals 1200: top it up and send the batch again. Nothing was stored.",
      request_id: expect.stringMatching(/^req_/),
    });
    expect((await merchant.http.get("/v1/batches")).body.data).toEqual([]);
    expect((await allPayments(merchant)).length).toBe(0);
    expect(await balanceOf(merchant, source)).toBe(1_000);

    await merchant.http.post("/v1/topups", { account: source, amount: 200, currency: "USD" });
    const accepted = await merchant.http.post("/v1/batches", body, { headers });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("idempotent-replayed")).toBeNull();
    const batch = await awaitBatch(merchant, accepted.body.id);
    expect(batch).toMatchObject({ status: "completed", counts: { succeeded: 2, failed: 0 } });
    expect(await balanceOf(merchant, source)).toBe(0);
    expect(await balanceOf(merchant, destination)).toBe(1_200);
  });

  it("takes scheduled_at as Unix seconds or RFC 3339, answers Unix seconds, and refuses a time in the past", async () => {
    const merchant = await newMerchant("batch-scheduled-at");
    const source = await openWallet(merchant, "USD", 0);
    const destination = await openWallet(merchant, "USD");
    const at = Math.floor(Date.now() / 1000) + 30 * 86_400;
    const items = [{ id: "a", destination, amount: 100 }];
    // Scheduled batches are checked at release, so an empty wallet may schedule one.
    const asSeconds = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items,
      scheduled_at: at,
    });
    expect(asSeconds.status).toBe(202);
    expect(asSeconds.body).toMatchObject({ status: "scheduled", scheduled_at: at });
    const asText = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items,
      scheduled_at: new Date(at * 1000).toISOString(),
    });
    expect(asText.body).toMatchObject({ status: "scheduled", scheduled_at: at });
    const past = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items,
      scheduled_at: "2026-01-01T09:00:00Z",
    });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatchObject({ code: "scheduled_at_in_past", param: "scheduled_at" });
    const listed = await merchant.http.get("/v1/batches?limit=100");
    expect(listed.body.data.map((b: { id: string }) => b.id)).toEqual([asText.body.id, asSeconds.body.id]);
  });

  it("refuses a batch with malformed items and repeated ids, naming each by index, and stores nothing", async () => {
    const merchant = await newMerchant("batch-invalid");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const answer = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "a", destination, amount: 1 },
        { id: "b", destination, amount: 0 },
        { id: "a", destination, amount: 1 },
        { id: "c", destination: "nope", amount: 1.5 },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid",
      param: "items[1].amount",
    });
    expect(answer.body.error.errors).toEqual([
      {
        param: "items[1].amount",
        code: "parameter_invalid",
        message: "Invalid items[1].amount: must be greater than 0",
      },
      {
        param: "items[2].id",
        code: "duplicate_item_id",
        message: "Item id 'a' is already used by items[0].",
      },
      {
        param: "items[3].destination",
        code: "parameter_invalid",
        message: "Invalid items[3].destination: must be an account id (acct_…)",
      },
      {
        param: "items[3].amount",
        code: "parameter_invalid",
        message:
          "Invalid items[3].amount: amounts are integers in minor units of the currency, sent as JSON numbers: send 150 for 1.5 USD",
      },
    ]);
    expect(await batchesOf(merchant)).toEqual([]);
    expect(await balanceOf(merchant, source)).toBe(1_000);
  });

  it("lists at most 100 item errors and counts all of them", async () => {
    const merchant = await newMerchant("batch-many-errors");
    const source = await openWallet(merchant, "USD");
    const destination = await openWallet(merchant, "USD");
    const items = Array.from({ length: 150 }, (_, i) => ({ id: `i${i}`, destination, amount: -i }));
    const answer = await merchant.http.post("/v1/batches", { source, currency: "USD", items });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toHaveLength(100);
    expect(answer.body.error.errors[0].param).toBe("items[0].amount");
    expect(answer.body.error.message).toMatch(/^150 invalid parameters/);
    expect(await batchesOf(merchant)).toEqual([]);
  });

  it("answers a repeated Idempotency-Key with the first batch and reserves its total once", async () => {
    const merchant = await newMerchant("batch-idempotent");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const body = { source, currency: "USD", items: [{ id: "only", destination, amount: 300 }] };
    const headers = { "idempotency-key": "batch-key-1" };
    const first = await merchant.http.post("/v1/batches", body, { headers });
    const second = await merchant.http.post("/v1/batches", body, { headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.id).toBe(first.body.id);
    const reused = await merchant.http.post("/v1/batches", { ...body, description: "other" }, { headers });
    expect(reused.status).toBe(422);
    await awaitBatch(merchant, first.body.id);
    expect((await batchesOf(merchant)).map((batch) => batch.id)).toEqual([first.body.id]);
    expect(await balanceOf(merchant, source)).toBe(700);
    expect(await balanceOf(merchant, destination)).toBe(300);
  });

  it("lists batches newest first and pages items by status", async () => {
    const merchant = await newMerchant("batch-lists");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const first = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: Array.from({ length: 30 }, (_, i) => ({
        id: `x${i}`,
        destination: i % 3 === 0 ? UNKNOWN_ACCOUNT : destination,
        amount: 10,
      })),
    });
    const second = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "y", destination, amount: 1 }],
    });
    await awaitBatch(merchant, first.body.id);
    await awaitBatch(merchant, second.body.id);
    const list = await merchant.http.get("/v1/batches?limit=1");
    expect(list.body).toMatchObject({ object: "list", url: "/v1/batches", has_more: true });
    expect(list.body.data.map((batch: { id: string }) => batch.id)).toEqual([second.body.id]);
    const next = await merchant.http.get(`/v1/batches?limit=1&starting_after=${second.body.id}`);
    expect(next.body.data.map((batch: { id: string }) => batch.id)).toEqual([first.body.id]);
    expect(next.body.has_more).toBe(false);

    const page = await merchant.http.get(`/v1/batches/${first.body.id}/items?status=failed&limit=3`);
    expect(page.body).toMatchObject({
      object: "list",
      url: `/v1/batches/${first.body.id}/items`,
      has_more: true,
    });
    expect(page.body.data.map((item: { id: string }) => item.id)).toEqual(["x0", "x3", "x6"]);
    const rest = await merchant.http.get(
      `/v1/batches/${first.body.id}/items?status=failed&limit=100&starting_after=x6`,
    );
    expect(rest.body.data.map((item: { id: string }) => item.id)).toEqual([
      "x9",
      "x12",
      "x15",
      "x18",
      "x21",
      "x24",
      "x27",
    ]);
    expect(rest.body.has_more).toBe(false);
    const bad = await merchant.http.get(`/v1/batches/${first.body.id}/items?status=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("status");
  });

  it("keeps every batch route to the merchant that owns the batch", async () => {
    const owner = await newMerchant("batch-owner");
    const stranger = await newMerchant("batch-stranger");
    const source = await openWallet(owner, "USD", 1_000);
    const destination = await openWallet(owner, "USD");
    const created = await owner.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination, amount: 5 }],
      scheduled_at: new Date(Date.now() + 200 * 24 * 3600 * 1000).toISOString(),
    });
    expect(created.status).toBe(202);
    const id = created.body.id;
    for (const answer of [
      await stranger.http.get(`/v1/batches/${id}`),
      await stranger.http.get(`/v1/batches/${id}/items`),
      await stranger.http.post(`/v1/batches/${id}/cancel`),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({
        code: "resource_missing",
        message: `No such batch: '${id}'`,
      });
    }
    expect(await batchesOf(stranger)).toEqual([]);

    // Another merchant's wallet as source is as unknown as a missing one, and nothing is stored.
    const strangerDestination = await openWallet(stranger, "USD");
    const borrowed = await stranger.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [{ id: "a", destination: strangerDestination, amount: 5 }],
    });
    expect(borrowed.status).toBe(404);
    expect(borrowed.body.error).toMatchObject({ code: "resource_missing", param: "source" });
    expect(await batchesOf(stranger)).toEqual([]);
    expect(await balanceOf(owner, source)).toBe(1_000);

    const canceled = await owner.http.post(`/v1/batches/${id}/cancel`);
    expect(canceled.status).toBe(200);
  });

  it("pays a 10,000-item batch from one source wallet to one destination", async () => {
    const merchant = await newMerchant("batch-10000");
    const source = await openWallet(merchant, "USD", 1_000_000);
    const destination = await openWallet(merchant, "USD");
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      id: `m-${i}`,
      destination,
      amount: 1 + (i % 7),
    }));
    const total = items.reduce((sum, item) => sum + item.amount, 0);
    const created = await merchant.http.post("/v1/batches", { source, currency: "USD", items });
    expect(created.status).toBe(202);
    const batch = await awaitBatch(merchant, created.body.id, 280_000);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 10_000, pending: 0, succeeded: 10_000, failed: 0, returned: 0 },
      amounts: { total, succeeded: total, failed: 0, returned: 0 },
    });
    expect(await balanceOf(merchant, source)).toBe(1_000_000 - total);
    expect(await balanceOf(merchant, destination)).toBe(total);
    const tooMany = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [...items, { id: "one-more", destination, amount: 1 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.errors).toEqual([
      { param: "items", code: "parameter_invalid", message: "Invalid items: must hold at most 10000 items" },
    ]);
  }, 300_000);
});
