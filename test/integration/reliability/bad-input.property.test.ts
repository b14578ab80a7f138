import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { recordFigures } from "../../support/figures.js";
import { balanceOf, newMerchant, openWallet, type TestMerchant } from "../../support/fixtures.js";

// Property-based bad input: random and mutated bodies on every write route. Whatever arrives, the
// answer is never a 5xx, every 4xx has the documented error shape, and a refused request writes
// nothing (counted through the list routes and the wallet balance).

const SCALE = process.env.PAYRAIL_SOAK === "1" ? 10 : 1;
const tried = {
  "mutated payment bodies": 0,
  "arbitrary bodies on write routes": 0,
  "hostile list queries": 0,
  "hostile path ids": 0,
};
let merchant: TestMerchant;
let source: string;
let destination: string;

beforeAll(async () => {
  merchant = await newMerchant("bad-input");
  source = await openWallet(merchant, "USD", 5_000);
  destination = await openWallet(merchant, "USD");
});

const weird = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.double(),
  fc.bigInt().map(String),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  fc.constantFrom(-1, 0, 0.1, 1e21, Number.MAX_SAFE_INTEGER + 2, "1", "", null, true, [], {}),
  fc.constant("x".repeat(5_000)),
);

/** JSON nested `depth` objects deep, built as text (JSON.stringify itself would overflow). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** `depth` nested arrays: 5,000 levels are 10 KB. */
function deepArray(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** Every case goes once without and once with an Idempotency-Key (the key's fingerprint walks the body). */
const keyed = fc
  .boolean()
  .map((withKey) =>
    withKey ? { "idempotency-key": `bad-input-${crypto.randomUUID()}` } : ({} as Record<string, string>),
  );

/** Any bytes at all, percent-encoded one by one: invalid UTF-8, NUL, '/', '%', of any length. */
const anyBytes = (maxLength: number) =>
  fc
    .uint8Array({ maxLength })
    .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join(""));

/** Path ids and query values of every length and byte, and near misses of real ids. */
const hostileText = fc.oneof(
  anyBytes(40),
  anyBytes(3_000),
  fc.string({ unit: "grapheme", maxLength: 300 }).map(encodeURIComponent),
  fc.nat({ max: 3_000 }).map((n) => `pay_${"A".repeat(n)}`),
  fc.constantFrom("acct_", "pay_", "bat_", "tu_", "pay_0000000000000000000000000", "%00", "..", "%2F"),
);

async function countWrites(): Promise<number> {
  const [accounts, payments, batches] = await Promise.all([
    merchant.http.get("/v1/accounts?limit=100"),
    merchant.http.get("/v1/payments?limit=100"),
    merchant.http.get("/v1/batches?limit=100"),
  ]);
  const canceled = batches.body.data.filter((b: { status: string }) => b.status === "canceled").length;
  return accounts.body.data.length + payments.body.data.length + batches.body.data.length + canceled;
}

function expectErrorShape(answer: { status: number; body: any; text: string }) {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(answer.body.error.type).toEqual(expect.any(String));
  expect(answer.body.error.code).toEqual(expect.any(String));
  expect(answer.body.error.message).toEqual(expect.any(String));
  expect(answer.body.error.request_id).toMatch(/^req_/);
}

/** Called at the end of each property: reaching it means every case so far was a 4xx and wrote nothing. */
function record() {
  recordFigures("bad-input", { ...tried, "5xx answers": 0, "writes caused": 0 });
}

describe("property: bad input never causes a 5xx or a write", () => {
  it("mutated payment bodies", async () => {
    const before = await countWrites();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("source", "destination", "amount", "currency", "description", "metadata", "extra"),
        weird,
        keyed,
        async (field, value, headers) => {
          // A random value can happen to be valid (amount 7): such a case is not bad input.
          fc.pre(
            !(field === "amount" && typeof value === "number" && Number.isSafeInteger(value) && value > 0),
          );
          // An extra field set to undefined is dropped by JSON.stringify: the body is simply valid.
          fc.pre(!(field === "extra" && value === undefined));
          const body: Record<string, unknown> = {
            source,
            destination,
            amount: 1,
            currency: "USD",
            [field]: value,
          };
          // Optional fields accept many values; an invalid amount keeps the request bad either way.
          if (field === "description" || field === "metadata") body.amount = -1;
          const answer = await merchant.http.post("/v1/payments", body, { headers });
          tried["mutated payment bodies"]++;
          expectErrorShape(answer);
        },
      ),
      { numRuns: 60 * SCALE },
    );
    expect(await countWrites()).toBe(before);
    expect(await balanceOf(merchant, source)).toBe(5_000);
    record();
  });

  it("arbitrary JSON and non-JSON bodies on every write route", async () => {
    const before = await countWrites();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/accounts", "/v1/topups", "/v1/payments", "/v1/refunds", "/v1/batches"),
        fc.oneof(
          fc.json({ maxDepth: 4 }).filter((text) => {
            const parsed = JSON.parse(text);
            return !(parsed && typeof parsed === "object" && !Array.isArray(parsed) && "currency" in parsed);
          }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constant(deepJson(100_000)),
          fc.constant(deepJson(5_000)),
          fc.constant(deepArray(5_000)),
          fc.constant(`{"currency":"USD","metadata":${deepJson(5_000)}}`),
          fc.constant('{"currency": "USD", "currency": "USD", "__proto__": {"type": "bank"}}'),
        ),
        keyed,
        async (path, raw, headers) => {
          const answer = await merchant.http.call("POST", path, { raw, headers });
          tried["arbitrary bodies on write routes"]++;
          expectErrorShape(answer);
        },
      ),
      { numRuns: 80 * SCALE },
    );
    expect(await countWrites()).toBe(before);
    record();
  });

  it("hostile query strings on list routes", async () => {
    const batch = await merchant.http.post("/v1/batches", {
      source,
      currency: "USD",
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      items: [{ id: "only", destination, amount: 1 }],
    });
    expect(batch.status).toBe(202);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/accounts", "/v1/payments", "/v1/batches", `/v1/batches/${batch.body.id}/items`),
        fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), hostileText),
        fc.oneof(fc.string({ maxLength: 40 }).map(encodeURIComponent), hostileText),
        fc.constantFrom("limit", "starting_after", "status", "", "%00", "limit%5B%5D"),
        async (path, limit, after, name) => {
          const query = `limit=${limit}&starting_after=${after}${name ? `&${name}=${limit}` : ""}`;
          const answer = await merchant.http.get(`${path}?${query}`);
          tried["hostile list queries"]++;
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expectErrorShape(answer);
        },
      ),
      { numRuns: 40 * SCALE },
    );
    record();
  });

  it("path ids of every length and byte on every route with an id", async () => {
    const before = await countWrites();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "GET /v1/accounts/",
          "GET /v1/topups/",
          "GET /v1/payments/",
          "GET /v1/refunds/",
          "GET /v1/batches/",
          "GET /v1/batches/{id}/items",
          "POST /v1/batches/{id}/cancel",
        ),
        hostileText,
        keyed,
        async (route, id, headers) => {
          fc.pre(id !== ""); // `/v1/accounts/` is the list itself
          const [method = "GET", template = ""] = route.split(" ");
          const path = template.includes("{id}") ? template.replace("{id}", id) : `${template}${id}`;
          const answer = await merchant.http.call(method, path, { headers });
          tried["hostile path ids"]++;
          expectErrorShape(answer);
        },
      ),
      { numRuns: 80 * SCALE },
    );
    expect(await countWrites()).toBe(before);
    record();
  });
});
