// Owns the FX shapes: the quote request and resource, the `fx` object of a converted payment, and
// the house FX account resource. Rates are strings of exact decimals, never JSON numbers.
import * as z from "zod";
import { RATE_SIGNIFICANT_DIGITS } from "../money/rate.js";
import { amountSchema, currencyOutputSchema, currencySchema, idSchema, unixSecondsSchema } from "./common.js";

/** The longest validity a quote request may ask for (the configured default is at most this). */
export const MAX_QUOTE_SECONDS = 3_600;

export const createFxQuoteSchema = /* @__PURE__ */ z
  .strictObject({
    source_currency: currencySchema,
    destination_currency: currencySchema,
    source_amount: amountSchema.optional().meta({
      description: "What leaves the source wallet, fee included (minor units). Or `destination_amount`.",
    }),
    destination_amount: amountSchema
      .optional()
      .meta({ description: "What the payee must receive (minor units of the destination currency)." }),
    expires_in: z
      .int({ error: "must be an integer number of seconds" })
      .min(1, { error: "must be at least 1 second" })
      .max(MAX_QUOTE_SECONDS, { error: `must be at most ${MAX_QUOTE_SECONDS} seconds` })
      .optional()
      .meta({
        description:
          "How long the quote may be used, in seconds; default (and longest) the configured quote validity (60 s).",
      }),
  })
  .superRefine((request, ctx) => {
    const given = [request.source_amount, request.destination_amount].filter((a) => a !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [given.length === 0 ? "source_amount" : "destination_amount"],
        message:
          given.length === 0
            ? "is required: send source_amount or destination_amount"
            : "cannot be combined with source_amount; send one of them",
      });
    }
    if (request.source_currency === request.destination_currency) {
      ctx.addIssue({
        code: "custom",
        path: ["destination_currency"],
        message: "must differ from source_currency",
      });
    }
  })
  .meta({
    id: "CreateFxQuoteRequest",
    example: { source_currency: "USD", destination_currency: "EUR", source_amount: 10_000 },
  });

export type CreateFxQuoteRequest = z.infer<typeof createFxQuoteSchema>;

const rateSchema = (what: string) =>
  z.string().meta({
    description: `${what}: an exact decimal with ${RATE_SIGNIFICANT_DIGITS} significant digits, as a string.`,
    example: "0.9215000000",
  });

export const FX_QUOTE_STATUSES = ["open", "used", "expired"] as const;

export const fxQuoteSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("quote"),
    object: z.literal("fx_quote"),
    status: z.enum(FX_QUOTE_STATUSES).meta({
      description: "`open` until used by a payment or past `expires_at`.",
    }),
    source_currency: currencyOutputSchema,
    destination_currency: currencyOutputSchema,
    rate: rateSchema("Units of the destination currency one unit of the source currency buys"),
    inverse_rate: rateSchema("1 / rate, truncated (for people; the conversion uses `rate`)"),
    source_amount: z
      .int()
      .meta({ description: "Debited from the source wallet, fee included (minor units)." }),
    destination_amount: z.int().meta({ description: "Credited to the payee (minor units of its currency)." }),
    fee: z.int().meta({ description: "The FX fee, in minor units of the source currency." }),
    remainder: z.int().meta({
      description:
        "What rounding the destination amount down left over, in minor units of the source currency: source_amount = converted + fee + remainder.",
    }),
    payment: idSchema("payment").nullable().meta({ description: "The payment that used the quote." }),
    expires_at: unixSecondsSchema("Until when the quote can be used (exclusive)"),
    created_at: unixSecondsSchema("When the quote was made"),
  })
  .meta({ id: "FxQuote" });

export type FxQuoteResource = z.infer<typeof fxQuoteSchema>;

export const paymentFxSchema = /* @__PURE__ */ z
  .object({
    rate: rateSchema("The rate the payment converted at"),
    source_currency: currencyOutputSchema,
    source_amount: z.int().meta({ description: "Debited from the source (the payment's `amount`)." }),
    destination_currency: currencyOutputSchema,
    destination_amount: z.int().meta({ description: "Credited to the destination, in its currency." }),
    fee: z.int().meta({ description: "The FX fee, in minor units of the source currency." }),
    remainder: z
      .int()
      .meta({ description: "The rounding remainder, in minor units of the source currency." }),
    quote: idSchema("quote")
      .nullable()
      .meta({ description: "The quote it used; null: the rate at the time." }),
  })
  .meta({
    id: "PaymentFx",
    description:
      "Converted payments only: the source wallet paid `source_amount`, the destination received `destination_amount`.",
  });

export type PaymentFxResource = z.infer<typeof paymentFxSchema>;

export const fxHouseAccountSchema = /* @__PURE__ */ z
  .object({
    object: z.literal("fx_house_account"),
    currency: currencyOutputSchema,
    balance: z.int().meta({
      description:
        "What the house holds in this currency from this merchant's conversions: source amounts in, destination amounts out (negative: the house delivered more of it than it took).",
    }),
    fees: z.int().meta({ description: "FX fees taken in this currency." }),
    remainders: z.int().meta({ description: "Rounding remainders kept in this currency." }),
  })
  .meta({ id: "FxHouseAccount" });

export type FxHouseAccountResource = z.infer<typeof fxHouseAccountSchema>;
