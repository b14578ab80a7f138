import { beforeAll, describe, expect, it } from "vitest";
import { ledgerOwner } from "../../lib/domain/modes.js";
import { newTopup } from "../../lib/domain/topups.js";
import { recordInboundCredit } from "../../lib/ledger/topups.js";
import { ledgerStore, newMerchant, openBankAccount, type TestMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

// Live mode end to end on the local stack: no sandbox money, no sandbox rail; payouts go through
// the HTTP rail adapter to the fake rail the test suite started (test/support/fake-rail.ts), and a
// rail that stops answering leaves the payout `processing` until recovery finishes it.

const later = (minutes: number) => ({ time: new Date(Date.now() + minutes * 60_000).toISOString() });

async function fakeRail(path: string, body?: unknown): Promise<any> {
  const answer = await fetch(`${stackContext().fakeRailUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer.json();
}

let merchant: TestMerchant;
let wallet: string;

beforeAll(async () => {
  merchant = await newMerchant("live-mode");
  wallet = (await merchant.live.post("/v1/accounts", { currency: "USD", name: "live wallet" })).body.id;
  const credit = newTopup(
    ledgerOwner(merchant.merchantId, "live"),
    { account: wallet, amount: 100_000, currency: "USD" },
    Date.now(),
  );
  await recordInboundCredit(ledgerStore(), credit, `inbound-${Date.now()}`);
});

const liveBalance = async (id: string) =>
  (await merchant.live.get(`/v1/accounts/${id}`)).body.balance as number;

describe("live mode", () => {
  it("refuses a top-up: live money only enters through inbound credits", async () => {
    const answer = await merchant.live.post("/v1/topups", { account: wallet, amount: 500, currency: "USD" });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("test_mode_only");
    expect(await liveBalance(wallet)).toBe(100_000);
  });

  it("pays out through the HTTP rail, never the sandbox rail (a sandbox 'decline' number is paid)", async () => {
    const bank = await openBankAccount({ ...merchant, http: merchant.live }, "000987650002");
    const paid = await merchant.live.post("/v1/payments", {
      source: wallet,
      destination: bank,
      amount: 2_500,
      currency: "USD",
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ livemode: true, channel: "bank", status: "succeeded", amount: 2_500 });
    // The rail received the full account number under the payment id, signed (nothing refused).
    const received = await fakeRail(`/_fake/payouts/${paid.body.id}`);
    expect(received.payout).toEqual({
      reference: paid.body.id,
      amount: 2_500,
      currency: "USD",
      account_number: "000987650002",
      routing_number: "110000000",
      status: "accepted",
      sends: 1,
    });
    expect(received.refused).toBe(0);
    expect(await liveBalance(wallet)).toBe(97_500);
    expect(await liveBalance(bank)).toBe(2_500);

    // The same number in test mode is the sandbox's decline, and the fake rail never hears of it.
    const testWallet = (await merchant.http.post("/v1/accounts", { currency: "USD" })).body.id;
    await merchant.http.post("/v1/topups", { account: testWallet, amount: 2_500, currency: "USD" });
    const testBank = await openBankAccount(merchant, "000987650002");
    const declined = await merchant.http.post("/v1/payments", {
      source: testWallet,
      destination: testBank,
      amount: 2_500,
      currency: "USD",
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error.payment).toMatchObject({ livemode: false, failure_code: "channel_declined" });
    expect((await fakeRail(`/_fake/payouts/${declined.body.error.payment.id}`)).payout).toBeNull();
  });

  it("leaves a payout processing when the rail times out, and recovery finishes it from the rail's books", async () => {
    const accountNumber = `0000${Date.now()}`.slice(-12);
    const bank = await openBankAccount({ ...merchant, http: merchant.live }, accountNumber);
    await fakeRail("/_fake/behaviour", { account_number: accountNumber, behaviour: "hang" });
    const before = await liveBalance(wallet);
    const silent = await merchant.live.post(
      "/v1/payments",
      { source: wallet, destination: bank, amount: 1_200, currency: "USD" },
      { headers: { "idempotency-key": `live-timeout-${Date.now()}` } },
    );
    expect(silent.status).toBe(202);
    expect(silent.body).toMatchObject({ livemode: true, status: "processing", channel: "bank" });
    // The money is held, not paid and not returned: the rail may have acted (it did).
    expect(await liveBalance(wallet)).toBe(before - 1_200);
    expect(await liveBalance(bank)).toBe(0);
    expect((await fakeRail(`/_fake/payouts/${silent.body.id}`)).payout.status).toBe("accepted");

    // Still silent: recovery cannot ask the rail, so the payout stays processing.
    await stackContext().invoke("scheduler", later(10));
    expect((await merchant.live.get(`/v1/payments/${silent.body.id}`)).body.status).toBe("processing");

    // The rail answers again: recovery asks it and settles exactly once.
    await fakeRail("/_fake/behaviour", { account_number: accountNumber, behaviour: "accept" });
    await stackContext().invoke("scheduler", later(10));
    const finished = await merchant.live.get(`/v1/payments/${silent.body.id}`);
    expect(finished.body).toMatchObject({ status: "succeeded", livemode: true });
    expect(await liveBalance(wallet)).toBe(before - 1_200);
    expect(await liveBalance(bank)).toBe(1_200);
    expect((await fakeRail(`/_fake/payouts/${silent.body.id}`)).payout.sends).toBe(1);
  }, 120_000);
});
