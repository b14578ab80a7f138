// A third-party generator reads openapi.json: openapi-typescript turns it into types, and a small
// program written against them must type-check (and a wrong currency or status must not).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "payrail-openapi-ts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `
import type { components, paths } from "./payrail.js";

type CreatePayment = paths["/v1/payments"]["post"]["requestBody"]["content"]["application/json"];
type Payment = components["schemas"]["Payment"];
type PaymentsQuery = NonNullable<paths["/v1/payments"]["get"]["parameters"]["query"]>;
type CreateBatch = paths["/v1/batches"]["post"]["requestBody"]["content"]["application/json"];
type Batch = paths["/v1/batches/{id}"]["get"]["responses"]["200"]["content"]["application/json"];
type ErrorCode = components["schemas"]["ErrorCode"];

export const body: CreatePayment = {
  source: "acct_01JD8X3V9Q0000000000000000",
  destination: "acct_01JD8X3V9Q0000000000000001",
  amount: 1050,
  currency: "USD",
};
// @ts-expect-error answered currencies are the Currency enum
export const wrongCurrency: Payment["currency"] = "XYZ";
// @ts-expect-error amounts are integers, not strings
export const stringAmount: CreatePayment = { ...body, amount: "10.50" };

export function describePayment(payment: Payment): string {
  const when: number = payment.created_at;
  const status: "processing" | "requires_review" | "succeeded" | "failed" | "returned" = payment.status;
  return \`\${payment.id} \${payment.amount} \${payment.currency} \${status} at \${when}\`;
}

export const query: PaymentsQuery = { status: "failed", "created[gte]": 1796115600, limit: 10, ending_before: "pay_01JD8X3V9Q0000000000000000" };
// @ts-expect-error statuses are an enum
export const wrongStatus: PaymentsQuery = { status: "done" };

export const batch: CreateBatch = {
  source: "acct_01JD8X3V9Q0000000000000000",
  currency: "EUR",
  scheduled_at: "2027-01-04T09:00:00Z",
  items: [{ id: "emp-1", destination: "acct_01JD8X3V9Q0000000000000001", amount: 250000 }],
};
export const inSeconds: CreateBatch = { ...batch, scheduled_at: 1799053200 };

export function canceledShare(b: Batch): number {
  return b.amounts.canceled / b.amounts.total;
}

export const code: ErrorCode = "scheduled_at_in_past";
`;

describe("openapi.json through openapi-typescript", () => {
  it("generates types a small program type-checks against", async () => {
    const document = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8"));
    const generated = astToString(await openapiTS(document));
    writeFileSync(join(dir, "payrail.ts"), generated);
    writeFileSync(join(dir, "program.ts"), PROGRAM);
    const program = ts.createProgram([join(dir, "program.ts")], {
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file ? d.file.fileName.replace(dir, "") : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
      );
    expect(problems).toEqual([]);
    expect(generated).toContain('Currency: "USD" | "EUR"');
  }, 60_000);
});
