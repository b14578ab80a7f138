import { describe, expect, it } from "vitest";
import type { Account } from "../../../lib/domain/accounts.js";
import {
  addTallies,
  assertCancelable,
  type Batch,
  CHUNK_SIZE,
  chunkItemResources,
  chunkItems,
  creditsByDestination,
  decideFinalize,
  EMPTY_TALLY,
  isDue,
  isStalled,
  itemOrder,
  itemPaymentId,
  judgeBatchItem,
  overLimitDestinations,
  planBatch,
  tallyChunk,
  toBatchResource,
} from "../../../lib/domain/batches.js";
import { isIdOf } from "../../../lib/domain/ids.js";
import { judgeSourceWallet } from "../../../lib/domain/payments.js";
import { BatchNotCancelableError } from "../../../lib/errors.js";
import { MAX_BALANCE } from "../../../lib/money/index.js";
import { anAccount } from "../../support/accounts.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const MERCHANT = "mer_01M8A806S4QFNP59HM84X942XD";
const SOURCE = "acct_01M8A806S4QFNP59HM84X942XD";

const account = (overrides: Partial<Account> = {}) => anAccount({ merchantId: MERCHANT, ...overrides });

function items(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `i${i}`, destination: `acct_${i}`, amount: i + 1 }));
}

function planned(n: number, scheduledAt?: string) {
  const scheduled_at = scheduledAt === undefined ? undefined : Date.parse(scheduledAt) / 1000;
  return planBatch(MERCHANT, { source: SOURCE, currency: "USD", items: items(n), scheduled_at }, NOW);
}

