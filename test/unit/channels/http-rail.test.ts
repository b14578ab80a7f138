import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type BankRail,
  type PayoutInstruction,
  type PayoutReturn,
  payoutFor,
  RailTimeoutError,
  RailUnavailableError,
  railsByMode,
} from "../../../lib/channels/bank-rail.js";
import { httpBankRail } from "../../../lib/channels/http-rail.js";
import { type FakeRail, startFakeRail } from "../../support/fake-rail.js";

// The HTTP rail adapter against a fake rail server on 127.0.0.1 that checks signatures and keeps
// its own books (test/support/fake-rail.ts), as a real rail would.

const SECRET = "rail_secret_0123456789abcdefghijklmnopqrstuvwxyz";
let rail: FakeRail;

beforeEach(async () => {
  rail = await startFakeRail({ signingSecret: SECRET, hangMs: 5_000 });
});
afterEach(() => rail.stop());

const payout = (id: string, accountNumber: string, amount = 1_250): PayoutInstruction =>
  payoutFor(
    { id, merchantId: "mer_1.live", amount, currency: "USD" },
    { bankLast4: accountNumber.slice(-4), bankNumber: accountNumber, bankRouting: "110000000" },
  );

describe("HTTP bank rail adapter", () => {
  it("sends a signed payout with the full account number and the payment id as its reference", async () => {
    const adapter = httpBankRail({ url: rail.url, signingSecret: SECRET, timeoutMs: 2_000 });
    expect(await adapter.send(payout("pay_A", "000123456789"))).toBe("accepted");
    expect(rail.payouts.get("pay_A")).toEqual({
      reference: "pay_A",
      amount: 1_250,
      currency: "USD",
      account_number: "000123456789",
      routing_number: "110000000",
      status: "accepted",
      sends: 1,
    });
    expect(rail.refused).toBe(0);
  });

  it("is idempotent by payment id: a repeated send answers the first decision and pays nothing twice", async () => {
    const adapter = httpBankRail({ url: rail.url, signingSecret: SECRET, timeoutMs: 2_000 });
    rail.setBehaviour("000999", "decline");
    expect(await adapter.send(payout("pay_B", "000999"))).toBe("declined");
    rail.setBehaviour("000999", "accept");
    expect(await adapter.send(payout("pay_B", "000999"))).toBe("declined");
    expect(rail.payouts.get("pay_B")?.sends).toBe(2);
    expect(await adapter.status(payout("pay_B", "000999"))).toBe("declined");
  });

  it("answers unknown for a payout the rail never received", async () => {
    const adapter = httpBankRail({ url: rail.url, signingSecret: SECRET, timeoutMs: 2_000 });
    expect(await adapter.status(payout("pay_never", "0001"))).toBe("unknown");
  });

  it("is refused by the rail when signed with another secret, and says so instead of deciding", async () => {
    const forger = httpBankRail({ url: rail.url, signingSecret: `${SECRET}x`, timeoutMs: 2_000 });
    await expect(forger.send(payout("pay_C", "0001"))).rejects.toBeInstanceOf(RailUnavailableError);
    await expect(forger.status(payout("pay_C", "0001"))).rejects.toBeInstanceOf(RailUnavailableError);
    expect(rail.refused).toBe(2);
    expect(rail.payouts.has("pay_C")).toBe(false);
  });

  it("is refused for a stale signature (replayed request)", async () => {
    const late = httpBankRail({
      url: rail.url,
      signingSecret: SECRET,
      timeoutMs: 2_000,
      nowMs: () => Date.now() - 10 * 60_000,
    });
    await expect(late.send(payout("pay_D", "0001"))).rejects.toBeInstanceOf(RailUnavailableError);
    expect(rail.payouts.has("pay_D")).toBe(false);
  });

  it("gives up after its timeout when the rail does not answer; the rail may still have acted", async () => {
    const adapter = httpBankRail({ url: rail.url, signingSecret: SECRET, timeoutMs: 300 });
    rail.setBehaviour("000555", "hang");
    await expect(adapter.send(payout("pay_E", "000555"))).rejects.toBeInstanceOf(RailTimeoutError);
    await expect.poll(() => rail.payouts.get("pay_E")?.status).toBe("accepted");
    await expect(adapter.status(payout("pay_E", "000555"))).rejects.toBeInstanceOf(RailTimeoutError);
    rail.setBehaviour("000555", "accept");
    expect(await adapter.status(payout("pay_E", "000555"))).toBe("accepted");
  });

  it("fails as unavailable when nothing listens at the endpoint", async () => {
    const url = rail.url;
    await rail.stop();
    const adapter = httpBankRail({ url, signingSecret: SECRET, timeoutMs: 1_000 });
    await expect(adapter.send(payout("pay_F", "0001"))).rejects.toBeInstanceOf(RailUnavailableError);
    rail = await startFakeRail({ signingSecret: SECRET });
  });
});

