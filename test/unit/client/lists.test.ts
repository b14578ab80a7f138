import { describe, expect, it } from "vitest";
import { Payrail } from "../../../client/index.js";
import { fakeFetch, PAYMENT } from "./fake-fetch.js";

const pay = (n: number) => ({ ...PAYMENT, id: `pay_01JD8X3V9Q00000000000000${String(n).padStart(2, "0")}` });
const page = (url: string, ids: number[], hasMore: boolean) => ({
  status: 200,
  body: { object: "list", url, data: ids.map(pay), has_more: hasMore },
  headers: { "request-id": `req_${ids[0] ?? "empty"}` },
});

function client(fetch: typeof globalThis.fetch) {
  return new Payrail({ apiKey: "sk_test_abc", baseUrl: "http://127.0.0.1:3000", fetch });
}

describe("client lists", () => {
  it("auto-pages with starting_after set to the last id of each page", async () => {
    const fake = fakeFetch([
      page("/v1/payments", [9, 8, 7], true),
      page("/v1/payments", [6, 5, 4], true),
      page("/v1/payments", [3], false),
    ]);
    const seen: string[] = [];
    for await (const payment of client(fake.fetch).payments.list({ limit: 3 })) seen.push(payment.id);
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3].map((n) => pay(n).id));
    expect(fake.requests.map((r) => r.url.search)).toEqual([
      "?limit=3",
      `?limit=3&starting_after=${pay(7).id}`,
      `?limit=3&starting_after=${pay(4).id}`,
    ]);
  });

  it("answers one page, with its response meta, from page()", async () => {
    const fake = fakeFetch([page("/v1/payments", [5, 4], true)]);
    const first = await client(fake.fetch)
      .payments.list({ limit: 2, starting_after: pay(6).id })
      .page();
    expect(first.data.map((p) => p.id)).toEqual([pay(5).id, pay(4).id]);
    expect(first.has_more).toBe(true);
    expect(first.lastResponse.requestId).toBe("req_5");
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.url.search).toBe(`?limit=2&starting_after=${pay(6).id}`);
  });

  it("stops on an empty page even if has_more is true", async () => {
    const fake = fakeFetch([page("/v1/payments", [], true)]);
    expect(await client(fake.fetch).payments.list().toArray()).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("pages a batch's items by status and item id, with the batch id escaped in the path", async () => {
    const item = (id: string) => ({
      id,
      object: "batch_item",
      batch: "bat_01JD8X3V9Q0000000000000001",
      payment: null,
      destination: PAYMENT.destination,
      amount: 100,
      status: "failed",
      failure_code: "account_not_found",
      processed_at: 1,
    });
    const fake = fakeFetch([
      {
        status: 200,
        body: { object: "list", url: "/v1/batches/x/items", data: [item("row-1")], has_more: true },
      },
      {
        status: 200,
        body: { object: "list", url: "/v1/batches/x/items", data: [item("row-2")], has_more: false },
      },
    ]);
    const items = await client(fake.fetch)
      .batches.listItems("bat_01JD8X3V9Q0000000000000001", { status: "failed", limit: 1 })
      .toArray();
    expect(items.map((i) => i.id)).toEqual(["row-1", "row-2"]);
    expect(fake.requests.map((r) => `${r.url.pathname}${r.url.search}`)).toEqual([
      "/v1/batches/bat_01JD8X3V9Q0000000000000001/items?status=failed&limit=1",
      "/v1/batches/bat_01JD8X3V9Q0000000000000001/items?status=failed&limit=1&starting_after=row-1",
    ]);
    const escaped = fakeFetch([{ status: 200, body: PAYMENT }]);
    await client(escaped.fetch).payments.retrieve("pay_1/../x");
    expect(escaped.requests[0]?.url.pathname).toBe("/v1/payments/pay_1%2F..%2Fx");
  });

  it("posts to the cancel route with an Idempotency-Key and an empty body", async () => {
    const fake = fakeFetch([{ status: 200, body: { id: "bat_1", object: "batch", status: "canceled" } }]);
    const batch = await client(fake.fetch).batches.cancel("bat_1");
    expect(batch.status).toBe("canceled");
    expect(fake.requests[0]?.method).toBe("POST");
    expect(fake.requests[0]?.url.pathname).toBe("/v1/batches/bat_1/cancel");
    expect(fake.requests[0]?.body).toEqual({});
    expect(fake.requests[0]?.headers["idempotency-key"]).toBeDefined();
  });
});
