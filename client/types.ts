// Owns the client's request and response types. They come from client/generated/openapi.ts,
// which `npm run openapi` generates from the API's OpenAPI document (itself generated from the zod
// schemas the API validates with), so the published package declares every type it uses and
// imports nothing from lib/ or zod. test/unit/client/types.test.ts checks they equal the schemas'.
import type { components, operations } from "./generated/openapi.js";

type Schemas = components["schemas"];
/** The query parameters of a GET operation, by its operationId. */
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

export type Account = Schemas["Account"];
export type Topup = Schemas["Topup"];
export type Payment = Schemas["Payment"];
export type Batch = Schemas["Batch"];
export type BatchItem = Schemas["BatchItem"];
export type Refund = Schemas["Refund"];
/** An event as listed by GET /v1/events and delivered to webhook endpoints. */
export type Event = Schemas["Event"];
export type Hold = Schemas["Hold"];
export type FxQuote = Schemas["FxQuote"];
export type FxHouseAccount = Schemas["FxHouseAccount"];
export type RiskRule = Schemas["RiskRule"];
export type DeletedRiskRule = Schemas["DeletedRiskRule"];
export type ApiKey = Schemas["ApiKey"];
/** A key as created: with its `secret`, shown only then. */
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type ApprovalPolicy = Schemas["ApprovalPolicy"];

export type AccountCreateParams = Schemas["CreateAccountRequest"];
export type TopupCreateParams = Schemas["CreateTopupRequest"];
export type PaymentCreateParams = Schemas["CreatePaymentRequest"];
export type BatchCreateParams = Schemas["CreateBatchRequest"];
export type RefundCreateParams = Schemas["CreateRefundRequest"];
export type HoldCreateParams = Schemas["CreateHoldRequest"];
export type HoldCaptureParams = Schemas["CaptureHoldRequest"];
export type FxQuoteCreateParams = Schemas["CreateFxQuoteRequest"];
export type RiskRuleCreateParams = Schemas["CreateRiskRuleRequest"];
export type BatchItemParams = BatchCreateParams["items"][number];
export type BatchRejectParams = Schemas["RejectBatchRequest"];
export type ApiKeyCreateParams = Schemas["CreateApiKeyRequest"];
export type ApprovalPolicyParams = Schemas["ApprovalPolicyRequest"];

/** `limit` (1 to 100) and `starting_after` (an id of the previous page). */
export type ListParams = QueryOf<"listAccounts">;
export type PaymentListParams = QueryOf<"listPayments">;
export type BatchListParams = QueryOf<"listBatches">;
export type BatchItemListParams = QueryOf<"listBatchItems">;
/** `payment` (one payment's refunds), `limit` and `starting_after`. */
export type RefundListParams = QueryOf<"listRefunds">;
/** `type` (or `payment.*`), `object` (one object's events), `limit` and `starting_after`. */
export type EventListParams = QueryOf<"listEvents">;

/** A page of a list route, newest first. */
export interface List<T> {
  object: "list";
  /** The path of this list. */
  url: string;
  /** True when a next page exists: pass the last id as starting_after. */
  has_more: boolean;
  data: T[];
}
export type FieldError = Schemas["FieldError"];
/** The `error` member of an error answer, as sent. */
export type ApiErrorDetail = Schemas["Error"]["error"];
export type ErrorCode = Schemas["ErrorCode"];

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
