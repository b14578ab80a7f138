import { describe, expect, it } from "vitest";
import { runScheduler } from "../support/batches.js";
import { awaitEvents } from "../support/events.js";
import { newMerchant, openBankAccount, openWallet, type TestMerchant } from "../support/fixtures.js";

async function account(merchant: TestMerchant, id: string) {
  const answer = await merchant.http.get(`/v1/accounts/${id}`);
  return { balance: answer.body.balance as number, available: answer.body.available as number };
}

async function hold(merchant: TestMerchant, body: Record<string, unknown>) {
  const answer = await merchant.http.post("/v1/holds", { currency: "USD", ...body });
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { id: string; expires_at: number; created_at: number };
}

describe("holds", () => {
  it("holds an amount: the balance stays, the available balance shrinks, and payments cannot spend it", async () => {
    const merchant = await newMerchant("holds-place");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const created = await merchant.http.post("/v1/holds", {
      source,
      destination,
      amount: 7_000,
      currency: "USD",
      metadata: { order: "o-1" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^hold_/),
      object: "hold",
      livemode: false,
      status: "held",
      amount: 7_000,
      amount_captured: 0,
      currency: "USD",
      source,
      destination,
      payment: null,
      description: null,
      metadata: { order: "o-1" },
      expires_at: created.body.created_at + 7 * 86_400,
      created_at: expect.any(Number),
    });
    expect(await account(merchant, source)).toEqual({ balance: 10_000, available: 3_000 });
    const spend = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 3_001,
      currency: "USD",
    });
    expect(spend.status).toBe(402);
    expect(spend.body.error.code).toBe("insufficient_funds");
    const tooBig = await merchant.http.post("/v1/holds", {
      source,
      destination,
      amount: 3_001,
      currency: "USD",
    });
    expect(tooBig.status).toBe(402);
    expect(tooBig.body.error.code).toBe("insufficient_funds");
    expect((await merchant.http.get(`/v1/holds/${created.body.id}`)).body).toEqual(created.body);
    expect((await merchant.http.get("/v1/holds")).body.data.map((h: { id: string }) => h.id)).toEqual([
      created.body.id,
    ]);
  });

  it("captures part of a hold into a payment and releases the rest; a captured hold accepts nothing else", async () => {
    const merchant = await newMerchant("holds-capture");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    const held = await hold(merchant, { source, destination, amount: 6_000 });
    const tooMuch = await merchant.http.post(`/v1/holds/${held.id}/capture`, { amount: 6_001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({ code: "capture_exceeds_hold", param: "amount" });

    const captured = await merchant.http.post(
      `/v1/holds/${held.id}/capture`,
      { amount: 4_500 },
      { headers: { "idempotency-key": "cap-1" } },
    );
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: "captured", amount: 6_000, amount_captured: 4_500 });
    const payment = await merchant.http.get(`/v1/payments/${captured.body.payment}`);
    expect(payment.body).toMatchObject({
      status: "succeeded",
      amount: 4_500,
      source,
      destination,
      channel: "ledger",
      metadata: { hold: held.id },
    });
    expect(await account(merchant, source)).toEqual({ balance: 5_500, available: 5_500 });
    expect(await account(merchant, destination)).toEqual({ balance: 4_500, available: 4_500 });

    const replay = await merchant.http.post(
      `/v1/holds/${held.id}/capture`,
      { amount: 4_500 },
      { headers: { "idempotency-key": "cap-1" } },
    );
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(captured.body);
    for (const path of ["capture", "void"]) {
      const again = await merchant.http.post(`/v1/holds/${held.id}/${path}`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: "hold_not_active", hold: { status: "captured" } });
    }
    expect(await account(merchant, source)).toEqual({ balance: 5_500, available: 5_500 });
    await awaitEvents(merchant, [
      ["hold.created", held.id],
      ["hold.captured", held.id],
      ["payment.succeeded", captured.body.payment],
    ]);
  });

  it("voids a hold: the whole amount is available again, once", async () => {
    const merchant = await newMerchant("holds-void");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const held = await hold(merchant, { source, destination, amount: 1_000 });
    expect(await account(merchant, source)).toEqual({ balance: 1_000, available: 0 });
    const voided = await merchant.http.post(`/v1/holds/${held.id}/void`, undefined, {
      headers: { "idempotency-key": "void-1" },
    });
    expect(voided.status).toBe(200);
    expect(voided.body.status).toBe("voided");
    const replay = await merchant.http.post(`/v1/holds/${held.id}/void`, undefined, {
      headers: { "idempotency-key": "void-1" },
    });
    expect([replay.status, replay.headers.get("idempotent-replayed")]).toEqual([200, "true"]);
    expect(replay.body).toEqual(voided.body);
    expect(await account(merchant, source)).toEqual({ balance: 1_000, available: 1_000 });
    const again = await merchant.http.post(`/v1/holds/${held.id}/void`);
    expect(again.status).toBe(409);
    expect(await account(merchant, source)).toEqual({ balance: 1_000, available: 1_000 });
    const capture = await merchant.http.post(`/v1/holds/${held.id}/capture`);
    expect(capture.status).toBe(409);
    expect(capture.body.error.hold.status).toBe("voided");
  });

  it("expires a hold past expires_at through the scheduler, and refuses capture after it", async () => {
    const merchant = await newMerchant("holds-expiry");
    const source = await openWallet(merchant, "USD", 5_000);
    const destination = await openWallet(merchant, "USD");
    const expiresAt = new Date(Date.now() + 3_600_000);
    const held = await hold(merchant, {
      source,
      destination,
      amount: 2_000,
      expires_at: expiresAt.toISOString(),
    });
    expect(held.expires_at).toBe(Math.floor(expiresAt.getTime() / 1000));
    await runScheduler(new Date(expiresAt.getTime() - 60_000));
    expect((await merchant.http.get(`/v1/holds/${held.id}`)).body.status).toBe("held");
    await runScheduler(new Date(expiresAt.getTime() + 1_000));
    expect((await merchant.http.get(`/v1/holds/${held.id}`)).body.status).toBe("expired");
    expect(await account(merchant, source)).toEqual({ balance: 5_000, available: 5_000 });
    await runScheduler(new Date(expiresAt.getTime() + 120_000));
    expect(await account(merchant, source)).toEqual({ balance: 5_000, available: 5_000 });
    const capture = await merchant.http.post(`/v1/holds/${held.id}/capture`);
    expect(capture.status).toBe(409);
    expect(capture.body.error.hold.status).toBe("expired");
  });

  it("capture, void and expiry racing each other end with exactly one winner, and money moves once", async () => {
    const merchant = await newMerchant("holds-race");
    const source = await openWallet(merchant, "USD", 10_000);
    const destination = await openWallet(merchant, "USD");
    for (let round = 0; round < 4; round++) {
      const expiresAt = new Date(Date.now() + 2 * 3_600_000);
      const held = await hold(merchant, {
        source,
        destination,
        amount: 1_000,
        expires_at: expiresAt.toISOString(),
      });
      const [capture, voided] = await Promise.all([
        merchant.http.post(`/v1/holds/${held.id}/capture`),
        merchant.http.post(`/v1/holds/${held.id}/void`),
        merchant.http.post(`/v1/holds/${held.id}/capture`, { amount: 500 }),
        runScheduler(new Date(expiresAt.getTime() + 1_000)),
      ]);
      const final = (await merchant.http.get(`/v1/holds/${held.id}`)).body;
      expect(["captured", "voided", "expired"]).toContain(final.status);
      const wins = [capture?.status, voided?.status].filter((s) => s === 200).length;
      expect(wins).toBeLessThanOrEqual(1);
      expect([capture?.status, voided?.status].every((s) => s === 200 || s === 409)).toBe(true);
    }
    // Conservation: what left the source is exactly what the captures paid; nothing is still held.
    const payments = (await merchant.http.get("/v1/payments?limit=100")).body.data as { amount: number }[];
    const paid = payments.reduce((sum, p) => sum + p.amount, 0);
    expect(await account(merchant, source)).toEqual({ balance: 10_000 - paid, available: 10_000 - paid });
    expect(await account(merchant, destination)).toEqual({ balance: paid, available: paid });
  });

  it("refuses bad holds with nothing written", async () => {
    const merchant = await newMerchant("holds-bad");
    const source = await openWallet(merchant, "USD", 5_000);
    const destination = await openWallet(merchant, "USD");
    const bank = await openBankAccount(merchant, "000123450001");
    const inAMonth = new Date(Date.now() + 31 * 86_400_000).toISOString();
    for (const [body, status, code] of [
      [{ source, destination: bank, amount: 10 }, 400, "destination_not_wallet"],
      [{ source, destination: source, amount: 10 }, 400, "same_account"],
      [{ source, destination, amount: 10, expires_at: inAMonth }, 400, "parameter_invalid"],
      [{ source, destination, amount: 10, expires_at: "2020-01-01T00:00:00Z" }, 400, "parameter_invalid"],
      [{ source, destination, amount: 0 }, 400, "parameter_invalid"],
      [{ source: "acct_01M8A806SVF9J6VHHWWVKTEMJC", destination, amount: 10 }, 404, "resource_missing"],
    ] as const) {
      const answer = await merchant.http.post("/v1/holds", { currency: "USD", ...body });
      expect([answer.status, answer.body.error.code]).toEqual([status, code]);
    }
    expect((await merchant.http.get("/v1/holds")).body.data).toEqual([]);
    expect(await account(merchant, source)).toEqual({ balance: 5_000, available: 5_000 });
    expect((await merchant.http.post("/v1/holds/hold_01M8A806SVF9J6VHHWWVKTEMJC/void")).status).toBe(404);
  });
});
