import { describe, expect, it } from "vitest";
import {
  allItems,
  allPayments,
  awaitBatch,
  itemsQueueDrained,
  logLinesWith,
  poll,
  runScheduler,
  sendChunkMessage,
  sumOfBalances,
} from "../support/batches.js";
import { balanceOf, newMerchant, openBankAccount, openWallet } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

// 60 items = chunks 0, 1 and 2 (25 + 25 + 10), half to a wallet and half to a bank account.
async function batchOf60(label: string, metadata: Record<string, string> = {}) {
  const merchant = await newMerchant(label);
  const source = await openWallet(merchant, "USD", 100_000);
  const wallet = await openWallet(merchant, "USD");
  const bank = await openBankAccount(merchant, "000111222333");
  const items = Array.from({ length: 60 }, (_, i) => ({
    id: `d${i}`,
    destination: i % 2 === 0 ? wallet : bank,
    amount: 10 + i,
  }));
  const created = await merchant.http.post("/v1/batches", { source, currency: "USD", items, metadata });
  expect(created.status).toBe(202);
  const toWallet = items.filter((_, i) => i % 2 === 0).reduce((sum, item) => sum + item.amount, 0);
  const toBank = items.filter((_, i) => i % 2 === 1).reduce((sum, item) => sum + item.amount, 0);
  return {
    merchant,
    source,
    wallet,
    bank,
    id: created.body.id as string,
    toWallet,
    toBank,
    total: toWallet + toBank,
  };
}

function faultsEnabled(): void {
  // These tests need the stack's test-only fault seam (lib/faults.ts).
  expect(stackContext().env.PAYRAIL_FAULTS_ENABLED, "start the stack with PAYRAIL_FAULTS_ENABLED=1").toBe(
    "1",
  );
}

