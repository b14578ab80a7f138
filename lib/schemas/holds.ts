// Owns the hold request and response shapes (authorize now, capture later).
import * as z from "zod";
import { amountSchema, currencySchema, descriptionSchema, idSchema, metadataSchema } from "./common.js";

export const DEFAULT_HOLD_DAYS = 7;
export const MAX_HOLD_DAYS = 30;
const DAY_MS = 86_400_000;

/** The request schema; `now` bounds `expires_at` (in the future, at most 30 days ahead). */
export function createHoldSchema(now: () => number = Date.now) {
  return z
    .strictObject({
      source: idSchema("account"),
      destination: idSchema("account"),
      amount: amountSchema,
      currency: currencySchema,
      expires_at: z.iso
        .datetime({ offset: true, error: "must be an RFC 3339 timestamp" })
        .refine((value) => Date.parse(value) > now(), { error: "must be in the future" })
        .refine((value) => Date.parse(value) <= now() + MAX_HOLD_DAYS * DAY_MS, {
          error: `must be at most ${MAX_HOLD_DAYS} days ahead`,
        })
        .optional()
        .meta({
          description: `When the hold is voided if not captured; default ${DEFAULT_HOLD_DAYS} days, at most ${MAX_HOLD_DAYS}.`,
        }),
      description: descriptionSchema.optional(),
      metadata: metadataSchema.optional(),
    })
    .meta({ id: "CreateHoldRequest" });
}

export type CreateHoldRequest = z.infer<ReturnType<typeof createHoldSchema>>;

export const captureHoldSchema = /* @__PURE__ */ z
  .strictObject({
    amount: amountSchema
      .optional()
      .meta({ description: "At most the held amount (the default); the rest is released to the source." }),
  })
  .meta({ id: "CaptureHoldRequest" });

export const HOLD_STATUSES = ["held", "captured", "voided", "expired"] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const holdSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("hold"),
    object: z.literal("hold"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    status: z.enum(HOLD_STATUSES),
    amount: z.int().meta({ description: "The amount held on the source." }),
    amount_captured: z.int(),
    currency: z.string(),
    source: z.string(),
    destination: z.string(),
    payment: z.string().nullable().meta({ description: "The payment a capture created." }),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    expires_at: z.int().meta({ description: "Unix seconds." }),
    created_at: z.int(),
  })
  .meta({ id: "Hold" });

export type HoldResource = z.infer<typeof holdSchema>;
