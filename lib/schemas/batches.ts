// Owns the batch request and response shapes, and the whole-request validation of a batch: every
// malformed item and every repeated item id is reported at once, or nothing is accepted.
import * as z from "zod";
import { ITEM_ID_PATTERN, MAX_BATCH_ITEMS } from "../domain/batch-limits.js";
import { type FieldError, InvalidParametersError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { fieldMessage } from "../i18n/render.js";
import { MAX_BALANCE } from "../money/index.js";
import { batchApprovalSchema, keyRefSchema } from "./approvals.js";
import {
  amountSchema,
  currencyOutputSchema,
  currencySchema,
  descriptionSchema,
  filteredListQuerySchema,
  idSchema,
  limitQuerySchema,
  metadataSchema,
  minorUnitsSchema,
  timestampInputSchema,
  unixSecondsSchema,
} from "./common.js";
import { PAYMENT_FAILURE_CODES } from "./payments.js";
import { fieldErrorsOf } from "./validate.js";

export { ITEM_ID_PATTERN, MAX_BATCH_ITEMS };

/** How far ahead a batch may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600 * 1000;
/** A `scheduled_at` this little in the past is taken as "now" (clock skew); earlier is refused. */
export const SCHEDULE_PAST_TOLERANCE_MS = 5 * 60 * 1000;

export const batchItemRequestSchema = /* @__PURE__ */ z.strictObject({
  id: z.string().regex(ITEM_ID_PATTERN, { error: "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -" }),
  destination: idSchema("account"),
  amount: amountSchema,
  currency: currencySchema.optional().meta({
    description:
      "The item's currency when it differs from the batch's: `amount` is in it, the destination must hold it, and the source pays its cost at the rate the batch locks at release.",
  }),
  description: descriptionSchema.optional(),
});

/** The request schema; `now` bounds `scheduled_at` (at most 366 days ahead). */
export function createBatchSchema(now: () => number = Date.now) {
  return z
    .strictObject({
      source: idSchema("account"),
      currency: currencySchema,
      items: z
        .array(batchItemRequestSchema)
        .min(1, { error: "must hold at least one item" })
        .max(MAX_BATCH_ITEMS, { error: `must hold at most ${MAX_BATCH_ITEMS} items` }),
      scheduled_at: timestampInputSchema
        .refine((seconds) => seconds * 1000 <= now() + MAX_SCHEDULE_AHEAD_MS, {
          error: "must be at most 366 days ahead",
        })
        .refine((seconds) => seconds * 1000 >= now() - SCHEDULE_PAST_TOLERANCE_MS, {
          error: `is in the past; omit scheduled_at to pay now (up to ${SCHEDULE_PAST_TOLERANCE_MS / 60_000} minutes past is accepted as now, for clock skew)`,
          params: { code: "scheduled_at_in_past" },
        })
        .optional()
        .meta({
          description:
            "When to release the batch: Unix seconds or RFC 3339 (answered as Unix seconds). At most 366 days ahead; more than 5 minutes in the past is refused (`scheduled_at_in_past`). Omit to pay now.",
        }),
      description: descriptionSchema.optional(),
      metadata: metadataSchema.optional(),
    })
    .meta({ id: "CreateBatchRequest" });
}

export type CreateBatchRequest = z.infer<ReturnType<typeof createBatchSchema>>;
export type BatchItemRequest = z.infer<typeof batchItemRequestSchema>;

/** Repeated item ids: each repetition is reported at its own index, naming the first use. */
export function duplicateItemIds(items: unknown): FieldError[] {
  if (!Array.isArray(items)) return [];
  const firstSeen = new Map<string, number>();
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== "string" || !ITEM_ID_PATTERN.test(id)) return;
    const first = firstSeen.get(id);
    if (first === undefined) {
      firstSeen.set(id, index);
      return;
    }
    errors.push({
      param: `items[${index}].id`,
      code: "duplicate_item_id",
      ...fieldMessage(messageRef("duplicate_item_id.detail", { id, first })),
    });
  });
  return errors;
}

/** Rules across fields: an item may not pay the source itself, and the total must stay exact. */
function requestLevelErrors(request: CreateBatchRequest): FieldError[] {
  const errors: FieldError[] = [];
  request.items.forEach((item, index) => {
    if (item.destination === request.source) {
      errors.push({
        param: `items[${index}].destination`,
        code: "same_account",
        message: "The destination must differ from the batch source.",
      });
    }
  });
  let total = 0;
  for (const item of request.items) total += item.amount;
  if (total > MAX_BALANCE) {
    errors.push({
      param: "items",
      code: "batch_total_too_large",
      ...fieldMessage(messageRef("batch_total_too_large.detail", { max: MAX_BALANCE })),
    });
  }
  return errors;
}

/** Errors outside `items` first, then by item index, so the 100 reported are the earliest. */
function itemIndex(param: string): number {
  const match = /^items\[(\d+)\]/.exec(param);
  return match ? Number(match[1]) : -1;
}

/**
 * Parses a batch request or throws one InvalidParametersError listing every problem (the error
 * body carries the first 100). Nothing about the batch is stored before this has passed.
 */
