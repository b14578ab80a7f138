// Owns what the OpenAPI document says about each route: its schemas, its success answers and the
// error codes it can answer with. Keyed by RouteKey, so a route added to lib/http/routes.ts does
// not compile until it is described here.
import * as z from "zod";
import type { ResourceKind } from "../domain/ids.js";
import { RULE_FAILURE_CODES } from "../domain/risk/rules.js";
import type { RouteKey } from "../http/routes.js";
import { accountSchema, createAccountSchema } from "../schemas/accounts.js";
import { apiKeySchema, createApiKeySchema, createdApiKeySchema } from "../schemas/api-keys.js";
import {
  approvalPolicyRequestSchema,
  approvalPolicySchema,
  approveBatchSchema,
  rejectBatchSchema,
} from "../schemas/approvals.js";
import {
  batchItemSchema,
  batchSchema,
  createBatchSchema,
  listBatchesQuerySchema,
  listBatchItemsQuerySchema,
} from "../schemas/batches.js";
import { listQuerySchema } from "../schemas/common.js";
import type { ErrorCode } from "../schemas/errors.js";
import { eventSchema, listEventsQuerySchema } from "../schemas/events.js";
import { createFxQuoteSchema, fxHouseAccountSchema, fxQuoteSchema } from "../schemas/fx.js";
import { captureHoldSchema, createHoldSchema, holdSchema } from "../schemas/holds.js";
import { listSchema } from "../schemas/lists.js";
import { createPaymentSchema, listPaymentsQuerySchema, paymentSchema } from "../schemas/payments.js";
import { createRefundSchema, listRefundsQuerySchema, refundSchema } from "../schemas/refunds.js";
import { createRiskRuleSchema, deletedRiskRuleSchema, riskRuleSchema } from "../schemas/risk.js";
import { createTopupSchema, topupSchema } from "../schemas/topups.js";
import {
  createWebhookEndpointSchema,
  deletedWebhookEndpointSchema,
  listDeliveriesQuerySchema,
  redeliverySchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from "../schemas/webhooks.js";

export interface SuccessAnswer {
  status: number;
  description: string;
  schema: z.ZodType;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag:
    | "Accounts"
    | "Top-ups"
    | "Payments"
    | "Refunds"
    | "Holds"
    | "FX"
    | "Batches"
    | "Events"
    | "Webhooks"
    | "Risk"
    | "Access"
    | "Meta";
  /** False for the few routes answered without an API key. */
  authenticated: boolean;
  /** The kind of id in `{id}`, when the path has one. */
  pathId?: ResourceKind;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The request example, where one built from the schema would break a rule across fields. */
  exampleRequest?: Record<string, unknown>;
  answers: SuccessAnswer[];
  /** The error codes this route can answer with, by HTTP status. */
  errors: Partial<Record<number, readonly ErrorCode[]>>;
}

/** What the OpenAPI route itself answers: this document (described loosely, as any object). */
export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string() })
  .meta({ id: "OpenApiDocument", description: "This OpenAPI 3.1 document." });

/** What the benchmark no-op route answers. */
export const pingSchema = z.object({ object: z.literal("ping"), merchant: z.string() }).meta({ id: "Ping" });

// Error codes by situation; each route lists the situations it is in.
const AUTHENTICATED = {
  401: ["api_key_missing", "api_key_invalid"],
  // permission_denied: the key's role does not allow the route (lib/domain/permissions.ts).
  403: ["livemode_unavailable", "permission_denied"],
  500: ["internal_error"],
  503: ["service_unavailable"],
} as const;
const POST_BODY = {
  400: [
    "parameter_missing",
    "parameter_invalid",
    "parameter_unknown",
    "body_not_json",
    "body_not_object",
    "body_too_deep",
  ],
  413: ["body_too_large"],
} as const;
const IDEMPOTENT = {
  400: ["idempotency_key_invalid"],
  409: ["idempotency_key_in_use"],
  422: ["idempotency_key_reused"],
} as const;
const LIST_QUERY = { 400: ["parameter_invalid", "parameter_unknown"] } as const;
const BY_ID = { 404: ["resource_missing"] } as const;

/** The declines of risk rules (lib/domain/risk/rules.ts), answered 402 with the failed payment. */
const RISK_RULE_CODES: readonly ErrorCode[] = Object.values(RULE_FAILURE_CODES);

