import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Stack, type StackOptions, startStack } from "../../../scripts/local/stack.js";
import { allItems, poll, sumOfBalances } from "../../support/batches.js";
import { recordFigures } from "../../support/figures.js";
import { newMerchantOn } from "../../support/fixtures.js";
import { HttpCaller } from "../../support/http.js";

// The whole local stack is stopped while a 5,000-item batch is being paid, with DynamoDB Local and
// the SQS emulator on disk, and started again: the batch completes with exact counts and balances.

const dataDir = mkdtempSync(join(tmpdir(), "payrail-restart-"));
const options: StackOptions = { dataDir, scheduler: false, watch: false, visibilityTimeoutSeconds: 5 };
let stack: Stack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("restart mid-batch", () => {
  it("completes a 5,000-item batch interrupted by a full stop of the stack", async () => {
    stack = await startStack(options);
    let merchant = await newMerchantOn(stack, "restart");
    const source = (await merchant.http.post("/v1/accounts", { currency: "USD" })).body.id as string;
    await merchant.http.post("/v1/topups", { account: source, amount: 10_000_000, currency: "USD" });
    const destinations: string[] = [];
    for (let i = 0; i < 50; i++)
      destinations.push((await merchant.http.post("/v1/accounts", { currency: "USD" })).body.id);
    const items = Array.from({ length: 5_000 }, (_, i) => ({
      id: `pay-${i}`,
      destination: destinations[i % 50],
      amount: 1 + (i % 97),
    }));
    const total = items.reduce((sum, item) => sum + item.amount, 0);
    const submitted = await merchant.http.post("/v1/batches", { source, currency: "USD", items });
    expect(submitted.status).toBe(202);

    // Stop everything once payment is under way but far from done.
    const midway = await poll(
      () => merchant.http.get(`/v1/batches/${submitted.body.id}`),
      (got) => got.body.counts.succeeded > 0,
      60_000,
    );
    expect(midway.body.counts.succeeded).toBeLessThan(5_000);
    await stack.stop();
    stack = undefined;

    stack = await startStack(options);
    merchant = { ...merchant, http: new HttpCaller(stack.httpUrl, merchant.apiKey) };
    const restarted = stack;
    // Messages that were in flight when the stack died come back after their visibility timeout;
    // the scheduler's stall sweep re-sends any chunk whose message was lost.
    const done = await poll(
      async () => {
        await restarted.invoke("scheduler", { time: new Date(Date.now() + 3_600_000).toISOString() });
        return merchant.http.get(`/v1/batches/${submitted.body.id}`);
      },
      (got) => got.body.status === "completed",
      120_000,
    );
    expect(done.body).toMatchObject({
      status: "completed",
      counts: { total: 5_000, pending: 0, succeeded: 5_000, failed: 0, returned: 0 },
      amounts: { total, succeeded: total, failed: 0, returned: 0 },
    });
    const paid = await allItems(merchant, submitted.body.id, "succeeded");
    expect(paid).toHaveLength(5_000);
    expect(new Set(paid.map((item) => item.payment)).size).toBe(5_000);
    const balances = await Promise.all(
      destinations.map(async (d) => (await merchant.http.get(`/v1/accounts/${d}`)).body.balance as number),
    );
    const expected = destinations.map((_, d) =>
      items.filter((_, i) => i % 50 === d).reduce((s, it) => s + it.amount, 0),
    );
    expect(balances).toEqual(expected);
    expect((await merchant.http.get(`/v1/accounts/${source}`)).body.balance).toBe(10_000_000 - total);
    expect(await sumOfBalances(merchant)).toBe(10_000_000);
    recordFigures("restart", {
      "batch items": 5_000,
      "items paid when the stack was stopped": midway.body.counts.succeeded,
      "items succeeded after restart": done.body.counts.succeeded,
      "items paid twice": 5_000 - new Set(paid.map((item) => item.payment)).size,
      "money created or lost (minor units)": (await sumOfBalances(merchant)) - 10_000_000,
    });
    // Two full stack starts plus 5,000 items took 62 s on a quiet machine once the dashboard build and
    // the stream poller joined the stack: over the integration suite's 60 s default.
  }, 300_000);
});
