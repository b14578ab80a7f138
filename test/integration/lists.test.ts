// Filtered lists through HTTP: each filter, `created[…]` bounds in both input forms, paging both ways,
// refused combinations, and no view into another merchant's resources.
import { beforeAll, describe, expect, it } from "vitest";
import { awaitBatch } from "../support/batches.js";
import { newMerchant, openBankAccount, openWallet, type TestMerchant } from "../support/fixtures.js";
import { sleep } from "../support/sqs-emulator.js";

let merchant: TestMerchant;
let other: TestMerchant;
let wallet: string;
let alice: string;
let bob: string;
let bank: string;
let empty: string;
/** Every payment the merchant made, newest first. */
let newestFirst: { id: string; source: string; destination: string; status: string; created_at: number }[];
let batchId: string;
let batchPayments: string[];

const ids = (answer: { body: { data: { id: string }[] } }) => answer.body.data.map((item) => item.id);

async function pay(source: string, destination: string, amount: number) {
  return merchant.http.post("/v1/payments", { source, destination, amount, currency: "USD" });
}

beforeAll(async () => {
  merchant = await newMerchant("lists");
  other = await newMerchant("lists-other");
  wallet = await openWallet(merchant, "USD", 100_000);
  alice = await openWallet(merchant, "USD");
  bob = await openWallet(merchant, "USD");
  empty = await openWallet(merchant, "USD");
  bank = await openBankAccount(merchant, "000123450001");
  expect((await pay(wallet, alice, 100)).status).toBe(201);
  expect((await pay(wallet, bob, 200)).status).toBe(201);
  expect((await pay(wallet, alice, 300)).status).toBe(201);
  // A bank payout is written `processing` and then settled: it must leave the processing partition.
  expect((await pay(wallet, bank, 400)).status).toBe(201);
  expect((await pay(empty, alice, 500)).status).toBe(402);
  const batch = await merchant.http.post("/v1/batches", {
    source: wallet,
    currency: "USD",
    items: [
      { id: "a", destination: alice, amount: 10 },
      { id: "b", destination: bob, amount: 20 },
    ],
  });
  expect(batch.status).toBe(202);
  batchId = batch.body.id;
  expect((await awaitBatch(merchant, batchId)).status).toBe("completed");
  const all = await merchant.http.get("/v1/payments?limit=100");
  newestFirst = all.body.data;
  expect(newestFirst).toHaveLength(7);
  batchPayments = newestFirst
    .filter((p) => p.id && (p as { batch?: string }).batch === batchId)
    .map((p) => p.id);
  expect(batchPayments).toHaveLength(2);
});

