import { describe, expect, it } from "vitest";
import type { EventResource } from "../../lib/schemas/events.js";
import { allItems, awaitBatch } from "../support/batches.js";
import { allEvents } from "../support/events.js";
import { newMerchant, openWallet } from "../support/fixtures.js";
import { prng } from "../support/workload.js";

describe("the event log under concurrent payments and batches", () => {
  it("lists exactly the state changes that happened, and a reader paging forward during the run sees each once", async () => {
    const merchant = await newMerchant("events-ordering");
    const random = prng(1402);
    const wallets = await Promise.all([0, 1, 2, 3].map(() => openWallet(merchant, "USD", 5_000)));
    const euro = await openWallet(merchant, "EUR");

    // A reader polls forward from the start while the work runs, as a merchant's consumer would.
    const seenByReader: EventResource[] = [];
    let cursor: string | undefined;
    let running = true;
    const readOnce = async () => {
      for (;;) {
        const query = new URLSearchParams({ limit: "7" });
        if (cursor) query.set("starting_after", cursor);
        const page = await merchant.http.get(`/v1/events?${query}`);
        expect(page.status).toBe(200);
        seenByReader.push(...page.body.data);
        if (page.body.data.length > 0) cursor = page.body.data.at(-1).id;
        if (!page.body.has_more) return;
      }
    };
    const reader = (async () => {
      while (running) {
        await readOnce();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    const expected: string[] = wallets.map((id) => `topup.succeeded:${id}`);
    const payments = Array.from({ length: 48 }, () => {
      const from = wallets[Math.floor(random() * 4)] as string;
      const to = wallets.filter((w) => w !== from)[Math.floor(random() * 3)] as string;
      // About one in six asks for more than any wallet can hold: recorded as declined.
      const amount = random() < 0.17 ? 1_000_000 : 1 + Math.floor(random() * 300);
      return { source: from, destination: to, amount, currency: "USD" };
    });
    const batchBodies = [0, 1].map((n) => ({
      source: wallets[n] as string,
      currency: "USD",
      items: Array.from({ length: 30 }, (_, i) => ({
        id: `b${n}-${i}`,
        destination: i % 7 === 3 ? euro : (wallets[(n + 1 + (i % 3)) % 4] as string),
        amount: 1 + i,
      })),
    }));
    const [paid, batches] = await Promise.all([
      Promise.all(payments.map((body) => merchant.http.post("/v1/payments", body))),
      Promise.all(batchBodies.map((body) => merchant.http.post("/v1/batches", body))),
    ]);
    for (const answer of paid) {
      if (answer.status === 201) expected.push(`payment.succeeded:${answer.body.id}`);
      else {
        expect(answer.status).toBe(402);
        expected.push(`payment.failed:${answer.body.error.payment.id}`);
      }
    }
    for (const created of batches) {
      const id = created.body.id as string;
      const done = await awaitBatch(merchant, id);
      expected.push(`batch.created:${id}`, `batch.released:${id}`, `batch.${done.status}:${id}`);
      for (const item of await allItems(merchant, id, "failed"))
        expected.push(`batch.item.failed:${item.id}`);
    }
    expect(expected.filter((key) => key.startsWith("batch.item.failed")).length).toBe(8);

    // Past the read horizon, the reader's last pass ends with everything.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    running = false;
    await reader;
    await readOnce();

    const listed = await allEvents(merchant);
    // A top-up is expected by the wallet it funded; everything else by its own id.
    const keyOf = (event: EventResource) =>
      `${event.type}:${event.type === "topup.succeeded" ? event.data.object.account : event.data.object.id}`;
    expect(listed.map(keyOf).sort()).toEqual([...expected].sort());
    expect(new Set(listed.map((event) => event.id)).size).toBe(listed.length);
    expect(listed.map((event) => event.id)).toEqual(listed.map((event) => event.id).sort());
    expect(seenByReader.map((event) => event.id)).toEqual(listed.map((event) => event.id));
  }, 300_000);
});
