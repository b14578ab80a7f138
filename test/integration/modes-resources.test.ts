import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerOwner } from "../../lib/domain/modes.js";
import { newTopup } from "../../lib/domain/topups.js";
import { recordInboundCredit } from "../../lib/ledger/topups.js";
import { poll, runScheduler } from "../support/batches.js";
import { allEvents, awaitEvents, eventAbout } from "../support/events.js";
import {
  balanceOf,
  ledgerStore,
  newMerchant,
  openBankAccount,
  openWallet,
  type TestMerchant,
} from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";
import { type Receiver, startReceiver } from "../support/webhook-receiver.js";

// Test and live modes on the resources added after modes were first built: events, webhook
// endpoints and their deliveries, refunds, holds, bank returns, list filters and the error hints.
// Each is owned by the merchant in the key's mode: `livemode` says which, and the other mode's key
// gets the 404 an unknown id gets.

let merchant: TestMerchant;
/** The same merchant seen through its live key, shaped for the helpers that take a merchant. */
let live: TestMerchant;
let liveWallet: string;
let receiver: Receiver;

async function creditLive(wallet: string, amount: number): Promise<void> {
  const topup = newTopup(
    ledgerOwner(merchant.merchantId, "live"),
    { account: wallet, amount, currency: "USD" },
    Date.now(),
  );
  await recordInboundCredit(ledgerStore(), topup, `modes-resources-${wallet}-${Date.now()}`);
}

