// Owns the building blocks every request schema shares: money fields, ids, metadata, list queries.
//
// Every schema in lib/schemas is declared `/* @__PURE__ */` (the builders here `@__NO_SIDE_EFFECTS__`)
// so that esbuild drops the ones a function never uses: building zod schemas is most of a function's
// module load after the AWS SDK (BENCHMARKS.md), and the response shapes, there for types and the
// OpenAPI document, are used by no function at all. test/unit/infrastructure/function-bundles.test.ts
// checks that they stay out.
import * as z from "zod";
import { ID_PREFIXES, isIdOf, type ResourceKind } from "../domain/ids.js";
import { messageRef } from "../i18n/message-ref.js";
import { schemaMessage } from "../i18n/schema-messages.js";
import { type Currency, isCurrency, MAX_AMOUNT, SUPPORTED_CURRENCIES } from "../money/index.js";

/** A positive integer count of minor units, at most 10^12; floats and strings are refused. */
export const amountSchema = /* @__PURE__ */ z
  .int({ error: schemaMessage(messageRef("schema.amount_integer")) })
  .min(1, { error: schemaMessage(messageRef("schema.amount_positive")) })
  .max(MAX_AMOUNT, { error: schemaMessage(messageRef("schema.at_most", { max: MAX_AMOUNT })) })
  .meta({ description: "Amount in minor units of the currency (e.g. cents for USD).", example: 1250 });

/** ISO 4217 code, accepted in any case, answered in uppercase; one of SUPPORTED_CURRENCIES. */
export const currencySchema = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Za-z]{3}$/, {
    error: schemaMessage(
      messageRef("schema.currency_format", { currencies: SUPPORTED_CURRENCIES.join(", ") }),
    ),
  })
  .transform((code) => code.toUpperCase())
  .refine((code): code is Currency => isCurrency(code), {
    error: schemaMessage(
      messageRef("schema.currency_unsupported", { currencies: SUPPORTED_CURRENCIES.join(", ") }),
    ),
  })
  .transform((code) => code as Currency)
  .meta({
    // Not an enum here: any case is accepted ("usd"); answers carry the Currency enum.
    description: `Three-letter ISO 4217 code of a supported currency, in any case: ${SUPPORTED_CURRENCIES.join(", ")} (see the Currency schema).`,
    example: "USD",
  });

/** A currency as answered: always one of the supported codes, uppercase. */
export const currencyOutputSchema = /* @__PURE__ */ z
  .enum(SUPPORTED_CURRENCIES as [Currency, ...Currency[]])
  .meta({ id: "Currency", description: "A supported ISO 4217 currency code, uppercase." });

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

/* @__NO_SIDE_EFFECTS__ */ export function idSchema(kind: ResourceKind) {
  return z
    .string()
    .max(64)
    .refine((id) => isIdOf(kind, id), {
      error: schemaMessage(messageRef(`schema.id_${article(kind)}`, { kind, prefix: ID_PREFIXES[kind] })),
    })
    .meta({
      description: `${article(kind) === "an" ? "An" : "A"} ${kind} id.`,
      pattern: `^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`,
    });
}

/** An amount as answered: an integer count of minor units. */
/* @__NO_SIDE_EFFECTS__ */ export function minorUnitsSchema(what = "Amount") {
  return z.int().meta({ description: `${what} in minor units of the currency (1050 is 10.50 USD).` });
}

/** A point in time as answered: Unix seconds (input takes RFC 3339 too, see timestampInputSchema). */
/* @__NO_SIDE_EFFECTS__ */ export function unixSecondsSchema(what: string) {
  return z.int().meta({ description: `${what}, in Unix seconds.` });
}

export const metadataSchema = /* @__PURE__ */ z
  .record(
    z.string().min(1).max(40, { error: "keys must be at most 40 characters" }),
    z.string().max(500, { error: "values must be at most 500 characters" }),
  )
  .refine((value) => Object.keys(value).length <= 50, { error: "must have at most 50 keys" })
  .meta({ description: "Up to 50 string key/value pairs for your own use." });

export const descriptionSchema = /* @__PURE__ */ z
  .string()
  .max(500, { error: "must be at most 500 characters" });

/** `?limit=` (1 to 100, a query string) on every list route. */
export const limitQuerySchema = /* @__PURE__ */ z
  .string()
  .regex(/^\d{1,3}$/, { error: "must be an integer between 1 and 100" })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 100, { error: "must be an integer between 1 and 100" })
  .optional();

/**
 * A point in time on input: Unix seconds (an integer, or its digits in a query string) or an RFC 3339
 * timestamp with an offset. Read as Unix seconds, which is what every answer carries.
 */
export const timestampInputSchema = /* @__PURE__ */ z
  .union([
    z.int().min(0, { error: "must be Unix seconds or an RFC 3339 timestamp" }),
    z
      .string()
      .regex(/^\d{1,11}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((value) => Math.floor(Date.parse(value) / 1000)),
  ])
  .meta({
    description: "Unix seconds (e.g. 1796115600) or an RFC 3339 timestamp (e.g. 2026-12-01T09:00:00Z).",
  });

/** Refuses combinations a list cannot serve from one index, naming the second parameter. */
function oneOf(names: readonly string[], why: (first: string) => string) {
  return (query: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const given = names.filter((name) => query[name] !== undefined);
    if (given.length > 1) {
      ctx.addIssue({ code: "custom", path: [given[1] as string], message: why(given[0] as string) });
    }
  };
}

const NOT_BOTH_CURSORS = (first: string) => `cannot be combined with ${first}; page one way at a time`;

const listPagingShape = (kind: ResourceKind) => ({
  limit: limitQuerySchema,
  starting_after: idSchema(kind)
    .optional()
    .meta({ description: "An id from the previous page: answers the objects created before it." }),
  ending_before: idSchema(kind).optional().meta({
    description: "An id from the current page: answers the objects created after it (the page before).",
  }),
});

/** `?limit=&starting_after=&ending_before=` on every list route. */
/* @__NO_SIDE_EFFECTS__ */ export function listQuerySchema(kind: ResourceKind) {
  return z
    .strictObject(listPagingShape(kind))
    .superRefine(oneOf(["starting_after", "ending_before"], NOT_BOTH_CURSORS));
}

const createdBound = (meaning: string) =>
  timestampInputSchema.optional().meta({
    description: `Only objects created ${meaning} this time: Unix seconds or RFC 3339.`,
  });

/**
 * A list with filters: paging, `created[gt|gte|lt|lte]` (Stripe's style) and `filters`. Each filter
 * is served from its own index (lib/ledger/keys.ts), so at most one of them per request.
 */
/* @__NO_SIDE_EFFECTS__ */ export function filteredListQuerySchema<F extends Record<string, z.ZodType>>(
  kind: ResourceKind,
  filters: F,
) {
  const names = Object.keys(filters);
  return z
    .strictObject({
      ...listPagingShape(kind),
      ...filters,
      "created[gt]": createdBound("after"),
      "created[gte]": createdBound("at or after"),
      "created[lt]": createdBound("before"),
      "created[lte]": createdBound("at or before"),
    })
    .superRefine(oneOf(["starting_after", "ending_before"], NOT_BOTH_CURSORS))
    .superRefine(
      oneOf(
        names,
        (first) =>
          `cannot be combined with ${first}; a list takes one of ${names.join(", ")} (each is served from its own index)`,
      ),
    );
}

export const DEFAULT_LIST_LIMIT = 10;
