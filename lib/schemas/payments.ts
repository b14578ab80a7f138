// Owns the payment request and response shapes.
import { z } from "zod";
import { amountSchema, currencySchema, descriptionSchema, idSchema, metadataSchema } from "./common.js";

export const createPaymentSchema = z
  .strictObject({
    source: idSchema("account"),
    destination: idSchema("account"),
    amount: amountSchema,
    currency: currencySchema,
    description: descriptionSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreatePaymentRequest" });

export type CreatePaymentRequest = z.infer<typeof createPaymentSchema>;

export const PAYMENT_STATUSES = ["processing", "succeeded", "failed"] as const;
export const PAYMENT_FAILURE_CODES = [
  "insufficient_funds",
  "channel_declined",
  "account_not_found",
  "currency_mismatch",
  "balance_limit_exceeded",
  "batch_failed",
  "batch_canceled",
  "processing_error",
] as const;

export const paymentSchema = z
  .object({
    id: idSchema("payment"),
    object: z.literal("payment"),
    status: z.enum(PAYMENT_STATUSES),
    amount: z.int(),
    currency: z.string(),
    source: z.string(),
    destination: z.string(),
    channel: z.enum(["ledger", "bank"]).nullable(),
    failure_code: z.enum(PAYMENT_FAILURE_CODES).nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    batch: z.string().nullable().meta({ description: "The batch this payment belongs to, if any." }),
    amount_refunded: z.int().meta({ description: "Minor units refunded so far (at most `amount`)." }),
    created_at: z.int(),
  })
  .meta({ id: "Payment" });

export type PaymentResource = z.infer<typeof paymentSchema>;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentFailureCode = (typeof PAYMENT_FAILURE_CODES)[number];
