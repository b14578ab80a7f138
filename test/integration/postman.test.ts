// The generated Postman collection (postman/payrail.postman_collection.json, `npm run postman`) run
// by newman against the local stack: every request passes its test, in order, with one merchant key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import newman from "newman";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/local/project.js";
import { buildCollection, type OpenApiDocument } from "../../scripts/postman/collection.js";
import { newMerchant, type TestMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

const committed = JSON.parse(
  readFileSync(join(PROJECT_ROOT, "postman", "payrail.postman_collection.json"), "utf8"),
);

function runNewman(options: newman.NewmanRunOptions): Promise<newman.NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(options, (error, summary) => (error ? reject(error) : resolve(summary)));
  });
}

async function firstListedEvent(merchant: TestMerchant): Promise<string> {
  const wallet = await merchant.http.post("/v1/accounts", { currency: "USD", name: "postman events" });
  expect(wallet.status).toBe(201);
  const topup = await merchant.http.post("/v1/topups", {
    account: wallet.body.id,
    amount: 100,
    currency: "USD",
  });
  expect(topup.status).toBe(201);
  for (let attempt = 0; attempt < 60; attempt++) {
    const listed = await merchant.http.get("/v1/events?limit=1");
    const id = listed.body.data?.[0]?.id;
    if (typeof id === "string") return id;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("no event was listed within 30 s");
}

describe("Postman collection", () => {
  it("is the one generated from the committed openapi.json", () => {
    const doc = JSON.parse(readFileSync(join(PROJECT_ROOT, "openapi.json"), "utf8")) as OpenApiDocument;
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildCollection(doc))));
  });

  it("runs green in newman against the local stack: every request answers a documented success", async () => {
    const merchant = await newMerchant("postman");
    // Events are listed once they are older than the list's read horizon (5 s), longer than the
    // whole run: the event that "Send an event again" redelivers is made and waited for first.
    const eventId = await firstListedEvent(merchant);
    const summary = await runNewman({
      collection: committed,
      envVar: [
        { key: "baseUrl", value: stackContext().httpUrl },
        { key: "secret_key", value: merchant.apiKey },
        { key: "event_id", value: eventId },
      ],
      reporters: [],
      timeoutRequest: 30_000,
    });
    const executions = summary.run.executions.map((execution) => ({
      name: execution.item.name,
      status: execution.response?.code,
      failed: (execution.assertions ?? []).filter((a) => a.error).map((a) => a.error?.message),
    }));
    expect(summary.run.failures.map((f) => `${f.source?.name}: ${f.error.message}`)).toEqual([]);
    expect(executions.filter((e) => e.failed.length > 0)).toEqual([]);
    // The flow of the operations known today, in order (operations added later join it).
    const known = new Set([
      "List accounts",
      "Open an account",
      "Open an account (destination)",
      "Retrieve an account",
      "Top up a wallet (test mode only)",
      "Retrieve a top-up",
      "List payments",
      "Make a real-time payment",
      "Retrieve a payment",
      "List batches",
      "Submit a batch of payments",
      "Retrieve a batch",
      "List a batch's items",
      "Cancel a scheduled batch",
      "This OpenAPI document",
      "Authenticated no-op",
    ]);
    expect(executions.filter((e) => known.has(e.name)).map((e) => [e.name, e.status])).toEqual([
      ["List accounts", 200],
      ["Open an account", 201],
      ["Open an account (destination)", 201],
      ["Retrieve an account", 200],
      ["Top up a wallet (test mode only)", 201],
      ["Retrieve a top-up", 200],
      ["List payments", 200],
      ["Make a real-time payment", 201],
      ["Retrieve a payment", 200],
      ["List batches", 200],
      ["Submit a batch of payments", 202],
      ["Retrieve a batch", 200],
      ["List a batch's items", 200],
      ["Cancel a scheduled batch", 200],
      ["This OpenAPI document", 200],
      ["Authenticated no-op", 200],
    ]);
    expect(summary.run.stats.assertions).toMatchObject({ total: executions.length, failed: 0 });
    // Each POST carried its own Idempotency-Key from the collection's pre-request script.
    const keys = summary.run.executions
      .filter((e) => e.request.method === "POST")
      .map((e) => e.request.headers.get("Idempotency-Key"));
    expect(keys.length).toBeGreaterThanOrEqual(6);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });
});
