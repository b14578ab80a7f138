// Owns the account request and response shapes.
import * as z from "zod";
import { checkBankDetails } from "../domain/bank-details/index.js";
import { renderMessage } from "../i18n/render.js";
import {
  currencyOutputSchema,
  currencySchema,
  idSchema,
  metadataSchema,
  minorUnitsSchema,
  unixSecondsSchema,
} from "./common.js";

const optionalText = (max: number, description: string) =>
  z.string().min(1).max(max).optional().meta({ description });

/**
 * A payout destination's bank details: `{country, iban}` or `{country, account_number, <routing
 * fields of the country>}`, plus `bic`, `holder_name`, `holder_type`. The types are checked here;
 * the per-country rules (lengths, formats, check digits) in lib/domain/bank-details, whose problems
 * become issues on the exact field (`bank.iban`, `bank.sort_code`, …).
 */
export const bankDetailsSchema = /* @__PURE__ */ z
  .strictObject({
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { error: "must be an ISO 3166-1 alpha-2 country code, e.g. DE" })
      .optional()
      .meta({
        description: "Where the account is (ISO 3166-1 alpha-2). Default: the IBAN's country, else US.",
      }),
    iban: optionalText(42, "IBAN (spaces allowed); length per country and mod-97 check digits are verified."),
    account_number: optionalText(34, "The national account number (digits; length per country)."),
    routing_number: optionalText(16, "US: the 9-digit ABA routing number (check digit verified)."),
    sort_code: optionalText(16, "GB: the 6-digit sort code (dashes allowed)."),
    bsb: optionalText(16, "AU: the 6-digit BSB (dash allowed)."),
    ifsc: optionalText(16, "IN: the 11-character IFSC."),
    clabe: optionalText(24, "MX: the 18-digit CLABE (check digit verified); it is the account number."),
    transit_number: optionalText(16, "CA: the 5-digit transit (branch) number."),
    institution_number: optionalText(16, "CA: the 3-digit institution number."),
    bank_code: optionalText(16, "JP (4 digits), SG (4), HK (3), CN (12, CNAPS): the bank code."),
    branch_code: optionalText(16, "JP (3 digits), SG (3), HK (3): the branch code."),
    bic: optionalText(16, "BIC / SWIFT code, 8 or 11 characters, of a bank in `country`."),
    holder_name: optionalText(140, "The account holder's name."),
    holder_type: z.enum(["individual", "company"]).optional(),
  })
  .transform((bank, ctx) => {
    const check = checkBankDetails(bank);
    if (check.ok) return check.details;
    for (const problem of check.problems) {
      ctx.addIssue({
        code: "custom",
        path: [problem.field],
        message: renderMessage("en", problem.message),
        params: {
          code: problem.missing ? "parameter_missing" : "parameter_invalid",
          message: problem.message,
        },
      });
    }
    return z.NEVER;
  })
  .meta({ id: "BankDetails" });

export const createAccountSchema = /* @__PURE__ */ z
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

const routingOut = (description: string) => z.string().optional().meta({ description });

/** A bank account's details as answered: never the full account number or IBAN, only its last4. */
export const bankResourceSchema = /* @__PURE__ */ z
  .object({
    country: z.string().meta({ description: "ISO 3166-1 alpha-2." }),
    identifier: z
      .enum(["iban", "account_number", "clabe"])
      .meta({ description: "What identifies the account; `last4` is its last four characters." }),
    last4: z.string(),
    routing_number: routingOut("US"),
    sort_code: routingOut("GB"),
    bsb: routingOut("AU"),
    ifsc: routingOut("IN"),
    transit_number: routingOut("CA"),
    institution_number: routingOut("CA"),
    bank_code: routingOut("JP, SG, HK, CN"),
    branch_code: routingOut("JP, SG, HK"),
    bic: z.string().nullable(),
    holder_name: z.string().nullable(),
    holder_type: z.enum(["individual", "company"]).nullable(),
  })
  .meta({ id: "BankAccountDetails" });

export const accountSchema = /* @__PURE__ */ z
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
    bank: bankResourceSchema.nullable(),
    created_at: unixSecondsSchema("When the account was opened"),
  })
  .meta({ id: "Account" });

export type AccountResource = z.infer<typeof accountSchema>;
