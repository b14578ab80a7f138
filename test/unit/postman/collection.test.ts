import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createAccountSchema } from "../../../lib/schemas/accounts.js";
import { createBatchSchema } from "../../../lib/schemas/batches.js";
import { createPaymentSchema } from "../../../lib/schemas/payments.js";
import { createTopupSchema } from "../../../lib/schemas/topups.js";
import { buildCollection, type OpenApiDocument } from "../../../scripts/postman/collection.js";

const doc = JSON.parse(readFileSync("openapi.json", "utf8")) as OpenApiDocument;
const collection = buildCollection(doc) as any;
const requests = collection.item.flatMap((folder: any) => folder.item) as any[];
const byName = (name: string) => requests.find((r) => r.name === name)!;

/** What the flow's variables hold when a request runs. */
const VARIABLES: Record<string, string> = {
  account_id: "acct_01M8A806SVF9J6VHHWWVKTEMJC",
  destination_id: "acct_01M8A806SVF9J6VHHWWVKTEMJD",
  scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
};
const bodyOf = (name: string) =>
  JSON.parse(
    byName(name).request.body.raw.replace(/\{\{(\w+)\}\}/g, (_: string, v: string) => VARIABLES[v]!),
  );

describe("Postman collection from openapi.json", () => {
  it("has one request per operation (and a second account to pay, a second hold to void, payments held for review), with the key as a bearer variable", () => {
    const operations = Object.values(doc.paths).flatMap((ops) => Object.keys(ops));
    // + a second account, a second hold, what approving and rejecting a batch need (a policy, an
    // approver key, a batch each) and the review setup (a payee, its rule, a parked payment twice).
    expect(requests).toHaveLength(operations.length + 2 + 4 + 4);
    const review = requests
      .map((r: { name: string }) => r.name)
      .filter((name: string) => /review/i.test(name));
    expect(review).toEqual([
      "Open an account (payee to review)",
      "Set a risk rule (review payments to that payee)",
      "Make a real-time payment (held for review)",
      "Approve a payment held for review",
      "Make a real-time payment (held for review)",
      "Decline a payment held for review",
    ]);
    const approvals = requests
      .map((r: { name: string }) => r.name)
      .filter((name: string) => /approv|reject|to approve|to reject/i.test(name) && !/review/i.test(name));
    expect(approvals).toEqual([
      "Require approval of every batch",
      "Create an API key (approver)",
      "Create a batch (to approve)",
      "Approve a batch that requires approval",
      "Create a batch (to reject)",
      "Reject a batch that requires approval",
      "Retrieve the batch approval policy",
      "Set the batch approval policy",
    ]);
    expect(byName("Approve a batch that requires approval").request.auth).toEqual({
      type: "bearer",
      bearer: [{ key: "token", value: "{{approver_key}}", type: "string" }],
    });
    const holds = requests.map((r: { name: string }) => r.name).filter((name: string) => /hold/i.test(name));
    expect(holds).toEqual([
      "List holds",
      "Hold an amount on a wallet",
      "Retrieve a hold",
      "Capture a hold",
      "Hold an amount on a wallet (to void)",
      "Void a hold",
    ]);
    expect(collection.auth).toEqual({
      type: "bearer",
      bearer: [{ key: "token", value: "{{secret_key}}", type: "string" }],
    });
    expect(collection.variable.map((v: any) => v.key)).toEqual([
      "baseUrl",
      "secret_key",
      "account_id",
      "topup_id",
      "payment_id",
      "batch_id",
      "refund_id",
      "event_id",
      "webhook_endpoint_id",
      "hold_id",
      "fx_quote_id",
      "risk_rule_id",
      "api_key_id",
      "destination_id",
      "approver_key",
      "review_payee_id",
      "review_rule_id",
      "review_payment_id",
      "scheduled_at",
    ]);
    expect(byName("This OpenAPI document").request.auth).toEqual({ type: "noauth" });
    expect(byName("Retrieve a batch").request.url.raw).toBe("{{baseUrl}}/v1/batches/{{batch_id}}");
  });

  it("adds an Idempotency-Key to every POST in a pre-request script", () => {
    const script = collection.event.find((e: any) => e.listen === "prerequest").script.exec.join("\n");
    expect(script).toContain('pm.request.method === "POST"');
    expect(script).toContain(
      'pm.request.headers.add({ key: "Idempotency-Key", value: pm.variables.replaceIn("{{$guid}}") })',
    );
  });

  it("gives every POST an example body that the API's own request schema accepts", () => {
    expect(createAccountSchema.parse(bodyOf("Open an account"))).toEqual({
      currency: "USD",
      name: "Postman wallet",
      type: "wallet",
    });
    expect(createTopupSchema.safeParse(bodyOf("Top up a wallet (test mode only)")).success).toBe(true);
    expect(createPaymentSchema.safeParse(bodyOf("Make a real-time payment")).success).toBe(true);
    expect(createBatchSchema().safeParse(bodyOf("Submit a batch of payments")).success).toBe(true);
    expect(bodyOf("Top up a wallet (test mode only)").amount).toBe(1_000_000);
  });

  it("tests each answer against the success statuses the document lists", () => {
    const test = byName("Make a real-time payment").event[0].script.exec.join("\n");
    expect(test).toContain("pm.expect(pm.response.code).to.be.oneOf([201,202]);");
    expect(test).toContain('pm.collectionVariables.set("payment_id", pm.response.json().id);');
  });
});
