import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../lib/openapi/document.js";
import { OPERATIONS } from "../../lib/openapi/operations.js";

type Media = { example?: unknown };
type OperationObject = {
  description?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
};

const doc = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, OperationObject>> };
const routes = Object.entries(OPERATIONS).map(([route, op]) => {
  const [method = "", path = ""] = route.split(" ");
  return { route, op, object: doc.paths[path]?.[method.toLowerCase()] as OperationObject };
});

describe("OpenAPI examples and descriptions", () => {
  it("describes every operation", () => {
    expect(routes.filter(({ object }) => !object.description).map(({ route }) => route)).toEqual([]);
  });

  it("gives every request body an example that the API's own request schema accepts", () => {
    const withBody = routes.filter(({ op }) => op.body);
    expect(withBody.map(({ route }) => route).sort()).toEqual([
      "POST /v1/accounts",
      "POST /v1/api_keys",
      "POST /v1/approval_policy",
      "POST /v1/batches",
      "POST /v1/batches/{id}/approve",
      "POST /v1/batches/{id}/reject",
      "POST /v1/fx_quotes",
      "POST /v1/holds",
      "POST /v1/holds/{id}/capture",
      "POST /v1/payments",
      "POST /v1/refunds",
      "POST /v1/risk_rules",
      "POST /v1/topups",
      "POST /v1/webhook_endpoints",
    ]);
    for (const { route, op, object } of withBody) {
      const example = object.requestBody?.content["application/json"]?.example;
      const parsed = op.body?.safeParse(example);
      expect(parsed?.success, `${route}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
    }
  });

  it("gives every success answer an example that the answer's schema accepts", () => {
    for (const { route, op, object } of routes) {
      for (const answer of op.answers) {
        const example = object.responses[String(answer.status)]?.content?.["application/json"]?.example;
        expect(example, `${route} ${answer.status}`).toBeDefined();
        const parsed = answer.schema.safeParse(example);
        expect(parsed.success, `${route} ${answer.status}: ${JSON.stringify(parsed.error?.issues)}`).toBe(
          true,
        );
      }
    }
  });

  it("shows a payment as a reader expects: distinct accounts, succeeded, minor units, no failure", () => {
    const payment = doc.paths["/v1/payments"]?.post?.responses["201"]?.content?.["application/json"]?.example;
    expect(payment).toMatchObject({
      object: "payment",
      status: "succeeded",
      amount: 1_250,
      currency: "USD",
      channel: "ledger",
      failure_code: null,
      amount_refunded: 0,
      created_at: 1_796_083_200,
    });
    const { source, destination } = payment as { source: string; destination: string };
    expect(source).toMatch(/^acct_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(destination).toMatch(/^acct_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(source).not.toBe(destination);
  });
});