describe("batch delivery", () => {
  it("pays nothing twice when chunk messages are delivered again after the batch completed", async () => {
    const run = await batchOf60("batch-duplicates");
    const batch = await awaitBatch(run.merchant, run.id);
    expect(batch.counts).toEqual({
      total: 60,
      pending: 0,
      succeeded: 60,
      failed: 0,
      canceled: 0,
      returned: 0,
    });
    for (const chunk of [0, 1, 2, 0, 1, 2]) await sendChunkMessage(run.id, chunk);
    await itemsQueueDrained();
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.total);
    expect(await balanceOf(run.merchant, run.wallet)).toBe(run.toWallet);
    expect(await balanceOf(run.merchant, run.bank)).toBe(run.toBank);
    expect(await sumOfBalances(run.merchant)).toBe(100_000);
    expect((await allPayments(run.merchant)).length).toBe(60);
    const again = await run.merchant.http.get(`/v1/batches/${run.id}`);
    expect(again.body).toMatchObject({ status: "completed", counts: batch.counts, amounts: batch.amounts });
  });

  it("pays every item once when each consumer crashes after its write, before the message is deleted", async () => {
    faultsEnabled();
    const run = await batchOf60("batch-crash-after-write", { payrail_test_faults: "consume.after-write" });
    const batch = await awaitBatch(run.merchant, run.id);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 60, pending: 0, succeeded: 60, failed: 0, returned: 0 },
      amounts: { total: run.total, succeeded: run.total, failed: 0, returned: 0 },
    });
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.total);
    expect(await balanceOf(run.merchant, run.wallet)).toBe(run.toWallet);
    expect(await balanceOf(run.merchant, run.bank)).toBe(run.toBank);
    const payments = await allPayments(run.merchant);
    expect(payments).toHaveLength(60);
    expect(new Set(payments.map((payment) => payment.id)).size).toBe(60);
    // The crash really happened: each of the 3 chunks threw after its write at least once.
    const crashes = logLinesWith(run.id, "injected fault at consume.after-write");
    expect(new Set(crashes.map((line) => /"chunk":(\d+)/.exec(line)?.[1]))).toEqual(new Set(["0", "1", "2"]));
  });

  it("after the DLQ, pays the wallet items of a chunk that kept failing and fails the bank items the rail never received", async () => {
    faultsEnabled();
    const run = await batchOf60("batch-dead-letters", { payrail_test_faults: "consume.before-write" });
    // Five receives with 1+2+4+8+16 s of backoff, then the dead-letter drain.
    const batch = await awaitBatch(run.merchant, run.id, 150_000);
    // A wallet credit needs nothing but this table, so the drain pays it; a bank item the rail never
    // received is not sent by the drain and fails with processing_error.
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 60, pending: 0, succeeded: 30, failed: 30, returned: 0 },
      amounts: { total: run.total, succeeded: run.toWallet, failed: run.toBank, returned: 0 },
    });
    const items = await allItems(run.merchant, run.id);
    expect(items).toHaveLength(60);
    for (const item of items) {
      if (Number(item.id.slice(1)) % 2 === 0) {
        expect(item).toMatchObject({ destination: run.wallet, status: "succeeded", failure_code: null });
        expect(item.payment).toMatch(/^pay_/);
      } else {
        expect(item).toMatchObject({
          destination: run.bank,
          status: "failed",
          failure_code: "processing_error",
          payment: null,
        });
      }
    }
    const ended = logLinesWith(run.id, "dead chunk: ended by the dead-letter drain");
    expect(
      ended
        .map((line) => /"succeeded":(\d+),"failed":(\d+),"processingError":(\d+)/.exec(line)?.slice(1))
        .sort(),
    ).toEqual([
      ["12", "13", "13"],
      ["13", "12", "12"],
      ["5", "5", "5"],
    ]);
    // The bank items' reservation came back to the source in the completing transaction.
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.toWallet);
    expect(await balanceOf(run.merchant, run.wallet)).toBe(run.toWallet);
    expect(await balanceOf(run.merchant, run.bank)).toBe(0);
    expect(await sumOfBalances(run.merchant)).toBe(100_000);
  }, 180_000);

  it("after the DLQ, records as paid the bank items the rail accepted before each delivery failed, and pays the wallet items", async () => {
    faultsEnabled();
    // Every delivery gets the rail's answers for its bank items, then dies before its transaction.
    const run = await batchOf60("batch-dead-after-rail", { payrail_test_faults: "consume.before-commit" });
    const batch = await awaitBatch(run.merchant, run.id, 150_000);
    // The rail paid the 30 bank items; the drain asks it instead of failing them, so the money
    // that left through the rail is not also returned to the source. The wallet items it pays itself.
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 60, pending: 0, succeeded: 60, failed: 0, returned: 0 },
      amounts: { total: run.total, succeeded: run.total, failed: 0, returned: 0 },
    });
    const items = await allItems(run.merchant, run.id);
    expect(items).toHaveLength(60);
    for (const item of items) {
      const destination = Number(item.id.slice(1)) % 2 === 1 ? run.bank : run.wallet;
      expect(item).toMatchObject({ destination, status: "succeeded", failure_code: null });
      expect(item.payment).toMatch(/^pay_/);
    }
    const payments = await allPayments(run.merchant);
    expect(payments).toHaveLength(60);
    expect(new Set(payments.map((payment) => payment.id))).toEqual(
      new Set(items.map((item) => item.payment)),
    );
    expect(logLinesWith(run.id, "dead chunk: ended by the dead-letter drain")).toHaveLength(3);
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.total);
    expect(await balanceOf(run.merchant, run.wallet)).toBe(run.toWallet);
    expect(await balanceOf(run.merchant, run.bank)).toBe(run.toBank);
    expect(await sumOfBalances(run.merchant)).toBe(100_000);
  }, 180_000);

  it("reserves once and still sends every chunk when the release worker crashes right after reserving", async () => {
    faultsEnabled();
    const run = await batchOf60("batch-release-crash", { payrail_test_faults: "release.after-reserve" });
    const batch = await awaitBatch(run.merchant, run.id);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 60, pending: 0, succeeded: 60, failed: 0, returned: 0 },
    });
    expect(logLinesWith(run.id, "injected fault at release.after-reserve")).toHaveLength(1);
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.total);
    expect(await sumOfBalances(run.merchant)).toBe(100_000);

    // A later sweep finds nothing left to do and changes nothing.
    expect(await runScheduler(new Date(Date.now() + 3_600_000))).toMatchObject({ completed: 0 });
    expect(await balanceOf(run.merchant, run.source)).toBe(100_000 - run.total);
    expect((await allPayments(run.merchant)).length).toBe(60);
  });

  it("finishes a reserved batch whose chunks were never sent once the scheduler finds it stalled", async () => {
    faultsEnabled();
    // Every release delivery crashes before sending chunks, until the release message is dead-lettered.
    const run = await batchOf60("batch-stalled", { payrail_test_faults: "release.before-dispatch" });
    const { maxReceiveCount } = stackContext();
    await poll(
      async () => logLinesWith(run.id, "injected fault at release.before-dispatch").length,
      (crashes) => crashes >= maxReceiveCount,
      60_000,
    );
    const stuck = await run.merchant.http.get(`/v1/batches/${run.id}`);
    expect(stuck.body).toMatchObject({ status: "processing", counts: { total: 60, pending: 60 } });
    // The total is reserved meanwhile: conservation counts it as outstanding.
    expect(await sumOfBalances(run.merchant)).toBe(100_000 - run.total);

    // Not stalled yet by the scheduler's clock: nothing is re-sent.
    expect(await runScheduler(new Date())).toMatchObject({ redispatched: 0 });
    // Ten minutes later it is: the unprocessed chunks are sent again and the batch completes.
    expect(await runScheduler(new Date(Date.now() + 600_000))).toMatchObject({ redispatched: 1 });
    const batch = await awaitBatch(run.merchant, run.id);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 60, pending: 0, succeeded: 60, failed: 0, returned: 0 },
    });
    expect(await balanceOf(run.merchant, run.wallet)).toBe(run.toWallet);
    expect(await balanceOf(run.merchant, run.bank)).toBe(run.toBank);
    expect(await sumOfBalances(run.merchant)).toBe(100_000);
  });
});
