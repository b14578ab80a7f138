import { describe, expect, it } from "vitest";
import { readCounts, resetCounts } from "../../scripts/local/dynamo-counter.js";
import { newMerchant, openWallet } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

// The handlers reach DynamoDB Local through a counting pass-through, so these are real requests.
describe("DynamoDB round trips", () => {
  it("a successful ledger payment costs exactly one DynamoDB request (one TransactWriteItems)", async () => {
    const counter = stackContext().dynamoCounterUrl;
    const merchant = await newMerchant("round-trips");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    // Warm the container and its key cache, as any live API is.
    await merchant.http.post("/v1/payments", { source, destination, amount: 1, currency: "USD" });
    await resetCounts(counter);
    const paid = await merchant.http.post(
      "/v1/payments",
      { source, destination, amount: 2, currency: "USD" },
      { headers: { "idempotency-key": "rt-1" } },
    );
    expect(paid.status).toBe(201);
    expect(await readCounts(counter)).toEqual({
      total: 1,
      operations: { TransactWriteItems: 1 },
      conflicts: {},
    });
  });

  it("an idempotent replay costs the failed transaction plus one read of the stored response", async () => {
    const counter = stackContext().dynamoCounterUrl;
    const merchant = await newMerchant("round-trips-replay");
    const source = await openWallet(merchant, "USD", 1_000);
    const destination = await openWallet(merchant, "USD");
    const body = { source, destination, amount: 3, currency: "USD" };
    await merchant.http.post("/v1/payments", body, { headers: { "idempotency-key": "rt-2" } });
    await resetCounts(counter);
    const replay = await merchant.http.post("/v1/payments", body, { headers: { "idempotency-key": "rt-2" } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await readCounts(counter)).toEqual({
      total: 2,
      operations: { TransactWriteItems: 1, GetItem: 1 },
      conflicts: {},
    });
  });

  it("a declined payment costs the failed transaction, one read of both accounts, one look for pending credits and one write of the record", async () => {
    const counter = stackContext().dynamoCounterUrl;
    const merchant = await newMerchant("round-trips-decline");
    const source = await openWallet(merchant, "USD", 1);
    const destination = await openWallet(merchant, "USD");
    await merchant.http.post("/v1/payments", { source, destination, amount: 1, currency: "USD" });
    await resetCounts(counter);
    const declined = await merchant.http.post("/v1/payments", {
      source,
      destination,
      amount: 5,
      currency: "USD",
    });
    expect(declined.status).toBe(402);
    expect(await readCounts(counter)).toEqual({
      total: 4,
      operations: { TransactWriteItems: 2, BatchGetItem: 1, Query: 1 },
      conflicts: {},
    });
  });
});
