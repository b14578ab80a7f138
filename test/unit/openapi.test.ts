import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import * as errors from "../../lib/errors.js";
import { ROUTES } from "../../lib/http/routes.js";
import { buildOpenApiDocument, serializeOpenApiDocument } from "../../lib/openapi/index.js";
import { PAYMENT_FAILURE_CODES } from "../../lib/schemas/payments.js";
import { REFUND_FAILURE_CODES } from "../../lib/schemas/refunds.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const document = buildOpenApiDocument();
const errorCodeEnum = (document.components.schemas.ErrorCode as { enum: string[] }).enum;

/** One instance of every error class, with each code it can carry. */
const ERROR_SAMPLES: Record<string, errors.PayrailError[]> = {
  InvalidRequestError: [new errors.InvalidRequestError("body_not_json", "")],
  InvalidParametersError: [
    new errors.InvalidParametersError([{ param: "amount", code: "parameter_invalid", message: "" }]),
  ],
  BodyTooLargeError: [new errors.BodyTooLargeError(6)],
  AuthenticationError: [
    new errors.AuthenticationError("api_key_missing", ""),
    new errors.AuthenticationError("api_key_invalid", ""),
  ],
  ResourceMissingError: [new errors.ResourceMissingError("payment", "pay_1")],
  RouteNotFoundError: [new errors.RouteNotFoundError("GET", "/v2")],
  MethodNotAllowedError: [new errors.MethodNotAllowedError("PUT", "/v1/payments", ["GET"])],
  IdempotencyKeyReusedError: [new errors.IdempotencyKeyReusedError()],
  IdempotencyKeyInUseError: [new errors.IdempotencyKeyInUseError()],
  PaymentFailedError: PAYMENT_FAILURE_CODES.map((code) => new errors.PaymentFailedError(code, "", {})),
  BatchNotCancelableError: [new errors.BatchNotCancelableError("completed")],
  PermissionDeniedError: [
    new errors.PermissionDeniedError("read_only", "POST /v1/payments", ["admin", "payer"]),
  ],
  ApproverIsCreatorError: [new errors.ApproverIsCreatorError()],
  BatchNotAwaitingApprovalError: [new errors.BatchNotAwaitingApprovalError("queued", {})],
  CannotRevokeOwnKeyError: [new errors.CannotRevokeOwnKeyError()],
  RefundFailedError: REFUND_FAILURE_CODES.map((code) => new errors.RefundFailedError(code, "", {})),
  PaymentNotRefundableError: [new errors.PaymentNotRefundableError("")],
  BatchUnfundedError: [new errors.BatchUnfundedError(1, 2, "USD")],
  HoldDeclinedError: [new errors.HoldDeclinedError("insufficient_funds", "")],
  HoldNotActiveError: [new errors.HoldNotActiveError("", {})],
  ServiceUnavailableError: [new errors.ServiceUnavailableError("")],
  LiveModeUnavailableError: [new errors.LiveModeUnavailableError()],
  TestModeOnlyError: [new errors.TestModeOnlyError("Top-ups")],
  PaymentNotInReviewError: [new errors.PaymentNotInReviewError("", {})],
  TooManyRiskRulesError: [new errors.TooManyRiskRulesError()],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.specification).toBe("OpenAPI");
    expect(document.openapi).toBe("3.1.0");
  }, 30_000); // a full schema validation takes seconds on a shared machine

  it("describes exactly the routes in ROUTES", () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...ROUTES].sort());
  });

  it("gives every operation a success answer and its error answers with the error schema", () => {
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item) as { responses: Record<string, unknown> }[]) {
        const statuses = Object.keys(operation.responses).map(Number);
        expect(statuses.some((s) => s >= 200 && s < 300)).toBe(true);
        expect(statuses).toContain(500);
      }
    }
    const createPayment = document.paths["/v1/payments"]?.post as {
      responses: Record<string, { content: { "application/json": { schema: { allOf: unknown[] } } } }>;
    };
    expect(createPayment.responses["402"]?.content["application/json"].schema.allOf[1]).toEqual({
      type: "object",
      properties: {
        error: {
          type: "object",
          properties: {
            code: {
              enum: [
                "insufficient_funds",
                "balance_limit_exceeded",
                "channel_declined",
                "processing_error",
                "amount_limit_exceeded",
                "daily_limit_exceeded",
                "monthly_limit_exceeded",
                "velocity_limit_exceeded",
                "new_destination_limit",
                "destination_blocked",
              ],
            },
          },
        },
      },
    });
  });

  it("uses only catalogued error codes in per-route answers", () => {
    const used = JSON.stringify(document.paths).matchAll(/"code":\{"enum":\[([^\]]*)\]/g);
    for (const [, list] of used) {
      for (const code of JSON.parse(`[${list}]`) as string[]) expect(errorCodeEnum).toContain(code);
    }
  });

  it("lists the code of every error class in lib/errors.ts in the ErrorCode enum", () => {
    const classes = Object.entries(errors)
      .filter(([, value]) => typeof value === "function" && value.prototype instanceof errors.PayrailError)
      .map(([name]) => name);
    expect(Object.keys(ERROR_SAMPLES).sort()).toEqual(classes.sort());
    for (const [name, samples] of Object.entries(ERROR_SAMPLES)) {
      for (const sample of samples) {
        expect(sample.name).toBe(name);
        expect(errorCodeEnum).toContain(sample.code);
      }
    }
    expect(errorCodeEnum).toContain("internal_error");
  });

  it("lists every error code thrown from lib/ and functions/ in the ErrorCode enum", () => {
    const zodIssueCodes = new Set(["custom", "invalid_type", "too_small", "too_big", "invalid_format"]);
    const thrown = new Set<string>();
    for (const file of [...sourceFiles(join(root, "lib")), ...sourceFiles(join(root, "functions"))]) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/new (?:InvalidRequestError|AuthenticationError)\(\s*"([a-z_]+)"/g)) {
        thrown.add(match[1] as string);
      }
      for (const match of text.matchAll(/\bcode: "([a-z_]+)"/g)) thrown.add(match[1] as string);
    }
    const missing = [...thrown].filter((code) => !zodIssueCodes.has(code) && !errorCodeEnum.includes(code));
    expect(missing).toEqual([]);
    expect(thrown.size).toBeGreaterThan(10);
  });

  it("equals the committed openapi.json (run `npm run openapi` after changing a schema)", () => {
    expect(readFileSync(join(root, "openapi.json"), "utf8")).toBe(serializeOpenApiDocument());
  });
});