describe("GET /v1/payments filters", () => {
  it("lists only the payments from one source, newest first", async () => {
    const answer = await merchant.http.get(`/v1/payments?source=${wallet}&limit=100`);
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual(newestFirst.filter((p) => p.source === wallet).map((p) => p.id));
    expect(ids(answer)).toHaveLength(6);
    expect(answer.body.has_more).toBe(false);
  });

  it("lists only the payments to one destination", async () => {
    const answer = await merchant.http.get(`/v1/payments?destination=${alice}`);
    expect(ids(answer)).toEqual(newestFirst.filter((p) => p.destination === alice).map((p) => p.id));
    expect(ids(answer)).toHaveLength(4);
  });

  it("lists by status, and a settled bank payout is listed as succeeded only", async () => {
    const failed = await merchant.http.get("/v1/payments?status=failed");
    expect(failed.body.data.map((p: { amount: number }) => p.amount)).toEqual([500]);
    const succeeded = await merchant.http.get("/v1/payments?status=succeeded&limit=100");
    expect(ids(succeeded)).toEqual(newestFirst.filter((p) => p.status === "succeeded").map((p) => p.id));
    expect(
      succeeded.body.data.map((p: { amount: number }) => p.amount).sort((a: number, b: number) => a - b),
    ).toEqual([10, 20, 100, 200, 300, 400]);
    const processing = await merchant.http.get("/v1/payments?status=processing");
    expect(processing.body.data).toEqual([]);
  });

  it("lists the payments of one batch", async () => {
    const answer = await merchant.http.get(`/v1/payments?batch=${batchId}`);
    expect(ids(answer)).toEqual(batchPayments);
  });

  it("bounds by created time, inclusive and exclusive, in Unix seconds or RFC 3339", async () => {
    const newest = newestFirst[0] as { id: string; created_at: number };
    const t = newest.created_at;
    const atOrAfter = await merchant.http.get(`/v1/payments?created[gte]=${t}&limit=100`);
    expect(ids(atOrAfter)).toEqual(newestFirst.filter((p) => p.created_at >= t).map((p) => p.id));
    expect(ids(atOrAfter)).toContain(newest.id);
    const iso = new Date(t * 1000).toISOString().replace(".000Z", "Z");
    const sameAsIso = await merchant.http.get(
      `/v1/payments?created[gte]=${encodeURIComponent(iso)}&limit=100`,
    );
    expect(ids(sameAsIso)).toEqual(ids(atOrAfter));
    const after = await merchant.http.get(`/v1/payments?created[gt]=${t}`);
    expect(after.body.data).toEqual([]);
    const atOrBefore = await merchant.http.get(`/v1/payments?created[lte]=${t}&limit=100`);
    expect(ids(atOrBefore)).toEqual(newestFirst.map((p) => p.id));
    const before = await merchant.http.get(`/v1/payments?created[lt]=${t}&limit=100`);
    expect(ids(before)).toEqual(newestFirst.filter((p) => p.created_at < t).map((p) => p.id));
    const window = await merchant.http.get(
      `/v1/payments?created[gte]=${t - 3600}&created[lte]=${t}&source=${wallet}&limit=100`,
    );
    expect(ids(window)).toEqual(newestFirst.filter((p) => p.source === wallet).map((p) => p.id));
    const inverted = await merchant.http.get(`/v1/payments?created[gte]=${t}&created[lte]=${t - 1}`);
    expect(inverted.status).toBe(200);
    expect(inverted.body.data).toEqual([]);
  });

  it("pages forward with starting_after and back with ending_before, within a filter", async () => {
    const fromWallet = newestFirst.filter((p) => p.source === wallet).map((p) => p.id);
    const first = await merchant.http.get(`/v1/payments?source=${wallet}&limit=2`);
    expect(ids(first)).toEqual(fromWallet.slice(0, 2));
    expect(first.body.has_more).toBe(true);
    const second = await merchant.http.get(
      `/v1/payments?source=${wallet}&limit=2&starting_after=${fromWallet[1]}`,
    );
    expect(ids(second)).toEqual(fromWallet.slice(2, 4));
    expect(second.body.has_more).toBe(true);
    const back = await merchant.http.get(
      `/v1/payments?source=${wallet}&limit=2&ending_before=${fromWallet[2]}`,
    );
    expect(ids(back)).toEqual(fromWallet.slice(0, 2));
    expect(back.body.has_more).toBe(false);
    const backOne = await merchant.http.get(
      `/v1/payments?source=${wallet}&limit=1&ending_before=${fromWallet[2]}`,
    );
    expect(ids(backOne)).toEqual(fromWallet.slice(1, 2));
    expect(backOne.body.has_more).toBe(true);
    const last = await merchant.http.get(
      `/v1/payments?source=${wallet}&limit=2&starting_after=${fromWallet[5]}`,
    );
    expect(last.body).toMatchObject({ data: [], has_more: false });
  });

  it("finds nothing with another merchant's account or batch id", async () => {
    for (const query of [`source=${wallet}`, `destination=${alice}`, `batch=${batchId}`]) {
      const answer = await other.http.get(`/v1/payments?${query}`);
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual([]);
    }
  });

  it("refuses two filters at once, both cursors at once, and malformed values, naming the parameter", async () => {
    const two = await merchant.http.get(`/v1/payments?status=failed&source=${wallet}`);
    expect(two.status).toBe(400);
    expect(two.body.error).toMatchObject({ code: "parameter_invalid", param: "source" });
    expect(two.body.error.message).toContain("cannot be combined with status");
    const cursors = await merchant.http.get(
      `/v1/payments?starting_after=${newestFirst[0]?.id}&ending_before=${newestFirst[1]?.id}`,
    );
    expect(cursors.status).toBe(400);
    expect(cursors.body.error).toMatchObject({ code: "parameter_invalid", param: "ending_before" });
    for (const [query, param] of [
      ["status=done", "status"],
      ["source=pay_01", "source"],
      ["batch=acct_01", "batch"],
      ["created[gte]=yesterday", "created[gte]"],
      ["created[after]=1", "created[after]"],
    ]) {
      const answer = await merchant.http.get(`/v1/payments?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.param, query).toBe(param);
    }
  });
});

describe("GET /v1/batches filters", () => {
  it("lists by status and source, and a canceled batch moves to the canceled list", async () => {
    const source = await openWallet(merchant, "USD", 1_000);
    // created[gte] compares whole seconds: start this batch in a later second
    // than the completed one, or both would match the filter below.
    const earlier = (await merchant.http.get(`/v1/batches/${batchId}`)).body.created_at as number;
    while (Math.floor(Date.now() / 1000) <= earlier) await sleep(50);
    const scheduled = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: Math.floor(Date.now() / 1000) + 86_400,
      items: [{ id: "x", destination: alice, amount: 1 }],
    });
    expect(scheduled.status).toBe(202);
    const bySource = await merchant.http.get(`/v1/batches?source=${source}`);
    expect(ids(bySource)).toEqual([scheduled.body.id]);
    const scheduledList = await merchant.http.get("/v1/batches?status=scheduled&limit=100");
    expect(ids(scheduledList)).toContain(scheduled.body.id);
    const completed = await merchant.http.get("/v1/batches?status=completed&limit=100");
    expect(ids(completed)).toEqual([batchId]);
    expect((await merchant.http.post(`/v1/batches/${scheduled.body.id}/cancel`)).status).toBe(200);
    const canceled = await merchant.http.get("/v1/batches?status=canceled");
    expect(ids(canceled)).toEqual([scheduled.body.id]);
    const stillScheduled = await merchant.http.get("/v1/batches?status=scheduled&limit=100");
    expect(ids(stillScheduled)).not.toContain(scheduled.body.id);
    const createdAt = scheduled.body.created_at as number;
    const recent = await merchant.http.get(`/v1/batches?created[gte]=${createdAt}`);
    expect(ids(recent)).toEqual([scheduled.body.id]);
    const both = await merchant.http.get(`/v1/batches?status=canceled&source=${source}`);
    expect(both.status).toBe(400);
    expect(both.body.error.param).toBe("source");
    const foreign = await other.http.get(`/v1/batches?source=${source}`);
    expect(foreign.body.data).toEqual([]);
  });
});
