// Owns the client's request and response types. Each is derived from the zod schema the API
// validates with; the imports are type-only, so the client carries no runtime code from lib/.
import type { z } from "zod";
import type { accountSchema, createAccountSchema } from "../lib/schemas/accounts.js";
import type {
  batchItemSchema,
  batchSchema,
  createBatchSchema,
  listBatchItemsQuerySchema,
} from "../lib/schemas/batches.js";
import type { listQuerySchema } from "../lib/schemas/common.js";
import type { ErrorBody, fieldErrorSchema } from "../lib/schemas/errors.js";
import type { ListResource } from "../lib/schemas/lists.js";
import type { createPaymentSchema, paymentSchema } from "../lib/schemas/payments.js";
import type { createRefundSchema, listRefundsQuerySchema, refundSchema } from "../lib/schemas/refunds.js";
import type { createTopupSchema, topupSchema } from "../lib/schemas/topups.js";

export type Account = z.output<typeof accountSchema>;
export type Topup = z.output<typeof topupSchema>;
export type Payment = z.output<typeof paymentSchema>;
export type Batch = z.output<typeof batchSchema>;
export type BatchItem = z.output<typeof batchItemSchema>;
export type Refund = z.output<typeof refundSchema>;

export type AccountCreateParams = z.input<typeof createAccountSchema>;
export type TopupCreateParams = z.input<typeof createTopupSchema>;
export type PaymentCreateParams = z.input<typeof createPaymentSchema>;
export type BatchCreateParams = z.input<ReturnType<typeof createBatchSchema>>;
export type BatchItemParams = BatchCreateParams["items"][number];
export type RefundCreateParams = z.input<typeof createRefundSchema>;

/** `limit` (1 to 100) and `starting_after` (an id of the previous page). */
export type ListParams = z.output<ReturnType<typeof listQuerySchema>>;
export type BatchItemListParams = z.output<typeof listBatchItemsQuerySchema>;
/** `payment` (one payment's refunds), `limit` and `starting_after`. */
export type RefundListParams = z.output<typeof listRefundsQuerySchema>;

export type List<T> = ListResource<T>;
export type FieldError = z.output<typeof fieldErrorSchema>;
/** The `error` member of an error answer, as sent. */
export type ApiErrorDetail = ErrorBody["error"];

/** What the client learned from the HTTP answer that produced a value. */
export interface ResponseMeta {
  status: number;
  requestId: string | undefined;
  /** True when the API answered with the stored response of an earlier request with the same key. */
  idempotentReplayed: boolean;
  /** The Idempotency-Key sent (POST only). */
  idempotencyKey: string | undefined;
  headers: Headers;
}

/** A value the API answered with, plus `lastResponse` (not enumerable: it stays out of JSON). */
export type WithResponse<T> = T & { readonly lastResponse: ResponseMeta };

/** Options of one call. */
export interface RequestOptions {
  /** Sent as Idempotency-Key on a POST; a UUID is generated when omitted. */
  idempotencyKey?: string;
  /** Overrides the client's maxRetries for this call. */
  maxRetries?: number;
  signal?: AbortSignal;
}
