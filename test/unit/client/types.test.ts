import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type * as client from "../../../client/index.js";
import type { accountSchema, createAccountSchema } from "../../../lib/schemas/accounts.js";
import type {
  batchItemSchema,
  batchSchema,
  createBatchSchema,
  listBatchItemsQuerySchema,
} from "../../../lib/schemas/batches.js";
import type { fieldErrorSchema } from "../../../lib/schemas/errors.js";
import type { createFxQuoteSchema, fxHouseAccountSchema, fxQuoteSchema } from "../../../lib/schemas/fx.js";
import type { createPaymentSchema, paymentSchema } from "../../../lib/schemas/payments.js";
import type { createRefundSchema, refundSchema } from "../../../lib/schemas/refunds.js";
import type { riskRuleSchema } from "../../../lib/schemas/risk.js";
import type { createTopupSchema, topupSchema } from "../../../lib/schemas/topups.js";
import { CLIENT_TYPES_PATH, clientTypesSource } from "../../../scripts/client-types.js";

// The client package declares its own types (generated from openapi.json) so that it imports
// nothing from lib/ or zod. These checks keep them equal to what the API's schemas infer: the
// expectTypeOf lines fail `npm run typecheck` when a schema changes without `npm run openapi`.

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("client types", () => {
  it("are the ones openapi-typescript generates from the committed openapi.json (run npm run openapi)", async () => {
    const fresh = await clientTypesSource(readFileSync(join(root, "openapi.json"), "utf8"));
    expect(readFileSync(join(root, CLIENT_TYPES_PATH), "utf8")).toBe(fresh);
  });

  it("import nothing from outside client/ (the package ships on its own)", () => {
    const files = readdirSync(join(root, "client"), { recursive: true, encoding: "utf8" }).filter(
      (name) => name.endsWith(".ts") && !name.startsWith("dist"),
    );
    const outside = files.flatMap((name) =>
      [...readFileSync(join(root, "client", name), "utf8").matchAll(/from\s+"([^"]+)"/g)]
        .map((match) => match[1] ?? "")
        .filter((specifier) => !specifier.startsWith("./"))
        .map((specifier) => `${name}: ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it("equal the answers and requests the API's schemas describe", () => {
    expectTypeOf<client.Account>().toEqualTypeOf<z.output<typeof accountSchema>>();
    expectTypeOf<client.Topup>().toEqualTypeOf<z.output<typeof topupSchema>>();
    expectTypeOf<client.Payment>().toEqualTypeOf<z.output<typeof paymentSchema>>();
    expectTypeOf<client.Batch>().toEqualTypeOf<z.output<typeof batchSchema>>();
    expectTypeOf<client.BatchItem>().toEqualTypeOf<z.output<typeof batchItemSchema>>();
    expectTypeOf<client.Refund>().toEqualTypeOf<z.output<typeof refundSchema>>();
    expectTypeOf<client.FieldError>().toEqualTypeOf<z.output<typeof fieldErrorSchema>>();
    expectTypeOf<client.AccountCreateParams>().toEqualTypeOf<z.input<typeof createAccountSchema>>();
    expectTypeOf<client.TopupCreateParams>().toEqualTypeOf<z.input<typeof createTopupSchema>>();
    expectTypeOf<client.PaymentCreateParams>().toEqualTypeOf<z.input<typeof createPaymentSchema>>();
    expectTypeOf<client.RefundCreateParams>().toEqualTypeOf<z.input<typeof createRefundSchema>>();
    expectTypeOf<client.BatchCreateParams>().toEqualTypeOf<z.input<ReturnType<typeof createBatchSchema>>>();
    expectTypeOf<client.FxQuote>().toEqualTypeOf<z.output<typeof fxQuoteSchema>>();
    expectTypeOf<client.FxHouseAccount>().toEqualTypeOf<z.output<typeof fxHouseAccountSchema>>();
    expectTypeOf<client.FxQuoteCreateParams>().toEqualTypeOf<z.input<typeof createFxQuoteSchema>>();
    expectTypeOf<client.RiskRule>().toEqualTypeOf<z.output<typeof riskRuleSchema>>();
    // Query strings are strings on the wire; the client sends numbers and enums as the document says.
    expectTypeOf<client.BatchItemListParams["status"]>().toEqualTypeOf<
      z.output<typeof listBatchItemsQuerySchema>["status"]
    >();
  });
});
