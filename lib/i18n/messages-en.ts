// Owns the English messages: one per error code (said when an error carries nothing more
// specific), the variants of a code that carry values (`resource_missing.detail`), and the bank
// details messages. Templates take `{name}` values; see render.ts.
import type { ErrorCode } from "../schemas/errors.js";
import { BANK_DETAILS_EN } from "./bank-details-en.js";

/** One message per `error.code` (lib/schemas/errors.ts lists them); none takes a value. */
export const CODE_MESSAGES_EN = {
  parameter_missing: "A required parameter is missing.",
  parameter_invalid: "A parameter is malformed or out of range.",
  parameter_unknown: "The request has a parameter the API does not know.",
  body_not_json: "The request body is not valid JSON.",
  body_not_object: "The request body must be a JSON object.",
  body_too_deep: "The request body nests objects or arrays too deeply.",
  body_too_large: "The request body exceeds the 6 MB synchronous payload limit.",
  idempotency_key_invalid: "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.",
  same_account: "The source and destination must differ.",
  source_not_wallet: "The source account is not a wallet.",
  account_not_wallet: "Only wallets can be topped up.",
  duplicate_item_id: "Two batch items share an id.",
  batch_total_too_large: "The batch items add up to more than a wallet can hold.",
  scheduled_at_in_past: "scheduled_at is more than 5 minutes in the past; omit it to pay now.",
  api_key_missing: "No API key provided.",
  api_key_invalid: "The API key is malformed, unknown or revoked.",
  livemode_unavailable:
    "This stage has no live mode (no live bank rail is configured); use your sk_test_ key.",
  test_mode_only:
    "Only test mode has this: money enters live wallets through inbound credits the bank rail reports.",
  resource_missing: "No such object.",
  route_not_found: "Unrecognized request URL.",
  method_not_allowed: "The URL exists but not with this method; see the Allow header.",
  idempotency_key_reused: "This Idempotency-Key was already used with different request parameters.",
  idempotency_key_in_use: "A request with this Idempotency-Key is still being processed; retry later.",
  batch_not_cancelable: "Only a scheduled batch can be canceled.",
  payment_not_refundable:
    "Only a succeeded wallet-to-wallet payment can be refunded (bank payouts are returned by the bank).",
  refund_exceeds_payment: "The refund is larger than what is left to refund of the payment.",
  url_not_https: "Live mode endpoints must use https.",
  url_not_public: "Live mode endpoints must be public hosts.",
  too_many_endpoints: "A merchant has at most 16 webhook endpoints.",
  hold_not_active: "The hold was captured, voided or has expired: it accepts nothing else.",
  capture_exceeds_hold: "A capture cannot exceed the held amount.",
  destination_not_wallet: "A hold's destination must be a wallet.",
  permission_denied: "This API key's role does not allow this call.",
  approver_is_creator:
    "The key that created this batch cannot approve it: approve with another key of this merchant.",
  batch_not_awaiting_approval: "Only a batch that requires approval can be approved or rejected.",
  cannot_revoke_own_key: "A key cannot revoke itself; use another admin key.",
  service_unavailable: "payrail is busy; retry with the same Idempotency-Key.",
  internal_error: "An internal error occurred.",
  insufficient_funds: "The source wallet does not hold enough funds.",
  channel_declined: "The destination bank declined the payment.",
  account_not_found: "A batch item's destination account does not exist.",
  currency_mismatch: "An account holds another currency than the payment.",
  balance_limit_exceeded: "The destination wallet cannot hold a larger balance.",
  batch_failed: "The batch failed before this item was executed.",
  processing_error: "The payment could not be processed.",
  amount_too_small: "The amount converts to less than one minor unit of the destination currency.",
  amount_too_large: "One side of the conversion would exceed 10^12 minor units.",
  quote_mismatch: "The FX quote converts another currency pair or amount than this payment.",
  quote_used: "The FX quote was already used by a payment; a quote is used once.",
  quote_expired: "The FX quote has expired; ask for a new one.",
} as const satisfies Record<ErrorCode, string>;