async function fakeRail(path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const answer = await fetch(`${stackContext().fakeRailUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: answer.status, body: await answer.json() };
}

beforeAll(async () => {
  merchant = await newMerchant("modes-resources");
  live = { ...merchant, http: merchant.live };
  liveWallet = (await merchant.live.post("/v1/accounts", { currency: "USD", name: "live source" })).body.id;
  await creditLive(liveWallet, 100_000);
  receiver = await startReceiver();
});

afterAll(() => receiver?.close());

const liveBalance = async (id: string) => (await merchant.live.get(`/v1/accounts/${id}`)).body.balance;

describe("events and webhooks by mode", () => {
  it("writes live events with livemode true, lists each mode's events to its own key only, and 404s across", async () => {
    const liveDestination = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    const livePayment = await merchant.live.post("/v1/payments", {
      source: liveWallet,
      destination: liveDestination,
      amount: 700,
      currency: "USD",
    });
    expect(livePayment.status).toBe(201);
    const testSource = await openWallet(merchant, "USD", 5_000);
    const testDestination = await openWallet(merchant, "USD");
    const testPayment = await merchant.http.post("/v1/payments", {
      source: testSource,
      destination: testDestination,
      amount: 300,
      currency: "USD",
    });
    expect(testPayment.status).toBe(201);

    const liveEvents = await awaitEvents(live, [["payment.succeeded", livePayment.body.id]]);
    const liveEvent = eventAbout(liveEvents, "payment.succeeded", livePayment.body.id);
    expect(liveEvent).toMatchObject({ object: "event", livemode: true });
    expect(liveEvent.data.object).toMatchObject({ id: livePayment.body.id, livemode: true, amount: 700 });
    expect(liveEvents.every((event) => event.livemode)).toBe(true);
    expect(liveEvents.some((event) => event.data.object.id === testPayment.body.id)).toBe(false);

    const testEvents = await awaitEvents(merchant, [["payment.succeeded", testPayment.body.id]]);
    expect(eventAbout(testEvents, "payment.succeeded", testPayment.body.id).livemode).toBe(false);
    expect(testEvents.every((event) => !event.livemode)).toBe(true);
    expect(testEvents.some((event) => event.id === liveEvent.id)).toBe(false);

    expect((await merchant.live.get(`/v1/events/${liveEvent.id}`)).body).toEqual(liveEvent);
    // The events about one object are read from a partition of the owner in its mode.
    const aboutLive = await merchant.live.get(`/v1/events?object=${livePayment.body.id}`);
    expect(aboutLive.body.data.map((event: any) => event.id)).toContain(liveEvent.id);
    expect((await merchant.http.get(`/v1/events?object=${livePayment.body.id}`)).body.data).toEqual([]);
    const crossRead = await merchant.http.get(`/v1/events/${liveEvent.id}`);
    expect(crossRead.status).toBe(404);
    expect(crossRead.body.error.code).toBe("resource_missing");
    expect((await merchant.http.post(`/v1/events/${liveEvent.id}/redeliver`, {})).status).toBe(404);
  });

  it("takes http to localhost in test mode only: a live endpoint must be https on a public host", async () => {
    const local = receiver.url("/ok");
    const refused = await merchant.live.post("/v1/webhook_endpoints", { url: local, events: ["*"] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "url_not_https", param: "url" });
    const loopback = await merchant.live.post("/v1/webhook_endpoints", {
      url: "https://localhost/hooks",
      events: ["*"],
    });
    expect(loopback.status).toBe(400);
    expect(loopback.body.error).toMatchObject({ code: "url_not_public", param: "url" });
    expect((await merchant.live.get("/v1/webhook_endpoints")).body.data).toEqual([]);

    // Subscribed to an event type nothing here causes: no delivery is ever attempted to it.
    const liveEndpoint = await merchant.live.post("/v1/webhook_endpoints", {
      url: "https://hooks.example.com/payrail",
      events: ["batch.canceled"],
    });
    expect(liveEndpoint.status).toBe(201);
    expect(liveEndpoint.body).toMatchObject({ object: "webhook_endpoint", livemode: true });
    const testEndpoint = await merchant.http.post("/v1/webhook_endpoints", { url: local, events: ["*"] });
    expect(testEndpoint.status).toBe(201);
    expect(testEndpoint.body).toMatchObject({ livemode: false, url: local });

    expect((await merchant.http.get(`/v1/webhook_endpoints/${liveEndpoint.body.id}`)).status).toBe(404);
    expect((await merchant.live.get(`/v1/webhook_endpoints/${testEndpoint.body.id}`)).status).toBe(404);
    expect(
      (await merchant.http.post(`/v1/webhook_endpoints/${liveEndpoint.body.id}/disable`, {})).status,
    ).toBe(404);
    expect((await merchant.live.call("DELETE", `/v1/webhook_endpoints/${testEndpoint.body.id}`)).status).toBe(
      404,
    );
    const liveList = await merchant.live.get("/v1/webhook_endpoints");
    expect(liveList.body.data.map((endpoint: any) => endpoint.id)).toEqual([liveEndpoint.body.id]);
    const testList = await merchant.http.get("/v1/webhook_endpoints");
    expect(testList.body.data.map((endpoint: any) => endpoint.id)).toEqual([testEndpoint.body.id]);

    // The test endpoint hears test events only; a live payment made meanwhile never reaches it.
    const liveDestination = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    const livePayment = await merchant.live.post("/v1/payments", {
      source: liveWallet,
      destination: liveDestination,
      amount: 100,
      currency: "USD",
    });
    const testSource = await openWallet(merchant, "USD", 1_000);
    const testPayment = await merchant.http.post("/v1/payments", {
      source: testSource,
      destination: await openWallet(merchant, "USD"),
      amount: 100,
      currency: "USD",
    });
    await awaitEvents(live, [["payment.succeeded", livePayment.body.id]]);
    const delivered = await poll(
      async () => receiver.to("/ok"),
      (deliveries) => deliveries.some((d) => d.event.data.object.id === testPayment.body.id),
      60_000,
    );
    expect(delivered.every((d) => (d.event as unknown as { livemode: boolean }).livemode === false)).toBe(
      true,
    );
    expect(delivered.some((d) => d.event.data.object.id === livePayment.body.id)).toBe(false);
    const log = await poll(
      async () => (await merchant.http.get(`/v1/webhook_endpoints/${testEndpoint.body.id}/deliveries`)).body,
      (page) => page.data.length > 0,
      30_000,
    );
    expect(log.data[0]).toMatchObject({ object: "webhook_delivery", livemode: false, status: "succeeded" });

    await merchant.live.call("DELETE", `/v1/webhook_endpoints/${liveEndpoint.body.id}`);
    await merchant.http.call("DELETE", `/v1/webhook_endpoints/${testEndpoint.body.id}`);
  }, 120_000);
});

describe("refunds and holds by mode", () => {
  it("refunds a live payment in live mode (livemode true) and answers the test key 404 for it", async () => {
    const destination = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    const payment = await merchant.live.post("/v1/payments", {
      source: liveWallet,
      destination,
      amount: 2_000,
      currency: "USD",
    });
    expect(payment.status).toBe(201);
    const crossRefund = await merchant.http.post("/v1/refunds", { payment: payment.body.id, amount: 500 });
    expect(crossRefund.status).toBe(404);
    expect(crossRefund.body.error.code).toBe("resource_missing");
    expect(await liveBalance(destination)).toBe(2_000);

    const refund = await merchant.live.post("/v1/refunds", { payment: payment.body.id, amount: 500 });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ object: "refund", livemode: true, amount: 500, status: "succeeded" });
    expect(await liveBalance(destination)).toBe(1_500);
    expect((await merchant.http.get(`/v1/refunds/${refund.body.id}`)).status).toBe(404);
    expect((await merchant.live.get(`/v1/refunds/${refund.body.id}`)).body).toEqual(refund.body);
    const events = await awaitEvents(live, [["refund.succeeded", refund.body.id]]);
    expect(eventAbout(events, "refund.succeeded", refund.body.id).livemode).toBe(true);
  });

  it("holds live money in live mode: livemode true, invisible and untouchable with the test key", async () => {
    const destination = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    const before = (await merchant.live.get(`/v1/accounts/${liveWallet}`)).body;
    const hold = await merchant.live.post("/v1/holds", {
      source: liveWallet,
      destination,
      amount: 3_000,
      currency: "USD",
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ object: "hold", livemode: true, status: "held", amount: 3_000 });
    const held = (await merchant.live.get(`/v1/accounts/${liveWallet}`)).body;
    expect(held.available).toBe(before.available - 3_000);
    expect(held.balance).toBe(before.balance);

    expect((await merchant.http.get(`/v1/holds/${hold.body.id}`)).status).toBe(404);
    expect((await merchant.http.post(`/v1/holds/${hold.body.id}/capture`, { amount: 100 })).status).toBe(404);
    expect((await merchant.http.post(`/v1/holds/${hold.body.id}/void`, {})).status).toBe(404);
    expect((await merchant.live.get(`/v1/holds/${hold.body.id}`)).body.status).toBe("held");

    const captured = await merchant.live.post(`/v1/holds/${hold.body.id}/capture`, { amount: 2_500 });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ livemode: true, status: "captured", amount_captured: 2_500 });
    const payment = await merchant.live.get(`/v1/payments/${captured.body.payment}`);
    expect(payment.body).toMatchObject({ livemode: true, amount: 2_500, status: "succeeded" });
    expect((await merchant.http.get(`/v1/payments/${captured.body.payment}`)).status).toBe(404);
    expect(await liveBalance(liveWallet)).toBe(before.balance - 2_500);
    expect(await liveBalance(destination)).toBe(2_500);
    const events = await awaitEvents(live, [["hold.captured", hold.body.id]]);
    expect(eventAbout(events, "hold.captured", hold.body.id).data.object).toMatchObject({ livemode: true });
  });
});

describe("bank returns in live mode", () => {
  it("applies a return the live rail reports, once, and acknowledges it to that rail", async () => {
    const accountNumber = `7${Date.now()}`.slice(-12);
    const bank = await openBankAccount(live, accountNumber);
    const source = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    await creditLive(source, 9_000);
    const payout = await merchant.live.post("/v1/payments", {
      source,
      destination: bank,
      amount: 4_000,
      currency: "USD",
    });
    expect(payout.status).toBe(201);
    expect(payout.body).toMatchObject({
      livemode: true,
      status: "succeeded",
      channel: "bank",
      return_code: null,
      risk: { score: 0, rules: [] },
    });
    expect(await liveBalance(source)).toBe(5_000);

    // The receiving bank sends it back; the rail reports it until payrail acknowledges it.
    expect((await fakeRail("/_fake/returns", { reference: payout.body.id, return_code: "R02" })).status).toBe(
      200,
    );
    await runScheduler(new Date(Date.now() + 1_000));
    const returned = await merchant.live.get(`/v1/payments/${payout.body.id}`);
    expect(returned.body).toMatchObject({
      status: "returned",
      return_code: "R02",
      livemode: true,
      amount: 4_000,
    });
    expect(await liveBalance(source)).toBe(9_000);
    expect(await liveBalance(bank)).toBe(0);
    const rail = await fakeRail(`/_fake/payouts/${payout.body.id}`);
    expect(rail.body).toMatchObject({ refused: 0, return_reported: false, return_acknowledged: true });

    // Acknowledged: the next run finds nothing to apply, and nothing moves again.
    await runScheduler(new Date(Date.now() + 2_000));
    expect(await liveBalance(source)).toBe(9_000);
    const events = await awaitEvents(live, [["payment.returned", payout.body.id]]);
    expect(eventAbout(events, "payment.returned", payout.body.id)).toMatchObject({ livemode: true });
    expect((await allEvents(merchant)).some((event) => event.data.object.id === payout.body.id)).toBe(false);
  }, 60_000);
});

describe("a rail answers for its own mode", () => {
  it("never lets the live rail return a test-mode payout: acknowledged to it, nothing moves", async () => {
    const source = await openWallet(merchant, "USD", 3_000);
    const bank = await openBankAccount(merchant, "000222330001");
    const testPayout = await merchant.http.post("/v1/payments", {
      source,
      destination: bank,
      amount: 1_000,
      currency: "USD",
    });
    expect(testPayout.body).toMatchObject({ livemode: false, status: "succeeded", channel: "bank" });
    const reported = await fakeRail("/_fake/returns", {
      reference: testPayout.body.id,
      return_code: "R03",
      unchecked: true,
    });
    expect(reported.status).toBe(200);
    await runScheduler(new Date(Date.now() + 1_000));
    expect((await merchant.http.get(`/v1/payments/${testPayout.body.id}`)).body).toMatchObject({
      status: "succeeded",
      return_code: null,
      risk: { score: 0, rules: [] },
    });
    expect(await balanceOf(merchant, source)).toBe(2_000);
    expect(await balanceOf(merchant, bank)).toBe(1_000);
    expect((await fakeRail(`/_fake/payouts/${testPayout.body.id}`)).body).toMatchObject({
      return_reported: false,
      return_acknowledged: true,
    });
  }, 60_000);
});

describe("list filters and error hints by mode", () => {
  it("serves the filter indexes per mode: a live key's filtered lists hold live objects only", async () => {
    const testSource = await openWallet(merchant, "USD", 2_000);
    const testPayment = await merchant.http.post("/v1/payments", {
      source: testSource,
      destination: await openWallet(merchant, "USD"),
      amount: 50,
      currency: "USD",
    });
    const liveDestination = (await merchant.live.post("/v1/accounts", { currency: "USD" })).body.id;
    const livePayment = await merchant.live.post("/v1/payments", {
      source: liveWallet,
      destination: liveDestination,
      amount: 60,
      currency: "USD",
    });
    const ids = (page: any) => page.body.data.map((payment: any) => payment.id);
    const liveBySource = await merchant.live.get(`/v1/payments?source=${liveWallet}&limit=100`);
    expect(liveBySource.status).toBe(200);
    expect(ids(liveBySource)).toContain(livePayment.body.id);
    expect(liveBySource.body.data.every((payment: any) => payment.livemode)).toBe(true);
    expect(ids(await merchant.live.get(`/v1/payments?source=${testSource}`))).toEqual([]);
    expect(ids(await merchant.http.get(`/v1/payments?source=${liveWallet}`))).toEqual([]);
    expect(ids(await merchant.live.get(`/v1/payments?destination=${liveDestination}`))).toEqual([
      livePayment.body.id,
    ]);
    const liveSucceeded = await merchant.live.get("/v1/payments?status=succeeded&limit=100");
    expect(ids(liveSucceeded)).toContain(livePayment.body.id);
    expect(ids(liveSucceeded)).not.toContain(testPayment.body.id);
    const testSucceeded = await merchant.http.get("/v1/payments?status=succeeded&limit=100");
    expect(ids(testSucceeded)).toContain(testPayment.body.id);
    expect(ids(testSucceeded)).not.toContain(livePayment.body.id);
  });

  it("masks a live key in its hints and takes it through HTTP Basic as well", async () => {
    const wrong = `sk_live_${"x".repeat(28)}wxyz`;
    const invalid = await merchant.live.get("/v1/accounts", { apiKey: wrong });
    expect(invalid.status).toBe(401);
    expect(invalid.body.error.message).toBe("Invalid API key provided: sk_live_****wxyz");
    const masked = `sk_live_****${merchant.liveApiKey.slice(-4)}`;
    const bare = await merchant.live.get("/v1/accounts", {
      apiKey: null,
      headers: { authorization: merchant.liveApiKey },
    });
    expect(bare.status).toBe(401);
    expect(bare.body.error.message).toContain(`Authorization: Bearer ${masked}`);
    expect(bare.text).not.toContain(merchant.liveApiKey);
    const basic = await merchant.live.get(`/v1/accounts/${liveWallet}`, {
      apiKey: null,
      headers: { authorization: `Basic ${Buffer.from(`${merchant.liveApiKey}:`).toString("base64")}` },
    });
    expect(basic.status).toBe(200);
    expect(basic.body).toMatchObject({ id: liveWallet, livemode: true });
  });
});
