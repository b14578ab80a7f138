// Owns the refund request, query and response shapes.
import * as z from "zod";
import { amountSchema, idSchema, limitQuerySchema, metadataSchema } from "./common.js";

export const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export const createRefundSchema = /* @__PURE__ */ z
  .strictObject({
    payment: idSchema("payment"),
    amount: amountSchema
      .optional()
      .meta({ description: "Minor units to refund; the whole unrefunded rest of the payment when omitted." }),
    reason: z.enum(REFUND_REASONS).optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreateRefundRequest" });

export type CreateRefundRequest = z.infer<typeof createRefundSchema>;

/** `GET /v1/refunds?payment=&limit=&starting_after=`. */
export const listRefundsQuerySchema = /* @__PURE__ */ z.strictObject({
  payment: idSchema("payment").optional().meta({ description: "Only the refunds of this payment." }),
  limit: limitQuerySchema,
  starting_after: idSchema("refund").optional(),
});

export const REFUND_STATUSES = ["succeeded", "failed"] as const;
export const REFUND_FAILURE_CODES = ["insufficient_funds", "balance_limit_exceeded"] as const;

export const refundSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("refund"),
    object: z.literal("refund"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    payment: z.string(),
    amount: z.int(),
    currency: z.string(),
    status: z.enum(REFUND_STATUSES),
    failure_code: z
      .enum(REFUND_FAILURE_CODES)
      .nullable()
      .meta({ description: "Why a failed refund failed (e.g. the destination no longer holds the money)." }),
    reason: z.enum(REFUND_REASONS).nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: z.int(),
    fx: z
      .object({
        rate: z.string().meta({ description: "The payment's locked rate." }),
        destination_currency: z.string(),
        destination_amount: z.int().meta({
          description:
            "Taken back from the payment's destination, in its currency: what `amount` bought at the locked rate (cumulative, rounded down: a full refund gives back all of it).",
        }),
      })
      .optional()
      .meta({ description: "Refunds of converted payments only: `amount` is in the source currency." }),
  })
  .meta({ id: "Refund" });

export type RefundResource = z.infer<typeof refundSchema>;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type RefundFailureCode = (typeof REFUND_FAILURE_CODES)[number];
export type RefundReason = (typeof REFUND_REASONS)[number];
