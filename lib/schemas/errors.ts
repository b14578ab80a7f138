// Owns the error body shape and the catalog of error codes the API answers with. The OpenAPI
// document's ErrorCode enum is this catalog; test/unit/openapi.test.ts checks that every code
// thrown from lib/ and functions/ is in it.
import * as z from "zod";
import type { ErrorType } from "../errors.js";
import { holdSchema } from "./holds.js";
import { type PAYMENT_FAILURE_CODES, paymentSchema } from "./payments.js";
import { refundSchema } from "./refunds.js";

export const ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "idempotency_error",
  "payment_error",
  "api_error",
] as const satisfies readonly ErrorType[];

/** Compile-time check: an ErrorType added to lib/errors.ts must be listed above. */
export const ERROR_TYPES_COMPLETE: [Exclude<ErrorType, (typeof ERROR_TYPES)[number]>] extends [never]
  ? true
  : never = true;

/** Declines carried by a 402 (and by failed batch items), as recorded on the payment. */
const PAYMENT_FAILURE_DESCRIPTIONS: Record<(typeof PAYMENT_FAILURE_CODES)[number], string> = {
  insufficient_funds: "The source wallet does not hold enough funds.",
  channel_declined: "The destination bank declined the payment.",
  account_not_found: "A batch item's destination account does not exist.",
  currency_mismatch: "An account holds another currency than the payment.",
  balance_limit_exceeded: "The destination wallet cannot hold a larger balance.",
  batch_failed: "The batch failed before this item was executed.",
  processing_error: "The payment could not be processed.",
  amount_too_large: "One side of a conversion would exceed 10^12 minor units.",
  amount_limit_exceeded: "A risk rule caps a single payment below this amount.",
  daily_limit_exceeded:
    "The payment would take the source wallet past a daily outflow rule (rolling 24 hours).",
  monthly_limit_exceeded: "The payment would take the source wallet past a monthly outflow rule (UTC month).",
  velocity_limit_exceeded: "The source wallet made as many payments this minute as a velocity rule allows.",
  new_destination_limit: "The destination was first paid too recently (or never) for a payment this large.",
  destination_blocked: "The destination is on a risk rule's deny list.",
  review_declined: "The payment was held for review and declined (POST /v1/payments/{id}/decline).",
};

/** Every `error.code` the API answers with, and what it means. */
export const ERROR_CODES = {
  parameter_missing: "A required parameter is missing (`param` names it).",
  parameter_invalid: "A parameter is malformed or out of range (`param` names it).",
  parameter_unknown: "The request has a parameter the API does not know.",
  body_not_json: "The request body is not valid JSON.",
  body_not_object: "The request body is JSON but not an object.",
  body_too_deep: "The request body nests objects or arrays more than 32 levels deep.",
  body_too_large: "The request body exceeds the 6 MB synchronous payload limit.",
  idempotency_key_invalid: "The Idempotency-Key header is not 1 to 255 printable ASCII characters.",
  same_account: "The source and destination are the same account.",
  source_not_wallet: "The source account is not a wallet.",
  account_not_wallet: "Only wallets can be topped up.",
  duplicate_item_id: "Two batch items share an id.",
  batch_total_too_large: "The batch items add up to more than a wallet can hold.",
  scheduled_at_in_past: "scheduled_at is more than 5 minutes in the past; omit it to pay now.",
  api_key_missing: "No API key was sent.",
  api_key_invalid: "The API key is malformed, unknown, revoked or past its rotation grace period.",
  livemode_unavailable: "A live key on a stage without live mode (no live bank rail); use the sk_test_ key.",
  test_mode_only: "Only test mode has this (sandbox top-ups); live wallets are funded by inbound credits.",
  resource_missing: "No such object for this merchant.",
  route_not_found: "No route matches the URL.",
  method_not_allowed: "The URL exists but not with this method; see the Allow header.",
  idempotency_key_reused: "The Idempotency-Key was used before with different request parameters.",
  idempotency_key_in_use: "The first request with this Idempotency-Key is still running; retry later.",
  batch_not_cancelable: "Only a scheduled batch can be canceled.",
  payment_not_refundable:
    "Only a succeeded wallet-to-wallet payment can be refunded (bank payouts are returned by the bank).",
  refund_exceeds_payment: "The refund is larger than what is left to refund of the payment.",
  url_not_https: "Live mode webhook endpoints must use https.",
  url_not_public: "Live mode webhook endpoints must be on a public host.",
  too_many_endpoints: "A merchant has at most 16 webhook endpoints.",
  hold_not_active: "The hold was captured, voided or has expired: it accepts nothing else (`hold` shows it).",
  capture_exceeds_hold: "A capture cannot exceed the held amount.",
  destination_not_wallet: "A hold's destination must be a wallet.",
  quote_mismatch:
    "The FX quote converts another pair or amount than the payment (`param` says which: quote or amount).",
  quote_used: "The FX quote was already used by a payment; quotes are used once.",
  quote_expired: "The FX quote is past its `expires_at`; ask for a new one.",
  amount_too_small: "The amount converts to less than one minor unit of the destination currency.",
  payment_not_in_review:
    "Only a payment in `requires_review` can be approved or declined, once (`payment` shows it as it stands).",
  too_many_risk_rules: "A merchant has at most 100 risk rules per mode.",
  permission_denied:
    "The API key's role does not allow this call (`role` names it; admin, payer, approver, read_only).",
  approver_is_creator: "The key that created a batch cannot approve it (maker-checker): use another key.",
  batch_not_awaiting_approval:
    "Only a batch in `requires_approval` can be approved or rejected (`batch` shows it as it is).",
  cannot_revoke_own_key: "A key cannot revoke itself; use another admin key.",
  service_unavailable: "A dependency stayed unavailable after retries; retry with the same Idempotency-Key.",
  internal_error: "An unexpected error; report the request_id.",
  ...PAYMENT_FAILURE_DESCRIPTIONS,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const fieldErrorSchema = /* @__PURE__ */ z
  .object({ param: z.string(), code: z.string(), message: z.string() })
  .meta({ id: "FieldError" });

export const errorBodySchema = /* @__PURE__ */ z
  .object({
    error: z.object({
      type: z.enum(ERROR_TYPES),
      code: z.enum(ERROR_CODE_LIST).meta({ id: "ErrorCode" }),
      message: z.string().meta({ description: "For people; may change. Branch on `code`." }),
      param: z.string().optional().meta({ description: "The parameter or header at fault." }),
      request_id: z.string(),
      payment: paymentSchema.optional().meta({ description: "402 only: the failed payment, as recorded." }),
      refund: refundSchema.optional().meta({ description: "402 only: the failed refund, as recorded." }),
      hold: holdSchema.optional().meta({ description: "409 `hold_not_active` only: the hold as it stands." }),
      errors: z
        .array(fieldErrorSchema)
        .optional()
        .meta({ description: "400 with several problems: the first 100 of them." }),
      allowed: z.array(z.string()).optional().meta({ description: "405 only: the methods the URL allows." }),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.output<typeof errorBodySchema>;
