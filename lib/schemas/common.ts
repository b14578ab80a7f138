// Owns the building blocks every request schema shares: money fields, ids, metadata, list queries.
import { z } from "zod";
import { isIdOf, type ResourceKind } from "../domain/ids.js";
import { type Currency, isCurrency, MAX_AMOUNT } from "../money/index.js";

/** A positive integer count of minor units, at most 10^12; floats and strings are refused. */
export const amountSchema = z
  .int({ error: "must be an integer number of minor units" })
  .min(1, { error: "must be greater than 0" })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` })
  .meta({ description: "Amount in minor units of the currency (e.g. cents for USD).", example: 1250 });

/** ISO 4217 code, accepted in any case, answered in uppercase. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, { error: "must be a three-letter ISO 4217 code" })
  .transform((code) => code.toUpperCase())
  .refine((code): code is Currency => isCurrency(code), { error: "is not a supported currency" })
  .transform((code) => code as Currency)
  .meta({ description: "Three-letter ISO 4217 currency code.", example: "USD" });

export function idSchema(kind: ResourceKind) {
  return z
    .string()
    .max(64)
    .refine((id) => isIdOf(kind, id), { error: `must be a ${kind} id` })
    .meta({ description: `${kind === "account" ? "An" : "A"} ${kind} id.` });
}

export const metadataSchema = z
  .record(
    z.string().min(1).max(40, { error: "keys must be at most 40 characters" }),
    z.string().max(500, { error: "values must be at most 500 characters" }),
  )
  .refine((value) => Object.keys(value).length <= 50, { error: "must have at most 50 keys" })
  .meta({ description: "Up to 50 string key/value pairs for your own use." });

export const descriptionSchema = z.string().max(500, { error: "must be at most 500 characters" });

/** `?limit=` (1 to 100, a query string) on every list route. */
export const limitQuerySchema = z
  .string()
  .regex(/^\d{1,3}$/, { error: "must be an integer between 1 and 100" })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 100, { error: "must be an integer between 1 and 100" })
  .optional();

/** `?limit=&starting_after=` on every list route. */
export function listQuerySchema(kind: ResourceKind) {
  return z.strictObject({
    limit: limitQuerySchema,
    starting_after: idSchema(kind).optional(),
  });
}

export const DEFAULT_LIST_LIMIT = 10;
