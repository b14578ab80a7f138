import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { AccountDirectory } from "../../../lib/channels/account-directory.js";
import { type BankRail, sandboxBankRail } from "../../../lib/channels/bank-rail.js";
import { recoverStuckPayments } from "../../../lib/channels/recovery.js";
import { newId } from "../../../lib/domain/ids.js";
import { paymentFrom } from "../../../lib/domain/payments.js";
import { processingPaymentsPartition } from "../../../lib/ledger/keys.js";
import { reserveBankPayment } from "../../../lib/ledger/payments.js";
import { tableRailBooks } from "../../../lib/ledger/rail-books.js";
import { balanceOf, ledgerStore, newMerchant, openBankAccount, openWallet } from "../../support/fixtures.js";
import { houseAccounts } from "../../support/fx.js";
import { stackContext } from "../../support/stack-context.js";

// Bank payouts left `processing` by a crash or a silent rail are finished by the scheduler's
// recovery from the rail's own record (accepted, declined, or never received); meanwhile the API
// reports exactly what the ledger holds.

const FAULTS = "payrail_test_faults";
const later = (minutes: number) => ({ time: new Date(Date.now() + minutes * 60_000).toISOString() });

/** A merchant whose wallet holds 1,000 and a payout body to a bank account, with `fault` forced. */
async function payoutWithFault(label: string, accountNumber: string, amount: number, fault: string) {
  const merchant = await newMerchant(label);
  const wallet = await openWallet(merchant, "USD", 1_000);
  const bank = await openBankAccount(merchant, accountNumber);
  const body = { source: wallet, destination: bank, amount, currency: "USD", metadata: { [FAULTS]: fault } };
  return { merchant, wallet, bank, body };
}