/** A rail that records what it was asked, by name, and reports one return of its own. */
function namedRail(name: string, seen: string[]): BankRail {
  return {
    send: async (i: PayoutInstruction) => {
      seen.push(`${name}:${i.paymentId}`);
      return "accepted" as const;
    },
    status: async () => "unknown" as const,
    returns: async (_untilMs, limit) =>
      [{ paymentId: `pay_${name}`, returnCode: "R03", returnedAtMs: 1_000, livemode: name === "http" }].slice(
        0,
        limit,
      ),
    acknowledgeReturn: async (returned) => {
      seen.push(`${name}:ack:${returned.paymentId}`);
    },
  };
}

describe("returns on the HTTP rail", () => {
  it("reports the rail's returns as live-mode returns and acknowledges each, once", async () => {
    const adapter = httpBankRail({ url: rail.url, signingSecret: SECRET, timeoutMs: 2_000 });
    expect(await adapter.send(payout("pay_R", "000123450004", 7_000))).toBe("accepted");
    expect(await adapter.returns(Date.now(), 10)).toEqual([]);
    const reported = await fetch(`${rail.url}/_fake/returns`, {
      method: "POST",
      body: JSON.stringify({ reference: "pay_R", return_code: "R02" }),
    });
    expect(reported.status).toBe(200);
    const returnedAt = (rail.returns.get("pay_R")?.returned_at ?? 0) * 1000;
    // A return stamped after the ledger's "now" waits for a later run.
    expect(await adapter.returns(returnedAt - 1_000, 10)).toEqual([]);
    const due = await adapter.returns(Date.now() + 1_000, 10);
    expect(due).toEqual([
      { paymentId: "pay_R", returnCode: "R02", returnedAtMs: returnedAt, livemode: true },
    ]);
    await adapter.acknowledgeReturn(due[0] as PayoutReturn);
    expect(rail.acknowledged).toEqual(["pay_R"]);
    expect(await adapter.returns(Date.now() + 1_000, 10)).toEqual([]);
    // Acknowledging again (a crash after the first) is harmless: the rail answers 404.
    await adapter.acknowledgeReturn(due[0] as PayoutReturn);
    expect(rail.acknowledged).toEqual(["pay_R"]);
    expect(rail.refused).toBe(0);
  });

  it("refuses a returns answer it cannot read rather than applying part of it", async () => {
    const adapter = httpBankRail({
      url: rail.url,
      signingSecret: "another_secret_0123456789abcdefghij",
      timeoutMs: 2_000,
    });
    await expect(adapter.returns(Date.now(), 10)).rejects.toBeInstanceOf(RailUnavailableError);
    expect(rail.refused).toBe(1);
  });
});

describe("rails by mode", () => {
  it("asks both rails for returns, live first, and acknowledges each to the rail that reported it", async () => {
    const seen: string[] = [];
    const rails = railsByMode({ test: namedRail("sandbox", seen), live: namedRail("http", seen) });
    const due = await rails.returns(2_000, 10);
    expect(due.map((r) => [r.paymentId, r.livemode])).toEqual([
      ["pay_http", true],
      ["pay_sandbox", false],
    ]);
    expect(await rails.returns(2_000, 1)).toEqual([due[0]]);
    for (const returned of due) await rails.acknowledgeReturn(returned);
    expect(seen).toEqual(["http:ack:pay_http", "sandbox:ack:pay_sandbox"]);
    const testOnly = railsByMode({ test: namedRail("sandbox", []), live: undefined });
    expect((await testOnly.returns(2_000, 10)).map((r) => r.paymentId)).toEqual(["pay_sandbox"]);
  });

  it("sends test-mode payouts to the sandbox and live-mode payouts to the live rail only", async () => {
    const seen: string[] = [];
    const named = (name: string) => namedRail(name, seen);
    const rails = railsByMode({ test: named("sandbox"), live: named("http") });
    await rails.send({ ...payout("pay_T", "0001"), livemode: false });
    await rails.send(payout("pay_L", "0001"));
    expect(seen).toEqual(["sandbox:pay_T", "http:pay_L"]);
    const testOnly = railsByMode({ test: named("sandbox"), live: undefined });
    await expect(testOnly.send(payout("pay_L2", "0001"))).rejects.toBeInstanceOf(RailUnavailableError);
    expect(seen).toEqual(["sandbox:pay_T", "http:pay_L"]);
  });
});
