// Owns the account request and response shapes.
import { z } from "zod";
import {
  currencyOutputSchema,
  currencySchema,
  idSchema,
  metadataSchema,
  minorUnitsSchema,
  unixSecondsSchema,
} from "./common.js";

export const bankDetailsSchema = z.strictObject({
  account_number: z.string().regex(/^\d{4,17}$/, { error: "must be 4 to 17 digits" }),
  routing_number: z.string().regex(/^\d{9}$/, { error: "must be 9 digits" }),
});

export const createAccountSchema = z
  .strictObject({
    currency: currencySchema,
    type: z.enum(["wallet", "bank"]).default("wallet"),
    name: z.string().max(200).optional(),
    metadata: metadataSchema.optional(),
    bank: bankDetailsSchema.optional(),
  })
  .superRefine((body, ctx) => {
    // A bank account is an external payout destination: it is useless without its coordinates,
    // and a wallet must not carry bank coordinates it would never use.
    if (body.type === "bank" && !body.bank) {
      ctx.addIssue({
        code: "invalid_type",
        expected: "object",
        path: ["bank"],
        message: "required for type bank",
      });
    }
    if (body.type === "wallet" && body.bank) {
      ctx.addIssue({ code: "custom", path: ["bank"], message: "only allowed for type bank" });
    }
  })
  .meta({ id: "CreateAccountRequest" });

export type CreateAccountRequest = z.infer<typeof createAccountSchema>;

export const accountSchema = z
  .object({
    id: idSchema("account"),
    object: z.literal("account"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    type: z.enum(["wallet", "bank"]),
    currency: currencyOutputSchema,
    balance: minorUnitsSchema().meta({
      description: "Wallet: money held. Bank: total paid out to it. In minor units of the currency.",
    }),
    available: minorUnitsSchema().meta({
      description:
        "Wallet: balance minus active holds, what payments may spend. Bank: equals balance. In minor units.",
    }),
    name: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    bank: z.object({ last4: z.string(), routing_number: z.string() }).nullable(),
    created_at: unixSecondsSchema("When the account was opened"),
  })
  .meta({ id: "Account" });

export type AccountResource = z.infer<typeof accountSchema>;
