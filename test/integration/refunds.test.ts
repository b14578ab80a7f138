import { describe, expect, it } from "vitest";
import { allItems, awaitBatch } from "../support/batches.js";
import { awaitEvents, eventAbout } from "../support/events.js";
import {
  balanceOf,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";

async function pay(merchant: TestMerchant, source: string, destination: string, amount: number) {
  const answer = await merchant.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
  expect(answer.status).toBe(201);
  return answer.body as { id: string };
}

async function refundsOf(merchant: TestMerchant, paymentId: string) {
  const list = await merchant.http.get(`/v1/refunds?payment=${paymentId}&limit=100`);
  expect(list.status).toBe(200);
  return list.body.data as { id: string; amount: number; status: string }[];
}

describe("refunds", () => {
  it("refunds a ledger payment in full: the money goes back and the payment shows amount_refunded", async () => {
    const merchant = await newMerchant("refund-full");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const payment = await pay(merchant, source, destination, 2_500);

    const refund = await merchant.http.post("/v1/refunds", {
      payment: payment.id,
      reason: "requested_by_customer",
      metadata: { ticket: "T-1" },
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toEqual({
      id: expect.stringMatching(/^re_/),
      object: "refund",
      livemode: false,
      payment: payment.id,
      amount: 2_500,
      currency: "USD",
      status: "succeeded",
      failure_code: null,
      reason: "requested_by_customer",
      metadata: { ticket: "T-1" },
      created_at: expect.any(Number),
    });
    expect(await balanceOf(merchant, source)).toBe(10_000);
    expect(await balanceOf(merchant, destination)).toBe(0);
    const read = await merchant.http.get(`/v1/payments/${payment.id}`);
    expect(read.body.status).toBe("succeeded");
    expect(read.body.amount_refunded).toBe(2_500);
    expect((await merchant.http.get(`/v1/refunds/${refund.body.id}`)).body).toEqual(refund.body);
    expect((await refundsOf(merchant, payment.id)).map((r) => r.id)).toEqual([refund.body.id]);
    const all = await merchant.http.get("/v1/refunds");
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual([refund.body.id]);

    const events = await awaitEvents(merchant, [["refund.succeeded", refund.body.id]]);
    expect(eventAbout(events, "refund.succeeded", refund.body.id).data.object).toEqual(refund.body);

    // Nothing is left to refund: 400, nothing written.
    const again = await merchant.http.post("/v1/refunds", { payment: payment.id, amount: 1 });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: "refund_exceeds_payment", param: "amount" });
    expect(await refundsOf(merchant, payment.id)).toHaveLength(1);
    expect(await balanceOf(merchant, source)).toBe(10_000);
  });

  it("refunds in parts up to the amount, refuses more, and lists a payment's refunds newest first", async () => {
    const merchant = await newMerchant("refund-partial");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const payment = await pay(merchant, source, destination, 1_000);
    const first = await merchant.http.post("/v1/refunds", { payment: payment.id, amount: 300 });
    const second = await merchant.http.post("/v1/refunds", { payment: payment.id, amount: 600 });
    expect([first.status, second.status]).toEqual([201, 201]);
    const tooMuch = await merchant.http.post("/v1/refunds", { payment: payment.id, amount: 101 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.message).toBe("The payment has 100 left to refund; a refund cannot exceed it.");
    // Without an amount, the rest.
    const rest = await merchant.http.post("/v1/refunds", { payment: payment.id });
    expect(rest.status).toBe(201);
    expect(rest.body.amount).toBe(100);
    expect((await merchant.http.get(`/v1/payments/${payment.id}`)).body.amount_refunded).toBe(1_000);
    expect(await balanceOf(merchant, source)).toBe(1_000);
    expect(await balanceOf(merchant, destination)).toBe(0);
    const listed = await refundsOf(merchant, payment.id);
    expect(listed.map((r) => r.amount)).toEqual([100, 600, 300]);
    const page = await merchant.http.get(
      `/v1/refunds?payment=${payment.id}&limit=1&starting_after=${listed[0]?.id}`,
    );
    expect(page.body.data.map((r: { amount: number }) => r.amount)).toEqual([600]);
    expect(page.body.has_more).toBe(true);
  });

  it("20 concurrent partial refunds of one payment never refund more than its amount", async () => {
    const merchant = await newMerchant("refund-race");
    const source = await openWallet(merchant, "USD", 1_500);
    const destination = await openWallet(merchant, "USD");
    const payment = await pay(merchant, source, destination, 1_500);
    // 20 refunds of 100 want 2,000 of a 1,500 payment: exactly 15 can succeed.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        merchant.http.post(
          "/v1/refunds",
          { payment: payment.id, amount: 100 },
          { headers: { "idempotency-key": `race-${i}` } },
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(15);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(
      answers.filter((a) => a.status === 400).every((a) => a.body.error.code === "refund_exceeds_payment"),
    ).toBe(true);
    expect((await merchant.http.get(`/v1/payments/${payment.id}`)).body.amount_refunded).toBe(1_500);
    expect(await balanceOf(merchant, source)).toBe(1_500);
    expect(await balanceOf(merchant, destination)).toBe(0);
    const listed = await refundsOf(merchant, payment.id);
    expect(listed).toHaveLength(15);
    expect(listed.every((r) => r.status === "succeeded" && r.amount === 100)).toBe(true);
  });

  it("records a refund the destination can no longer fund as failed with insufficient_funds (402)", async () => {
    const merchant = await newMerchant("refund-nsf");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const elsewhere = await openWallet(merchant, "USD");
    const payment = await pay(merchant, source, destination, 800);
    await pay(merchant, destination, elsewhere, 500); // the destination spends most of it

    const refund = await merchant.http.post(
      "/v1/refunds",
      { payment: payment.id, amount: 400 },
      { headers: { "idempotency-key": "nsf-1" } },
    );
    expect(refund.status).toBe(402);
    expect(refund.body.error).toMatchObject({ type: "payment_error", code: "insufficient_funds" });
    expect(refund.body.error.refund).toMatchObject({
      object: "refund",
      livemode: false,
      payment: payment.id,
      amount: 400,
      status: "failed",
      failure_code: "insufficient_funds",
    });
    const id = refund.body.error.refund.id as string;
    eventAbout(await awaitEvents(merchant, [["refund.failed", id]]), "refund.failed", id);
    expect((await merchant.http.get(`/v1/refunds/${id}`)).body.status).toBe("failed");
    expect((await merchant.http.get(`/v1/payments/${payment.id}`)).body.amount_refunded).toBe(0);
    expect(await balanceOf(merchant, source)).toBe(200);
    expect(await balanceOf(merchant, destination)).toBe(300);
    // The replay answers the same 402 and records nothing more.
    const replay = await merchant.http.post(
      "/v1/refunds",
      { payment: payment.id, amount: 400 },
      { headers: { "idempotency-key": "nsf-1" } },
    );
    expect(replay.status).toBe(402);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.error.refund.id).toBe(id);
    expect(await refundsOf(merchant, payment.id)).toHaveLength(1);
    // What the destination still holds can be refunded.
    const partial = await merchant.http.post("/v1/refunds", { payment: payment.id, amount: 300 });
    expect(partial.status).toBe(201);
    expect(await balanceOf(merchant, destination)).toBe(0);
  });

  it("replays a refund for a repeated Idempotency-Key and moves the money once", async () => {
    const merchant = await newMerchant("refund-idem");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const payment = await pay(merchant, source, destination, 1_000);
    const body = { payment: payment.id, amount: 250 };
    const first = await merchant.http.post("/v1/refunds", body, { headers: { "idempotency-key": "r-1" } });
    const second = await merchant.http.post("/v1/refunds", body, { headers: { "idempotency-key": "r-1" } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await balanceOf(merchant, source)).toBe(250);
    const reused = await merchant.http.post(
      "/v1/refunds",
      { ...body, amount: 251 },
      { headers: { "idempotency-key": "r-1" } },
    );
    expect(reused.status).toBe(422);
  });

  it("refuses what cannot be refunded: bank payouts and failed payments (409), unknown or foreign payments (404), bad input (400)", async () => {
    const merchant = await newMerchant("refund-refused");
    const other = await newMerchant("refund-refused-other");
    const source = await openWallet(merchant, "USD", 1_000);
    const bank = await openBankAccount(merchant, "000123450001");
    const payout = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 100,
      currency: "USD",
    });
    expect(payout.status).toBe(201);
    const bankRefund = await merchant.http.post("/v1/refunds", { payment: payout.body.id });
    expect(bankRefund.status).toBe(409);
    expect(bankRefund.body.error).toMatchObject({ code: "payment_not_refundable", param: "payment" });

    const wallet = await openWallet(merchant, "USD");
    const declined = await merchant.http.post("/v1/payments", {
      source,
      destination: wallet,
      amount: 5_000,
      currency: "USD",
    });
    expect(declined.status).toBe(402);
    const failedRefund = await merchant.http.post("/v1/refunds", { payment: declined.body.error.payment.id });
    expect(failedRefund.status).toBe(409);
    expect(failedRefund.body.error.code).toBe("payment_not_refundable");

    const paid = await pay(merchant, source, wallet, 100);
    const foreign = await other.http.post("/v1/refunds", { payment: paid.id });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: "resource_missing", param: "payment" });
    expect((await other.http.get(`/v1/refunds?payment=${paid.id}`)).body.data).toEqual([]);

    for (const bad of [
      { payment: paid.id, amount: 0 },
      { payment: paid.id, amount: 1.5 },
      { payment: "acct_01M8A806SVF9J6VHHWWVKTEMJC" },
      { payment: paid.id, reason: "because" },
      { payment: paid.id, extra: 1 },
      {},
    ]) {
      const answer = await merchant.http.post("/v1/refunds", bad);
      expect(answer.status).toBe(400);
    }
    expect(await refundsOf(merchant, paid.id)).toEqual([]);
    expect(await balanceOf(merchant, wallet)).toBe(100);
    expect((await merchant.http.get("/v1/refunds/re_01M8A806SVF9J6VHHWWVKTEMJC")).status).toBe(404);
  });

  it("refunds a batch item like any payment", async () => {
    const merchant = await newMerchant("refund-batch");
    const source = await openWallet(merchant, "USD", 10_000);
    const a = await openWallet(merchant, "USD");
    const b = await openWallet(merchant, "USD");
    const created = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      items: [
        { id: "emp-1", destination: a, amount: 3_000 },
        { id: "emp-2", destination: b, amount: 4_000 },
      ],
    });
    expect(created.status).toBe(202);
    expect((await awaitBatch(merchant, created.body.id)).status).toBe("completed");
    const [item] = await allItems(merchant, created.body.id);
    expect(item?.status).toBe("succeeded");
    const refund = await merchant.http.post("/v1/refunds", { payment: item?.payment, amount: 1_000 });
    expect(refund.status).toBe(201);
    expect(await balanceOf(merchant, source)).toBe(4_000);
    expect(await balanceOf(merchant, a)).toBe(2_000);
    const payment = await merchant.http.get(`/v1/payments/${item?.payment}`);
    expect(payment.body).toMatchObject({ batch: created.body.id, amount_refunded: 1_000 });
  });
});