/** Messages that carry values: `<code>.<variant>`, and the words they use. */
export const VARIANT_MESSAGES_EN = {
  "parameter_missing.detail": "Missing required parameter: {param}",
  "parameter_missing.rule": "Missing required parameter: {param}: {detail}",
  "parameter_invalid.detail": "Invalid {param}: {detail}",
  "parameter_invalid.several": "{total} invalid parameters (all listed in error.errors); the first: {first}",
  "parameter_unknown.detail": "Received unknown parameter: {param}",
  "parameter_unknown.suggestion": "Received unknown parameter: {param}. Did you mean `{suggestion}`?",
  "body_too_large.detail": "Request body exceeds {limit} bytes.",
  "body_too_deep.detail": "The request body nests objects or arrays more than {depth} levels deep.",
  "body_not_json.malformed": "The request body is not valid JSON (check quotes, commas and brackets). {how}",
  "body_not_json.form": "The request body is form-encoded (name=value&…), not JSON. {how}",
  "body_not_json.detail": "The request body is not JSON. {how}",
  "json.how":
    'payrail takes JSON request bodies only: send a JSON object with Content-Type: application/json, e.g. curl … -H "Content-Type: application/json" -d \'{"amount":1050,"currency":"USD"}\'.',
  "capture_exceeds_hold.detail": "At most {amount} can be captured.",
  "currency_mismatch.account": "The account holds {currency}.",
  "api_key_missing.detail": "No API key provided: send {how}.",
  "api_key_invalid.no_scheme": "The Authorization header has no scheme: send {how}.",
  "api_key_invalid.unreadable": "The Authorization header is not a Bearer or Basic credential: send {how}.",
  "api_key_invalid.detail": "Invalid API key provided: {key}",
  "auth.how": "`Authorization: Bearer {key}` (or HTTP Basic with the key as user name: `curl -u {key}:`)",
  "resource_missing.detail": "No such {kind}: '{id}'",
  "route_not_found.detail": "Unrecognized request URL ({method}: {path}).",
  "method_not_allowed.detail": "{method} is not allowed on {path}.",
  "batch_not_cancelable.detail": "A batch in status '{status}' cannot be canceled.",
  "permission_denied.detail":
    "This API key has role '{role}', which cannot call {route}; use a key with role {allowed}.",
  "batch_not_awaiting_approval.detail":
    "The batch is '{status}': only a batch in 'requires_approval' can be approved or rejected.",
  "insufficient_funds.batch":
    "The source wallet holds {available} {currency} (minor units) and the batch totals {total}: top it up and send the batch again. Nothing was stored.",
  "insufficient_funds.approval":
    "The source wallet holds {available} {currency} (minor units) and the batch totals {total}: top it up and approve again. The batch still requires approval; nothing was reserved.",
  "schema.amount_integer": "must be an integer number of minor units",
  "schema.amount_positive": "must be greater than 0",
  "schema.at_most": "must be at most {max}",
  "schema.currency_format": "must be a three-letter ISO 4217 code: {currencies}",
  "schema.currency_unsupported": "is not a supported currency; supported: {currencies}",
  "schema.id_a": "must be a {kind} id ({prefix}_…)",
  "schema.id_an": "must be an {kind} id ({prefix}_…)",
  "kind.account": "account",
  "kind.payment": "payment",
  "kind.batch": "batch",
  "kind.topup": "topup",
  "kind.refund": "refund",
  "kind.hold": "hold",
  "kind.event": "event",
  "kind.webhook_endpoint": "webhook_endpoint",
  "kind.api_key": "API key",
  "kind.resource": "resource",
} as const;

export const MESSAGES_EN: Record<string, string> = {
  ...CODE_MESSAGES_EN,
  ...VARIANT_MESSAGES_EN,
  ...BANK_DETAILS_EN,
};