export function parseBatchRequest(input: unknown, now: () => number = Date.now): CreateBatchRequest {
  const schema = createBatchSchema(now);
  const result = schema.safeParse(input);
  const errors = result.success ? [] : fieldErrorsOf(result.error, input, schema);
  errors.push(...duplicateItemIds((input as { items?: unknown } | null)?.items));
  if (result.success) errors.push(...requestLevelErrors(result.data));
  if (result.success && errors.length === 0) return result.data;
  const ordered = errors
    .map((error, position) => ({ error, position, index: itemIndex(error.param) }))
    .sort((a, b) => a.index - b.index || a.position - b.position)
    .map(({ error }) => error);
  throw new InvalidParametersError(ordered, ordered.length);
}

export const BATCH_STATUSES = [
  "scheduled",
  "queued",
  "processing",
  "completed",
  "failed",
  "canceled",
  // Waiting for a second key (lib/domain/approvals.ts); listed last so examples show a plain batch.
  "requires_approval",
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** Why a batch fails as a whole at release (nothing is paid): funds, or a window rule. */
export const BATCH_FAILURE_CODES = [
  "insufficient_funds",
  "daily_limit_exceeded",
  "monthly_limit_exceeded",
] as const satisfies readonly (typeof PAYMENT_FAILURE_CODES)[number][];
export type BatchFailureCode = (typeof BATCH_FAILURE_CODES)[number];

export const BATCH_ITEM_STATUSES = ["pending", "succeeded", "failed", "returned", "canceled"] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

export const batchSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("batch"),
    object: z.literal("batch"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    status: z.enum(BATCH_STATUSES),
    source: idSchema("account").meta({ description: "The wallet the batch is paid from." }),
    currency: currencyOutputSchema,
    scheduled_at: z
      .int()
      .nullable()
      .meta({ description: "When the batch is released, in Unix seconds; null when released on creation." }),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    counts: z
      .object({
        total: z.int(),
        pending: z.int(),
        succeeded: z.int(),
        failed: z.int(),
        returned: z.int(),
        canceled: z.int(),
      })
      .meta({
        description:
          "Items by status; `returned` counts items paid out and later returned by the bank, `canceled` the items of a canceled batch.",
      }),
    amounts: z
      .object({ total: z.int(), succeeded: z.int(), failed: z.int(), returned: z.int(), canceled: z.int() })
      .meta({ description: "Sums of the items' amounts by status, in minor units of `currency`." }),
    failure_code: z.enum(BATCH_FAILURE_CODES).nullable().meta({
      description:
        "Why a batch failed as a whole at release: its source could not cover it (`insufficient_funds`), or its total would take the source past a daily or monthly outflow rule.",
    }),
    created_at: unixSecondsSchema("When the batch was accepted"),
    completed_at: z
      .int()
      .nullable()
      .meta({ description: "When the batch completed, failed or was canceled, in Unix seconds." }),
    created_by: keyRefSchema
      .nullable()
      .meta({ description: "The API key that created the batch (null for batches from before key ids)." }),
    approval: batchApprovalSchema.nullable(),
    amounts_by_currency: z
      .record(
        z.string(),
        z.object({ total: z.int(), succeeded: z.int(), failed: z.int(), canceled: z.int() }),
      )
      .optional()
      .meta({
        description:
          "Cross-currency batches only: per item currency (the batch's included), the items' amounts in that currency by status. `amounts` is in the batch currency: what the items cost the source at the locked rates, fees included.",
      }),
    fx: z
      .object({
        rates: z.record(z.string(), z.string()).nullable().meta({
          description: "Per item currency, the rate locked at release (exact decimal strings); null before.",
        }),
        fee_basis_points: z.int().nullable().meta({ description: "The FX fee locked at release." }),
      })
      .optional()
      .meta({ description: "Cross-currency batches only: the terms locked at release." }),
  })
  .meta({ id: "Batch" });

export type BatchResource = z.infer<typeof batchSchema>;

export const batchItemSchema = /* @__PURE__ */ z
  .object({
    id: z.string().meta({ description: "Your reference for the item, unique within the batch." }),
    object: z.literal("batch_item"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    batch: idSchema("batch"),
    payment: idSchema("payment")
      .nullable()
      .meta({ description: "The payment that executed the item, if any." }),
    destination: idSchema("account"),
    amount: minorUnitsSchema(),
    currency: currencyOutputSchema
      .optional()
      .meta({ description: "A converted item's own currency (`amount` is in it); absent: the batch's." }),
    status: z.enum(BATCH_ITEM_STATUSES),
    failure_code: z.enum(PAYMENT_FAILURE_CODES).nullable(),
    processed_at: z.int().nullable().meta({
      description: "When the item was paid or failed (or its batch was canceled), in Unix seconds.",
    }),
  })
  .meta({ id: "BatchItem" });

export type BatchItemResource = z.infer<typeof batchItemSchema>;

/** `GET /v1/batches/{id}/items?status=&limit=&starting_after=`; starting_after is an item id. */
export const listBatchItemsQuerySchema = /* @__PURE__ */ z.strictObject({
  status: z.enum(BATCH_ITEM_STATUSES).optional(),
  limit: limitQuerySchema,
  starting_after: z.string().regex(ITEM_ID_PATTERN, { error: "must be an item id" }).optional(),
});

/** `GET /v1/batches`: paging, `created[…]` and one of the filters below. */
export const BATCH_LIST_FILTERS = ["status", "source"] as const;
export const listBatchesQuerySchema = /* @__PURE__ */ filteredListQuerySchema("batch", {
  status: z.enum(BATCH_STATUSES).optional().meta({ description: "Only batches in this status." }),
  source: idSchema("account").optional().meta({ description: "Only batches paid from this wallet." }),
});