describe("planning a batch", () => {
  it("cuts items into chunks of 25 in submission order", () => {
    const { batch, chunks } = planned(1001);
    expect(CHUNK_SIZE).toBe(25);
    expect(chunks).toHaveLength(41);
    expect(chunks[40]?.items.map((item) => item.id)).toEqual(["i1000"]);
    expect(chunks[1]?.items[0]?.id).toBe("i25");
    expect(batch).toMatchObject({ itemCount: 1001, chunkCount: 41, amountTotal: (1001 * 1002) / 2 });
  });

  it("queues a batch due now and schedules a later one", () => {
    expect(planned(1).batch).toMatchObject({ status: "queued", scheduledAt: null });
    expect(planned(1, "2025-12-31T23:58:00Z").batch.status).toBe("queued");
    const later = planned(1, "2026-01-02T00:00:00Z").batch;
    expect(later).toMatchObject({
      status: "scheduled",
      scheduledAt: Date.parse("2026-01-02T00:00:00Z") / 1000,
    });
    expect(isDue(later, NOW)).toBe(false);
    expect(isDue(later, Date.parse("2026-01-02T00:00:00Z"))).toBe(true);
  });

  it("chunks any list evenly", () => {
    expect(chunkItems([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunkItems([], 25)).toEqual([]);
  });
});

describe("item payment ids", () => {
  const batch = { id: "bat_01M8A806S4QFNP59HM84X942XD", releasedAtMs: NOW, createdAt: NOW / 1000 };

  it("derives the same valid payment id for the same item every time", () => {
    const id = itemPaymentId(batch, 42);
    expect(isIdOf("payment", id)).toBe(true);
    expect(itemPaymentId(batch, 42)).toBe(id);
    expect(itemPaymentId(batch, 43)).not.toBe(id);
    expect(itemPaymentId({ ...batch, id: "bat_01M8A806S4QFNP59HM84X942XE" }, 42)).not.toBe(id);
  });

  it("builds the payment order of an item from its chunk position, with the derived id", () => {
    const chunk = {
      index: 2,
      items: [
        { id: "a", destination: "acct_1", amount: 10, description: null },
        { id: "b", destination: "acct_2", amount: 25, description: "June salary" },
      ],
    };
    const full = { ...batch, merchantId: "mer_1", source: "acct_src", currency: "USD" as const };
    expect(itemOrder(full, chunk, 1)).toEqual({
      id: itemPaymentId(batch, 51),
      merchantId: "mer_1",
      source: "acct_src",
      destination: "acct_2",
      amount: 25,
      currency: "USD",
      description: "June salary",
      batchId: batch.id,
      batchItemIndex: 51,
      now: batch.releasedAtMs,
    });
    expect(itemOrder(full, chunk, 0).description).toBeUndefined();
  });

  it("orders item payments at the release time", () => {
    const earlier = itemPaymentId({ ...batch, releasedAtMs: NOW - 1000 }, 0);
    expect(earlier < itemPaymentId(batch, 0)).toBe(true);
  });
});

describe("judging the source and the items", () => {
  it("hides another merchant's source and refuses a non-wallet or another currency", () => {
    expect(judgeSourceWallet(MERCHANT, "USD", undefined)).toEqual({ kind: "not_found" });
    expect(judgeSourceWallet(MERCHANT, "USD", account({ merchantId: "mer_other" }))).toEqual({
      kind: "not_found",
    });
    expect(judgeSourceWallet(MERCHANT, "USD", account({ type: "bank" }))).toMatchObject({
      code: "source_not_wallet",
    });
    expect(judgeSourceWallet(MERCHANT, "EUR", account())).toMatchObject({
      code: "currency_mismatch",
    });
    expect(judgeSourceWallet(MERCHANT, "USD", account())).toEqual({ kind: "ok" });
  });

  const batch = { merchantId: MERCHANT, currency: "USD" as const };

  it("fails items to unknown or foreign destinations as account_not_found", () => {
    expect(judgeBatchItem(batch, undefined)).toEqual({ kind: "fail", code: "account_not_found" });
    expect(judgeBatchItem(batch, account({ merchantId: "mer_other" }))).toEqual({
      kind: "fail",
      code: "account_not_found",
    });
  });

  it("fails items to a destination in another currency", () => {
    expect(judgeBatchItem(batch, account({ currency: "EUR" }))).toEqual({
      kind: "fail",
      code: "currency_mismatch",
    });
  });

  it("pays wallets over the ledger and bank accounts over the rail", () => {
    expect(judgeBatchItem(batch, account())).toEqual({ kind: "pay", channel: "ledger" });
    expect(judgeBatchItem(batch, account({ type: "bank" }))).toEqual({ kind: "pay", channel: "bank" });
  });

  it("finds destinations whose summed credit would pass the balance ceiling", () => {
    const credits = new Map([
      ["a", 10],
      ["b", 10],
    ]);
    const balances = new Map([
      ["a", MAX_BALANCE - 10],
      ["b", MAX_BALANCE - 9],
    ]);
    expect([...overLimitDestinations(credits, balances)]).toEqual(["b"]);
  });
});

describe("tallies and completion", () => {
  const chunkItemsList = [
    { id: "a", destination: "d1", amount: 100, description: null },
    { id: "b", destination: "d1", amount: 50, description: null },
    { id: "c", destination: "d2", amount: 7, description: null },
  ];
  const results = [
    { status: "succeeded" as const, failureCode: null, paymentId: "p1" },
    { status: "succeeded" as const, failureCode: null, paymentId: "p2" },
    { status: "failed" as const, failureCode: "account_not_found" as const, paymentId: "p3" },
  ];

  it("sums succeeded credits per destination", () => {
    expect([...creditsByDestination(chunkItemsList, results)]).toEqual([["d1", 150]]);
  });

  it("tallies a chunk and adds tallies across shards", () => {
    const tally = tallyChunk(chunkItemsList, results);
    expect(tally).toEqual({ processed: 3, succeeded: 2, failed: 1, amountSucceeded: 150, amountFailed: 7 });
    expect(addTallies([tally, tally, EMPTY_TALLY])).toEqual({
      processed: 6,
      succeeded: 4,
      failed: 2,
      amountSucceeded: 300,
      amountFailed: 14,
    });
  });

  const batch = { status: "processing" as const, itemCount: 6, amountTotal: 314 };

  it("waits while items are pending and completes with the unspent amount as refund", () => {
    const half = tallyChunk(chunkItemsList, results);
    expect(decideFinalize(batch, half)).toEqual({ kind: "wait", pending: 3 });
    const all = addTallies([half, half]);
    expect(decideFinalize(batch, all)).toEqual({ kind: "complete", tally: all, refund: 14 });
  });

  it("never completes a batch that is not processing", () => {
    const all = addTallies([tallyChunk(chunkItemsList, results), tallyChunk(chunkItemsList, results)]);
    expect(decideFinalize({ ...batch, status: "completed" }, all).kind).toBe("wait");
  });

  it("refuses a tally that counts more than the batch holds", () => {
    const tally = tallyChunk(chunkItemsList, results);
    expect(() => decideFinalize(batch, addTallies([tally, tally, tally]))).toThrow(/does not add up/);
  });
});

describe("the batch as the API shows it", () => {
  function batchOf(status: Batch["status"], overrides: Partial<Batch> = {}): Batch {
    return { ...planned(3).batch, status, ...overrides };
  }

  it("shows live counts while processing", () => {
    const resource = toBatchResource(batchOf("processing"), {
      processed: 2,
      succeeded: 1,
      failed: 1,
      amountSucceeded: 1,
      amountFailed: 2,
    });
    expect(resource.counts).toEqual({
      total: 3,
      pending: 1,
      succeeded: 1,
      failed: 1,
      returned: 0,
      canceled: 0,
    });
    expect(resource.amounts).toEqual({ total: 6, succeeded: 1, failed: 2, returned: 0, canceled: 0 });
  });

  it("counts the items of a canceled batch as canceled, apart from failed ones", () => {
    expect(toBatchResource(batchOf("canceled"))).toMatchObject({
      counts: { total: 3, pending: 0, succeeded: 0, failed: 0, returned: 0, canceled: 3 },
      amounts: { total: 6, succeeded: 0, failed: 0, returned: 0, canceled: 6 },
    });
  });

  it("counts items the bank returned apart from the succeeded ones", () => {
    const batch = { ...batchOf("completed"), returned: { count: 1, amount: 4 } };
    const resource = toBatchResource(batch, {
      processed: 3,
      succeeded: 2,
      failed: 1,
      amountSucceeded: 5,
      amountFailed: 1,
    });
    expect(resource.counts).toEqual({
      total: 3,
      pending: 0,
      succeeded: 1,
      failed: 1,
      returned: 1,
      canceled: 0,
    });
    expect(resource.amounts).toEqual({ total: 6, succeeded: 1, failed: 1, returned: 4, canceled: 0 });
  });

  it("shows every item failed when the batch could not be funded", () => {
    const resource = toBatchResource(batchOf("failed", { failureCode: "insufficient_funds" }));
    expect(resource).toMatchObject({
      status: "failed",
      failure_code: "insufficient_funds",
      counts: { total: 3, pending: 0, succeeded: 0, failed: 3, canceled: 0 },
      amounts: { total: 6, succeeded: 0, failed: 6, canceled: 0 },
    });
  });

  it("reports unprocessed items of a failed batch as failed with its reason, of a canceled one as canceled", () => {
    const { chunks } = planned(2);
    const chunk = chunks[0]!;
    expect(chunkItemResources(batchOf("failed"), chunk).map((i) => [i.status, i.failure_code])).toEqual([
      ["failed", "batch_failed"],
      ["failed", "batch_failed"],
    ]);
    expect(chunkItemResources(batchOf("canceled"), chunk)[0]).toMatchObject({
      status: "canceled",
      failure_code: null,
      payment: null,
    });
    expect(chunkItemResources(batchOf("processing"), chunk)[0]).toMatchObject({
      status: "pending",
      failure_code: null,
    });
  });

  it("only a scheduled batch can be canceled", () => {
    expect(() => assertCancelable({ status: "scheduled" })).not.toThrow();
    for (const status of ["queued", "processing", "completed", "failed", "canceled"] as const) {
      expect(() => assertCancelable({ status })).toThrow(BatchNotCancelableError);
    }
  });
});

describe("stall detection (isStalled): progress, not age", () => {
  const MIN = 60_000;
  const now = 1_800_000_000_000;
  const waiting = {
    id: "bat_waiting",
    sentAtMs: now - 6 * MIN,
    lastProgressMs: now - 6 * MIN,
    lastPaidMs: 0,
  };
  const ahead = {
    id: "bat_ahead",
    sentAtMs: now - 20 * MIN,
    lastProgressMs: now - 1_000,
    lastPaidMs: now - 1_000,
  };

  it("leaves a batch waiting in a long queue behind older batches alone after 300 s", () => {
    expect(isStalled(waiting, [waiting, ahead], 40_000, now, 5 * MIN)).toBe(false);
  });

  it("sends again a batch with no progress once the items queue is empty", () => {
    expect(isStalled(waiting, [waiting, ahead], 0, now, 5 * MIN)).toBe(true);
  });

  it("sends again a batch the consumers have moved past: one sent after it is being paid", () => {
    const behind = {
      id: "bat_behind",
      sentAtMs: now - 4 * MIN,
      lastProgressMs: now - 1_000,
      lastPaidMs: now - 1_000,
    };
    expect(isStalled(waiting, [waiting, ahead, behind], 40_000, now, 5 * MIN)).toBe(true);
  });

  it("never suspects a batch that progressed within the window", () => {
    const recent = { ...waiting, lastProgressMs: now - 4 * MIN };
    expect(isStalled(recent, [recent], 0, now, 5 * MIN)).toBe(false);
  });
});
