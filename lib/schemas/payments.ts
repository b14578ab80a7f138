// Owns the payment request and response shapes.
import * as z from "zod";
import {
  amountSchema,
  currencyOutputSchema,
  currencySchema,
  descriptionSchema,
  filteredListQuerySchema,
  idSchema,
  metadataSchema,
  minorUnitsSchema,
  unixSecondsSchema,
} from "./common.js";
import { paymentFxSchema } from "./fx.js";
import { paymentRiskSchema } from "./risk.js";

export const createPaymentSchema = /* @__PURE__ */ z
  .strictObject({
    source: idSchema("account"),
    destination: idSchema("account"),
    amount: amountSchema,
    currency: currencySchema,
    description: descriptionSchema.optional(),
    metadata: metadataSchema.optional(),
    quote: idSchema("quote").optional().meta({
      description:
        "An FX quote (POST /v1/fx_quotes) to convert at: used once, before it expires; `amount` and `currency` must be the quote's amount on one side.",
    }),
    convert: z.boolean().optional().meta({
      description:
        "When the destination holds another currency, convert at the current rate (`currency` names the side `amount` fixes). Without it, or a `quote`, a currency difference is refused.",
    }),
  })
  .meta({ id: "CreatePaymentRequest" });

export type CreatePaymentRequest = z.infer<typeof createPaymentSchema>;

export const PAYMENT_STATUSES = ["processing", "requires_review", "succeeded", "failed", "returned"] as const;
export const PAYMENT_FAILURE_CODES = [
  "insufficient_funds",
  "channel_declined",
  "account_not_found",
  "currency_mismatch",
  "balance_limit_exceeded",
  "batch_failed",
  "processing_error",
  "amount_too_large",
  "amount_limit_exceeded",
  "daily_limit_exceeded",
  "monthly_limit_exceeded",
  "velocity_limit_exceeded",
  "new_destination_limit",
  "destination_blocked",
  "review_declined",
] as const;

export const paymentSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("payment"),
    object: z.literal("payment"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    status: z.enum(PAYMENT_STATUSES),
    amount: minorUnitsSchema(),
    currency: currencyOutputSchema,
    source: idSchema("account").meta({ description: "The wallet paid from." }),
    destination: idSchema("account").meta({ description: "The wallet or bank account paid to." }),
    channel: z
      .enum(["ledger", "bank"])
      .nullable()
      .meta({ description: "How it was paid: inside the ledger (wallet) or over the bank rail." }),
    failure_code: z.enum(PAYMENT_FAILURE_CODES).nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    batch: idSchema("batch").nullable().meta({ description: "The batch this payment belongs to, if any." }),
    amount_refunded: minorUnitsSchema("Refunded so far (at most `amount`),"),
    return_code: z
      .string()
      .nullable()
      .meta({ description: "Status `returned` only: the bank's return code (sandbox: `R03`, no account)." }),
    created_at: unixSecondsSchema(
      "When the payment was created (for a batch item: when its batch was released, the time in its id)",
    ),
    fx: paymentFxSchema.optional(),
    risk: paymentRiskSchema.meta({
      description: "The risk score and the rules that came near their limit or broke it (lib/domain/risk).",
    }),
  })
  .meta({ id: "Payment" });

export type PaymentResource = z.infer<typeof paymentSchema>;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentFailureCode = (typeof PAYMENT_FAILURE_CODES)[number];

/** `GET /v1/payments`: paging, `created[…]` and one of the filters below. */
export const PAYMENT_LIST_FILTERS = ["status", "source", "destination", "batch"] as const;
export const listPaymentsQuerySchema = /* @__PURE__ */ filteredListQuerySchema("payment", {
  status: z.enum(PAYMENT_STATUSES).optional().meta({ description: "Only payments in this status." }),
  source: idSchema("account").optional().meta({ description: "Only payments from this wallet." }),
  destination: idSchema("account").optional().meta({ description: "Only payments to this account." }),
  batch: idSchema("batch")
    .optional()
    .meta({ description: "Only the payments that executed this batch's items." }),
});