describe("stuck bank payments", () => {
  it("reverses a payout whose process died after reserving, before the rail received it", async () => {
    const { merchant, wallet, bank, body } = await payoutWithFault(
      "stuck-crash",
      "0001230001",
      300,
      "bank.after-reserve",
    );
    const crashed = await merchant.http.post("/v1/payments", body);
    expect(crashed.status).toBe(500);
    expect(crashed.body.error.code).toBe("internal_error");
    // The reservation is real and visible: money left the wallet into a processing payment.
    const [stuck] = (await merchant.http.get("/v1/payments")).body.data;
    expect(stuck).toMatchObject({ status: "processing", channel: "bank", amount: 300 });
    expect(await balanceOf(merchant, wallet)).toBe(700);
    expect(await balanceOf(merchant, bank)).toBe(0);

    // The rail has no record of this payment id: nothing was paid out, so the money goes back.
    await stackContext().invoke("scheduler", later(10));
    const reversed = await merchant.http.get(`/v1/payments/${stuck.id}`);
    expect(reversed.body).toMatchObject({ status: "failed", failure_code: "processing_error" });
    expect(await balanceOf(merchant, wallet)).toBe(1_000);
    expect(await balanceOf(merchant, bank)).toBe(0);
  });

  it("reverses a payout the rail declined but whose answer was lost, returning the money", async () => {
    const {
      merchant,
      wallet,
      bank: declining,
      body,
    } = await payoutWithFault("stuck-decline", "0001230002", 250, "rail.timeout");
    const silent = await merchant.http.post("/v1/payments", body);
    expect(silent.status).toBe(202);
    expect(silent.body.status).toBe("processing");
    expect(await balanceOf(merchant, wallet)).toBe(750);
    await stackContext().invoke("scheduler", later(10));
    const reversed = await merchant.http.get(`/v1/payments/${silent.body.id}`);
    expect(reversed.body).toMatchObject({ status: "failed", failure_code: "channel_declined" });
    expect(await balanceOf(merchant, wallet)).toBe(1_000);
    expect(await balanceOf(merchant, declining)).toBe(0);
  });

  it("answers 202 processing when the rail goes silent, 409 on replay meanwhile, the final answer after recovery", async () => {
    const { merchant, wallet, bank, body } = await payoutWithFault(
      "stuck-timeout",
      "0001230001",
      120,
      "rail.timeout",
    );
    const headers = { "idempotency-key": `timeout-${Date.now()}` };
    const first = await merchant.http.post("/v1/payments", body, { headers });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: "processing", channel: "bank" });
    const replay = await merchant.http.post("/v1/payments", body, { headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("idempotency_key_in_use");

    // Not yet stuck by the clock: recovery leaves a fresh processing payment alone.
    await stackContext().invoke("scheduler", later(0));
    expect((await merchant.http.get(`/v1/payments/${first.body.id}`)).body.status).toBe("processing");

    await stackContext().invoke("scheduler", later(10));
    const final = await merchant.http.get(`/v1/payments/${first.body.id}`);
    expect(final.body.status).toBe("succeeded");
    const afterRecovery = await merchant.http.post("/v1/payments", body, { headers });
    expect(afterRecovery.status).toBe(201);
    expect(afterRecovery.headers.get("idempotent-replayed")).toBe("true");
    expect(afterRecovery.body).toEqual(final.body);
    expect(await balanceOf(merchant, wallet)).toBe(880);
    expect(await balanceOf(merchant, bank)).toBe(120);
    // What recovery asked: the sandbox rail's own record of the payout, kept for 30 days.
    const { Item: record } = await ledgerStore().dynamo.send(
      new GetCommand({ TableName: ledgerStore().table, Key: { pk: first.body.id, sk: "rail#sandbox" } }),
    );
    expect(record?.result).toBe("accepted");
    expect(Number(record?.expires_at) - Number(record?.recorded_at)).toBe(30 * 86_400);
  });

  it("settles a silent converted payout from the rail's record, the house converting only then", async () => {
    const merchant = await newMerchant("stuck-fx");
    const wallet = await openWallet(merchant, "USD", 10_000);
    const bank = await openBankAccount(merchant, "0001230001", "EUR");
    const silent = await merchant.http.post("/v1/payments", {
      source: wallet,
      destination: bank,
      amount: 2_000,
      currency: "USD",
      convert: true,
      metadata: { [FAULTS]: "rail.timeout" },
    });
    expect(silent.status).toBe(202);
    expect(silent.body).toMatchObject({
      status: "processing",
      amount: 2_000,
      fx: { destination_currency: "EUR" },
    });
    const euros = silent.body.fx.destination_amount as number;
    // Held in USD while the rail is silent: the house has converted nothing yet.
    expect(await balanceOf(merchant, wallet)).toBe(8_000);
    expect(await houseAccounts(merchant)).toEqual({});

    await stackContext().invoke("scheduler", later(10));
    expect((await merchant.http.get(`/v1/payments/${silent.body.id}`)).body.status).toBe("succeeded");
    expect(await balanceOf(merchant, wallet)).toBe(8_000);
    expect(await balanceOf(merchant, bank)).toBe(euros);
    const house = await houseAccounts(merchant);
    expect(house.USD).toMatchObject({ balance: 2_000, fees: silent.body.fx.fee });
    expect(house.EUR).toMatchObject({ balance: -euros });
  });

  it("recovers a stuck payout behind more than a page of payouts the rail cannot answer for yet", async () => {
    const store = ledgerStore();
    const merchant = await newMerchant("stuck-pages");
    const wallet = await openWallet(merchant, "USD", 10_000);
    const bank = await openBankAccount(merchant, "0004560001");
    // 120 processing payouts in one work-index shard: 119 old ones the rail cannot be asked about,
    // then a newer one it never received. One page holds 100.
    const start = Date.now() - 3_600_000;
    const shard = processingPaymentsPartition(newId("payment", start));
    const ids: string[] = [];
    while (ids.length < 120) {
      const at = start + ids.length * 1_000;
      const id = newId("payment", at);
      if (processingPaymentsPartition(id) !== shard) continue;
      const order = {
        id,
        merchantId: merchant.merchantId,
        source: wallet,
        destination: bank,
        amount: 10,
        currency: "USD",
        now: at,
      };
      expect(await reserveBankPayment(store, paymentFrom(order, "processing", "bank"), undefined)).toBe(true);
      ids.push(id);
    }
    const newest = ids.at(-1) as string;
    const unanswerable = new Set(ids.slice(0, -1));
    const sandbox = sandboxBankRail({ latencyMs: 0, books: tableRailBooks(store) });
    const rail: BankRail = {
      ...sandbox,
      send: () => Promise.reject(new Error("recovery never sends")),
      status: (instruction) =>
        unanswerable.has(instruction.paymentId)
          ? Promise.reject(new Error("rail unreachable for this payout"))
          : sandbox.status(instruction),
    };
    const report = await recoverStuckPayments(store, rail, new AccountDirectory(), {
      nowMs: Date.now(),
      stuckAfterSeconds: 300,
    });
    expect(report.deferred).toBeGreaterThanOrEqual(119);
    expect((await merchant.http.get(`/v1/payments/${newest}`)).body).toMatchObject({
      status: "failed",
      failure_code: "processing_error",
    });
    expect((await merchant.http.get(`/v1/payments/${ids[0]}`)).body.status).toBe("processing");
    expect(await balanceOf(merchant, wallet)).toBe(10_000 - 119 * 10);

    // Once the rail answers again, the rest are finished too (it never received them: reversed).
    await recoverStuckPayments(store, sandbox, new AccountDirectory(), {
      nowMs: Date.now(),
      stuckAfterSeconds: 300,
    });
    expect(await balanceOf(merchant, wallet)).toBe(10_000);
    expect(await balanceOf(merchant, bank)).toBe(0);
  }, 120_000);
});