/** Merges situation code lists into one per status, without repeats. */
function codes(
  ...parts: Partial<Record<number, readonly ErrorCode[]>>[]
): Partial<Record<number, readonly ErrorCode[]>> {
  const out: Record<number, ErrorCode[]> = {};
  for (const part of parts) {
    for (const [status, list] of Object.entries(part)) {
      const merged = out[Number(status)] ?? [];
      for (const code of list ?? []) if (!merged.includes(code)) merged.push(code);
      out[Number(status)] = merged;
    }
  }
  return out;
}

const created = (schema: z.ZodType, what: string): SuccessAnswer => ({
  status: 201,
  description: `The ${what}, created.`,
  schema,
});
const ok = (schema: z.ZodType, description: string): SuccessAnswer => ({ status: 200, description, schema });

export const OPERATIONS: Record<RouteKey, Operation> = {
  "POST /v1/accounts": {
    operationId: "createAccount",
    summary: "Open an account",
    description: "A wallet holds money in the ledger; a bank account is an external payout destination.",
    tag: "Accounts",
    authenticated: true,
    body: createAccountSchema,
    answers: [created(accountSchema, "account")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT),
  },
  "GET /v1/accounts": {
    operationId: "listAccounts",
    summary: "List accounts",
    description:
      "The merchant's accounts in the key's mode, newest first; page with `starting_after`/`ending_before`, bound by `created[gte|gt|lte|lt]`.",
    tag: "Accounts",
    authenticated: true,
    query: listQuerySchema("account"),
    answers: [ok(listSchema(accountSchema, "AccountList"), "Accounts, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/accounts/{id}": {
    operationId: "retrieveAccount",
    summary: "Retrieve an account",
    description:
      "An account with its `balance` (total) and `available` (balance minus holds), in minor units; a bank account shows only the last four characters of its number.",
    tag: "Accounts",
    authenticated: true,
    pathId: "account",
    answers: [ok(accountSchema, "The account.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/topups": {
    operationId: "createTopup",
    summary: "Top up a wallet (test mode only)",
    description:
      "The only way money enters a test-mode wallet. With a live key: 403 test_mode_only; live wallets are funded by inbound credits the bank rail reports (README, Deploy to AWS).",
    tag: "Top-ups",
    authenticated: true,
    body: createTopupSchema,
    answers: [created(topupSchema, "top-up")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: ["account_not_wallet", "currency_mismatch", "balance_limit_exceeded"],
      403: ["test_mode_only"],
    }),
  },
  "GET /v1/topups/{id}": {
    operationId: "retrieveTopup",
    summary: "Retrieve a top-up",
    description: "A top-up as it was recorded (top-ups succeed or are refused; none is pending).",
    tag: "Top-ups",
    authenticated: true,
    pathId: "topup",
    answers: [ok(topupSchema, "The top-up.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/payments": {
    operationId: "createPayment",
    summary: "Make a real-time payment",
    description:
      "Moves money from a wallet to another wallet (settled at once) or to a bank account (202 until the bank rail answers). A declined payment is recorded and answered with 402 carrying it. To a wallet in another currency, with `quote` (its locked rate, used once) or `convert: true` (the current rate): the answer carries `fx`.",
    tag: "Payments",
    authenticated: true,
    body: createPaymentSchema,
    answers: [
      created(paymentSchema, "payment, succeeded"),
      {
        status: 202,
        description:
          "The payment, reserved and awaiting the bank rail (`processing`) or a review (`requires_review`, a `review` risk rule).",
        schema: paymentSchema,
      },
    ],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: [
        "same_account",
        "source_not_wallet",
        "currency_mismatch",
        "quote_mismatch",
        "quote_used",
        "quote_expired",
        "amount_too_small",
        "amount_too_large",
      ],
      402: [
        "insufficient_funds",
        "balance_limit_exceeded",
        "channel_declined",
        "processing_error",
        ...RISK_RULE_CODES,
      ],
    }),
  },
  "GET /v1/payments": {
    operationId: "listPayments",
    summary: "List payments",
    description:
      "Payments newest first, with at most one filter (`status`, `source`, `destination` or `batch`) served from its own index, and `created[...]` bounds in Unix seconds or RFC 3339.",
    tag: "Payments",
    authenticated: true,
    query: listPaymentsQuerySchema,
    answers: [ok(listSchema(paymentSchema, "PaymentList"), "Payments, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/payments/{id}": {
    operationId: "retrievePayment",
    summary: "Retrieve a payment",
    description:
      "A payment in its current state: `processing` while a bank payout awaits the rail, then `succeeded`, `failed` or `returned`.",
    tag: "Payments",
    authenticated: true,
    pathId: "payment",
    answers: [ok(paymentSchema, "The payment.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/batches": {
    operationId: "createBatch",
    summary: "Submit a batch of payments",
    description:
      "Up to 10,000 items from one source wallet, validated as a whole: every problem is listed in `error.errors` and nothing is accepted. The batch is executed asynchronously, at `scheduled_at` when given.",
    tag: "Batches",
    authenticated: true,
    body: createBatchSchema(),
    answers: [{ status: 202, description: "The batch, accepted.", schema: batchSchema }],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: [
        "duplicate_item_id",
        "same_account",
        "batch_total_too_large",
        "source_not_wallet",
        "currency_mismatch",
        "scheduled_at_in_past",
      ],
      402: ["insufficient_funds"],
    }),
  },
  "GET /v1/batches": {
    operationId: "listBatches",
    summary: "List batches",
    description: "Batches newest first, filtered by `status` or `source` if given.",
    tag: "Batches",
    authenticated: true,
    query: listBatchesQuerySchema,
    answers: [ok(listSchema(batchSchema, "BatchList"), "Batches, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/batches/{id}": {
    operationId: "retrieveBatch",
    summary: "Retrieve a batch",
    description:
      "A batch with its counts and amounts per outcome (`succeeded`, `failed`, `canceled`, `returned`, `pending`), updated as its chunks are paid.",
    tag: "Batches",
    authenticated: true,
    pathId: "batch",
    answers: [ok(batchSchema, "The batch, with its counts and amounts so far.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "GET /v1/batches/{id}/items": {
    operationId: "listBatchItems",
    summary: "List a batch's items",
    description:
      "A batch's items with their result and payment id; `status` filters them, `starting_after` takes an item id.",
    tag: "Batches",
    authenticated: true,
    pathId: "batch",
    query: listBatchItemsQuerySchema,
    answers: [
      ok(listSchema(batchItemSchema, "BatchItemList"), "The batch's items, optionally of one status."),
    ],
    errors: codes(AUTHENTICATED, LIST_QUERY, BY_ID),
  },
  "POST /v1/batches/{id}/cancel": {
    operationId: "cancelBatch",
    summary: "Cancel a scheduled batch",
    description:
      "Cancels a batch that is still `scheduled`: nothing was reserved, its items end `canceled`. A released batch answers 409 `batch_not_cancelable`.",
    tag: "Batches",
    authenticated: true,
    pathId: "batch",
    answers: [ok(batchSchema, "The batch, canceled.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, { 409: ["batch_not_cancelable"] }),
  },
  "POST /v1/batches/{id}/approve": {
    operationId: "approveBatch",
    summary: "Approve a batch that requires approval",
    description:
      "Maker-checker: approves a `requires_approval` batch with a key other than the one that created it (403 `approver_is_creator`), whose role is `admin` or `approver`. A batch due now becomes `queued` and is released at once (its total reserved); one whose `scheduled_at` is still ahead becomes `scheduled`; one whose `scheduled_at` passed while it waited runs at once. Nothing was reserved before: a batch due now whose source cannot cover it answers 402 `insufficient_funds` and stays `requires_approval`. Approve and reject racing each other end with exactly one winner; any batch not in `requires_approval` answers 409 `batch_not_awaiting_approval` carrying it.",
    tag: "Batches",
    authenticated: true,
    pathId: "batch",
    body: approveBatchSchema,
    answers: [ok(batchSchema, "The batch, approved (`queued` or `scheduled`).")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      402: ["insufficient_funds"],
      403: ["approver_is_creator"],
      409: ["batch_not_awaiting_approval"],
    }),
  },
  "POST /v1/batches/{id}/reject": {
    operationId: "rejectBatch",
    summary: "Reject a batch that requires approval",
    description:
      "Cancels a `requires_approval` batch: it ends `canceled` with `approval.status` `rejected` (and the optional `reason`); nothing was reserved, so no money moves. Needs an `admin` or `approver` key; the creating key may reject (withdraw) its own batch. Any batch not in `requires_approval` answers 409 `batch_not_awaiting_approval`.",
    tag: "Batches",
    authenticated: true,
    pathId: "batch",
    body: rejectBatchSchema,
    answers: [ok(batchSchema, "The batch, rejected (`canceled`).")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, { 409: ["batch_not_awaiting_approval"] }),
  },
  "POST /v1/refunds": {
    operationId: "createRefund",
    summary: "Refund a payment",
    description:
      "Moves (part of) a succeeded wallet-to-wallet payment back from its destination to its source in one transaction. Several partial refunds never add up to more than the payment, even when sent at once. A refund the destination wallet can no longer fund is recorded as failed and answered with 402 carrying it.",
    tag: "Refunds",
    authenticated: true,
    body: createRefundSchema,
    answers: [created(refundSchema, "refund, succeeded")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: ["refund_exceeds_payment"],
      402: ["insufficient_funds", "balance_limit_exceeded"],
      409: ["payment_not_refundable"],
    }),
  },
  "GET /v1/refunds": {
    operationId: "listRefunds",
    summary: "List refunds",
    description: "All refunds, or one payment's with `payment=`.",
    tag: "Refunds",
    authenticated: true,
    query: listRefundsQuerySchema,
    answers: [ok(listSchema(refundSchema, "RefundList"), "Refunds, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/refunds/{id}": {
    operationId: "retrieveRefund",
    summary: "Retrieve a refund",
    description: "A refund: `succeeded`, or `failed` with its failure code.",
    tag: "Refunds",
    authenticated: true,
    pathId: "refund",
    answers: [ok(refundSchema, "The refund.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "GET /v1/events": {
    operationId: "listEvents",
    summary: "List events",
    description:
      "Every state change writes one event in the same transaction. Oldest first: poll forward with `starting_after` set to the last id seen. Events appear about 5 s after their change (the read horizon), so a reader's cursor never passes an event that commits later. Kept 30 days.",
    tag: "Events",
    authenticated: true,
    query: listEventsQuerySchema,
    answers: [ok(listSchema(eventSchema, "EventList"), "Events, oldest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/events/{id}": {
    operationId: "retrieveEvent",
    summary: "Retrieve an event",
    description: "One event by id, at once (the list shows events about 5 s after their change).",
    tag: "Events",
    authenticated: true,
    pathId: "event",
    answers: [ok(eventSchema, "The event.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/events/{id}/redeliver": {
    operationId: "redeliverEvent",
    summary: "Send an event again",
    description: "Queues a new delivery of the event to every enabled endpoint subscribed to its type.",
    tag: "Events",
    authenticated: true,
    pathId: "event",
    answers: [
      { status: 202, description: "The endpoints the event is sent to again.", schema: redeliverySchema },
    ],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID),
  },
  "POST /v1/webhook_endpoints": {
    operationId: "createWebhookEndpoint",
    summary: "Create a webhook endpoint",
    description:
      "Events of the listed types (or `*`, or `payment.*`) are POSTed to `url`, signed with the endpoint's secret (`Payrail-Signature: t=…,v1=…`). The secret is in this answer only.",
    tag: "Webhooks",
    authenticated: true,
    body: createWebhookEndpointSchema,
    answers: [created(webhookEndpointSchema, "webhook endpoint, with its secret")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, {
      400: ["url_not_https", "url_not_public", "too_many_endpoints"],
    }),
  },
  "GET /v1/webhook_endpoints": {
    operationId: "listWebhookEndpoints",
    summary: "List webhook endpoints",
    description: "The merchant's webhook endpoints in the key's mode (secrets are never listed).",
    tag: "Webhooks",
    authenticated: true,
    query: listQuerySchema("webhookEndpoint"),
    answers: [ok(listSchema(webhookEndpointSchema, "WebhookEndpointList"), "Endpoints, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/webhook_endpoints/{id}": {
    operationId: "retrieveWebhookEndpoint",
    summary: "Retrieve a webhook endpoint",
    description:
      "One endpoint: its URL, event types and status (`disabled_reason` when disabled); never its secret.",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    answers: [ok(webhookEndpointSchema, "The endpoint (without its secret).")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "DELETE /v1/webhook_endpoints/{id}": {
    operationId: "deleteWebhookEndpoint",
    summary: "Delete a webhook endpoint",
    description:
      "Deletes the endpoint; a delivery queued for it before is not sent (its events stay listable).",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    answers: [ok(deletedWebhookEndpointSchema, "The endpoint, deleted.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/webhook_endpoints/{id}/disable": {
    operationId: "disableWebhookEndpoint",
    summary: "Disable a webhook endpoint",
    description:
      "Stops deliveries to the endpoint until it is enabled again; a delivery queued before is not sent (redeliver its event by id).",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    answers: [ok(webhookEndpointSchema, "The endpoint, disabled.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID),
  },
  "POST /v1/webhook_endpoints/{id}/enable": {
    operationId: "enableWebhookEndpoint",
    summary: "Enable a webhook endpoint",
    description: "Also after payrail disabled it for failing; its failure clock starts again.",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    answers: [ok(webhookEndpointSchema, "The endpoint, enabled.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID),
  },
  "POST /v1/webhook_endpoints/{id}/rotate_secret": {
    operationId: "rotateWebhookEndpointSecret",
    summary: "Rotate an endpoint's secret",
    description:
      "Answers the new secret (once). For 24 hours deliveries carry two `v1=` signatures, the new secret's first, so receivers can switch without missing one.",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    answers: [ok(webhookEndpointSchema, "The endpoint, with its new secret.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID),
  },
  "GET /v1/webhook_endpoints/{id}/deliveries": {
    operationId: "listWebhookDeliveries",
    summary: "List an endpoint's delivery attempts",
    description:
      "Every delivery attempt to the endpoint, newest first: the event, HTTP status or error, duration and the next retry.",
    tag: "Webhooks",
    authenticated: true,
    pathId: "webhookEndpoint",
    query: listDeliveriesQuerySchema,
    answers: [ok(listSchema(webhookDeliverySchema, "WebhookDeliveryList"), "Attempts, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY, BY_ID),
  },
  "POST /v1/holds": {
    operationId: "createHold",
    summary: "Hold an amount on a wallet",
    description:
      "Takes the amount out of the source's available balance (its balance is unchanged) until the hold is captured, voided or expires (`expires_at`, default 7 days, at most 30).",
    tag: "Holds",
    authenticated: true,
    body: createHoldSchema(),
    answers: [created(holdSchema, "hold, held")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: ["same_account", "source_not_wallet", "destination_not_wallet", "currency_mismatch"],
      402: ["insufficient_funds"],
    }),
  },
  "GET /v1/holds": {
    operationId: "listHolds",
    summary: "List holds",
    description: "The merchant's holds newest first, in every status.",
    tag: "Holds",
    authenticated: true,
    query: listQuerySchema("hold"),
    answers: [ok(listSchema(holdSchema, "HoldList"), "Holds, newest first.")],
    errors: codes(AUTHENTICATED, LIST_QUERY),
  },
  "GET /v1/holds/{id}": {
    operationId: "retrieveHold",
    summary: "Retrieve a hold",
    description: "A hold: `held` until it is captured, voided or expires (`expires_at`).",
    tag: "Holds",
    authenticated: true,
    pathId: "hold",
    answers: [ok(holdSchema, "The hold.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/holds/{id}/capture": {
    operationId: "captureHold",
    summary: "Capture a hold",
    description:
      "Pays `amount` (at most the held amount, all of it by default) to the destination as a payment and releases the rest. Racing a void or the expiry, exactly one wins.",
    tag: "Holds",
    authenticated: true,
    pathId: "hold",
    body: captureHoldSchema,
    answers: [ok(holdSchema, "The hold, captured; `payment` is the payment it made.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      400: ["capture_exceeds_hold"],
      402: ["balance_limit_exceeded", ...RISK_RULE_CODES],
      409: ["hold_not_active"],
    }),
  },
  "POST /v1/holds/{id}/void": {
    operationId: "voidHold",
    summary: "Void a hold",
    description:
      "Releases a `held` hold's whole amount to the source's available balance; any other status answers 409 `hold_not_active`.",
    tag: "Holds",
    authenticated: true,
    pathId: "hold",
    answers: [ok(holdSchema, "The hold, voided; the whole amount is available again.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, { 409: ["hold_not_active"] }),
  },
  "POST /v1/risk_rules": {
    operationId: "createRiskRule",
    summary: "Set a risk rule",
    description:
      "A rule every payment, batch item and hold capture from the merchant's source wallets (or from `account` only) answers to, in the key's mode: `amount` (one payment at most), `daily_outflow` (per source wallet, any rolling 24 hours) / `monthly_outflow` (per UTC calendar month), `velocity` (payments per minute per source), `new_destination` (a payment above `amount` to a destination first paid less than `hours` ago), `blocked_destinations` (a deny list). A payment that breaks a `decline` rule is recorded failed with the rule's code (402); a `review` rule parks it in `requires_review`.",
    tag: "Risk",
    authenticated: true,
    body: createRiskRuleSchema,
    answers: [created(riskRuleSchema, "risk rule")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, { 400: ["too_many_risk_rules"] }),
  },
  "GET /v1/risk_rules": {
    operationId: "listRiskRules",
    summary: "List risk rules",
    description: "Every rule of the merchant in the key's mode (at most 100, one page), oldest first.",
    tag: "Risk",
    authenticated: true,
    answers: [ok(listSchema(riskRuleSchema, "RiskRuleList"), "The rules, oldest first.")],
    errors: codes(AUTHENTICATED),
  },
  "GET /v1/risk_rules/{id}": {
    operationId: "retrieveRiskRule",
    summary: "Retrieve a risk rule",
    description: "One rule as it was set.",
    tag: "Risk",
    authenticated: true,
    pathId: "riskRule",
    answers: [ok(riskRuleSchema, "The rule.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "DELETE /v1/risk_rules/{id}": {
    operationId: "deleteRiskRule",
    summary: "Delete a risk rule",
    description:
      "Deletes the rule: at once for payments served by the container that deleted it, within PAYRAIL_RISK_RULES_CACHE_SECONDS (10 s) everywhere.",
    tag: "Risk",
    authenticated: true,
    pathId: "riskRule",
    answers: [ok(deletedRiskRuleSchema, "The rule, deleted.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "POST /v1/payments/{id}/approve": {
    operationId: "approvePayment",
    summary: "Approve a payment held for review",
    description:
      "Executes a payment in `requires_review` from its reserved amount, through the same rule engine: a `decline` rule it breaks now fails it with the rule's code (402) and releases the reservation. A bank payout is sent to the rail from the reservation: 402 `channel_declined` if the rail declines it (the amount returns to the source), 202 `processing` if the rail has not answered (recovery finishes it). Any other status answers 409 `payment_not_in_review`; approve and decline racing end with exactly one winner.",
    tag: "Payments",
    authenticated: true,
    pathId: "payment",
    answers: [
      ok(paymentSchema, "The payment, succeeded."),
      {
        status: 202,
        description: "A bank payout, approved and sent, whose rail has not answered yet (`processing`).",
        schema: paymentSchema,
      },
    ],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, {
      402: [...RISK_RULE_CODES, "channel_declined"],
      409: ["payment_not_in_review"],
    }),
  },
  "POST /v1/payments/{id}/decline": {
    operationId: "declinePayment",
    summary: "Decline a payment held for review",
    description:
      "Fails a payment in `requires_review` with `review_declined` and releases its reserved amount to the source. Any other status answers 409 `payment_not_in_review`.",
    tag: "Payments",
    authenticated: true,
    pathId: "payment",
    answers: [ok(paymentSchema, "The payment, failed with `review_declined`.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, BY_ID, { 409: ["payment_not_in_review"] }),
  },
  "POST /v1/fx_quotes": {
    operationId: "createFxQuote",
    summary: "Quote a currency conversion",
    description:
      "Converts `source_amount` (fee included) or `destination_amount` at the current rate and locks it until `expires_at` (60 s by default) for one payment. Amounts are rounded in the house's favour: what the payee gets down, what the payer pays up.",
    tag: "FX",
    authenticated: true,
    body: createFxQuoteSchema,
    answers: [created(fxQuoteSchema, "quote, open")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT, { 400: ["amount_too_small", "amount_too_large"] }),
  },
  "GET /v1/fx_quotes/{id}": {
    operationId: "retrieveFxQuote",
    summary: "Retrieve a quote",
    description:
      "A quote: `open` until a payment uses it (`used`, with `payment`) or `expires_at` passes (`expired`).",
    tag: "FX",
    authenticated: true,
    pathId: "quote",
    answers: [ok(fxQuoteSchema, "The quote: open, used (by `payment`) or expired.")],
    errors: codes(AUTHENTICATED, BY_ID),
  },
  "GET /v1/fx_house_accounts": {
    operationId: "listFxHouseAccounts",
    summary: "List the house FX accounts",
    description:
      "Per currency, what the house took in (source amounts: converted + fee + remainder) and paid out (destination amounts) converting this merchant's money. Per currency, wallets + money in flight + this balance = top-ups - bank payouts.",
    tag: "FX",
    authenticated: true,
    answers: [ok(listSchema(fxHouseAccountSchema, "FxHouseAccountList"), "One per currency converted.")],
    errors: codes(AUTHENTICATED),
  },
  "GET /v1/ping": {
    operationId: "ping",
    summary: "Authenticated no-op",
    description: "Crosses the same middleware chain as a payment and does nothing; for benchmarks.",
    tag: "Meta",
    authenticated: true,
    answers: [ok(pingSchema, "The merchant the key belongs to.")],
    errors: codes(AUTHENTICATED),
  },
  "POST /v1/api_keys": {
    operationId: "createApiKey",
    summary: "Create an API key",
    description:
      "Issues a key of the calling key's merchant and mode with a role (default `admin`) and an optional name. The key itself (`secret`) is in this answer only. Admin keys only.",
    tag: "Access",
    authenticated: true,
    body: createApiKeySchema,
    answers: [created(createdApiKeySchema, "API key, active, with its secret")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT),
  },
  "GET /v1/api_keys": {
    operationId: "listApiKeys",
    summary: "List API keys",
    description:
      "The merchant's keys in the calling key's mode, oldest first (at most 100): id, name, role, status and the last four characters, never a secret. Admin keys only.",
    tag: "Access",
    authenticated: true,
    answers: [ok(listSchema(apiKeySchema, "ApiKeyList"), "The keys.")],
    errors: codes(AUTHENTICATED),
  },
  "POST /v1/api_keys/{id}/revoke": {
    operationId: "revokeApiKey",
    summary: "Revoke an API key",
    description:
      "The key stops working (within the authentication cache's TTL, 60 s by default). A key cannot revoke itself (409 `cannot_revoke_own_key`). Revoking a revoked key answers it again. Admin keys only.",
    tag: "Access",
    authenticated: true,
    pathId: "apiKey",
    answers: [ok(apiKeySchema, "The key, revoked.")],
    errors: codes(AUTHENTICATED, BY_ID, { 409: ["cannot_revoke_own_key"] }),
  },
  "POST /v1/approval_policy": {
    operationId: "setApprovalPolicy",
    summary: "Set the batch approval policy",
    description:
      "Replaces the policy of the calling key's mode (a rule left out or null is no rule). A batch created at or above a threshold is `requires_approval`: nothing is reserved and it does not run until another key approves it. Batches already created keep their state. Admin keys only.",
    tag: "Access",
    authenticated: true,
    body: approvalPolicyRequestSchema,
    exampleRequest: { batch_amount_at_least: { USD: 1_000_000 }, batch_items_at_least: 500 },
    answers: [ok(approvalPolicySchema, "The policy now in force.")],
    errors: codes(AUTHENTICATED, POST_BODY, IDEMPOTENT),
  },
  "GET /v1/approval_policy": {
    operationId: "retrieveApprovalPolicy",
    summary: "Retrieve the batch approval policy",
    description:
      "The policy of the calling key's mode; no rules (`{}` and null) until one is set. Admin keys only.",
    tag: "Access",
    authenticated: true,
    answers: [ok(approvalPolicySchema, "The policy.")],
    errors: codes(AUTHENTICATED),
  },
  "GET /v1/openapi.json": {
    operationId: "getOpenApiDocument",
    summary: "This OpenAPI document",
    description:
      "This document (OpenAPI 3.1), with `servers` naming the API it was served from; no key needed.",
    tag: "Meta",
    authenticated: false,
    answers: [ok(openApiDocumentSchema, "The OpenAPI 3.1 document.")],
    errors: { 500: ["internal_error"] },
  },
};
