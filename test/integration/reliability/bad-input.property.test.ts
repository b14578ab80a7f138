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

async function countWrites(): Promise<number> {
  const [accounts, payments] = await Promise.all([
    merchant.http.get("/v1/accounts?limit=100"),
    merchant.http.get("/v1/payments?limit=100"),
  ]);
  return accounts.body.data.length + payments.body.data.length;
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
        async (field, value) => {
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
          const answer = await merchant.http.post("/v1/payments", body);
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
        fc.constantFrom("/v1/accounts", "/v1/topups", "/v1/payments", "/v1/batches"),
        fc.oneof(
          fc.json({ maxDepth: 4 }).filter((text) => {
            const parsed = JSON.parse(text);
            return !(parsed && typeof parsed === "object" && !Array.isArray(parsed) && "currency" in parsed);
          }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.constant(deepJson(100_000)),
          fc.constant('{"currency": "USD", "currency": "USD", "__proto__": {"type": "bank"}}'),
        ),
        async (path, raw) => {
          const answer = await merchant.http.call("POST", path, { raw });
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
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/accounts", "/v1/payments", "/v1/batches"),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        async (path, limit, after) => {
          const query = new URLSearchParams({ limit, starting_after: after }).toString();
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
});
