// Owns payrail's error hierarchy. Each situation is one class carrying its HTTP status, error type
// and code; the error middleware maps any PayrailError to `{error: {type, code, message, param}}`.
// Callers branch on the class, never on message text. A message with values is built from a
// MessageRef (lib/i18n), so the answer can say it in the caller's language; one without a ref is
// said in another language by its code's catalogue message.
import type { Language } from "./i18n/language.js";
import { type MessageRef, messageRef } from "./i18n/message-ref.js";
import { renderMessage } from "./i18n/render.js";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "idempotency_error"
  | "payment_error"
  | "api_error";

/** One field-level problem, used when a request has several (batch items). */
export interface FieldError {
  param: string;
  code: string;
  message: string;
  /** The message in language-neutral form; never answered itself. */
  ref?: MessageRef;
}

export interface PayrailErrorOptions {
  param?: string;
  cause?: unknown;
  /** Extra members of the `error` object (e.g. `payment`, `errors`). */
  details?: Record<string, unknown>;
  /** The message in language-neutral form, when it carries values. */
  ref?: MessageRef;
}

/** The English message of `ref`, and `ref` kept for other languages. */
function said(ref: MessageRef, options: PayrailErrorOptions = {}): [string, PayrailErrorOptions] {
  return [renderMessage("en", ref), { ...options, ref }];
}

/** Base class: anything the API answers with a 4xx (or a deliberate 5xx). */
export class PayrailError extends Error {
  override name = "PayrailError";
  readonly param: string | undefined;
  readonly details: Record<string, unknown>;
  readonly ref: MessageRef | undefined;
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    options: PayrailErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.param = options.param;
    this.details = options.details ?? {};
    this.ref = options.ref;
  }
}

/** A parameter is missing, malformed, out of range or unknown (400). */
export class InvalidRequestError extends PayrailError {
  override name = "InvalidRequestError";
  constructor(code: string, message: string | MessageRef, options: PayrailErrorOptions = {}) {
    if (typeof message === "string") super(400, "invalid_request_error", code, message, options);
    else super(400, "invalid_request_error", code, ...said(message, options));
  }
}

/** Several parameters are wrong at once; `errors` lists at most 100 of them (400). */
export class InvalidParametersError extends InvalidRequestError {
  override name = "InvalidParametersError";
  /** The refs of `details.errors`, by index (kept apart: they are not part of the answer). */
  readonly fieldRefs: (MessageRef | undefined)[];
  constructor(errors: FieldError[], total = errors.length) {
    const first = errors[0];
    // One problem reads as itself; several say how many and show the first (all are in `errors`).
    const message =
      total === 1 && first
        ? first.message
        : `${total} invalid parameters${first ? ` (all listed in error.errors); the first: ${first.message}` : ""}`;
    const ref =
      first?.ref &&
      (total === 1 ? first.ref : messageRef("parameter_invalid.several", { total, first: first.ref }));
    const listed = errors.slice(0, 100);
    super(first?.code ?? "parameter_invalid", message, {
      param: first?.param,
      details: { errors: listed.map(({ ref: _ref, ...answered }) => answered) },
      ...(ref ? { ref } : {}),
    });
    this.fieldRefs = listed.map((error) => error.ref);
  }
}

/** The request body exceeds the synchronous payload limit (413). */
export class BodyTooLargeError extends PayrailError {
  override name = "BodyTooLargeError";
  constructor(limitBytes: number) {
    super(
      413,
      "invalid_request_error",
      "body_too_large",
      ...said(messageRef("body_too_large.detail", { limit: limitBytes })),
    );
  }
}

/** No valid secret key was presented (401). */
export class AuthenticationError extends PayrailError {
  override name = "AuthenticationError";
  constructor(code: "api_key_missing" | "api_key_invalid", message: string | MessageRef) {
    if (typeof message === "string") super(401, "authentication_error", code, message);
    else super(401, "authentication_error", code, ...said(message));
  }
}

/** A live key on a stage that runs no live mode (no live bank rail configured) (403). */
export class LiveModeUnavailableError extends PayrailError {
  override name = "LiveModeUnavailableError";
  constructor() {
    super(
      403,
      "invalid_request_error",
      "livemode_unavailable",
      "This stage has no live mode (no live bank rail is configured); use your sk_test_ key.",
    );
  }
}

/** Something only test mode has (sandbox top-ups) was asked for with a live key (403). */
export class TestModeOnlyError extends PayrailError {
  override name = "TestModeOnlyError";
  constructor(what: string) {
    super(
      403,
      "invalid_request_error",
      "test_mode_only",
      `${what} exist only in test mode: money enters live wallets through inbound credits the bank rail reports.`,
    );
  }
}

/** The id is unknown or belongs to another merchant: both answer exactly the same (404). */
export class ResourceMissingError extends PayrailError {
  override name = "ResourceMissingError";
  constructor(kind: string, id: string, param?: string) {
    super(
      404,
      "invalid_request_error",
      "resource_missing",
      ...said(messageRef("resource_missing.detail", { kind: messageRef(`kind.${kind}`), id }), { param }),
    );
  }
}

/** No route matches the path (404). */
export class RouteNotFoundError extends PayrailError {
  override name = "RouteNotFoundError";
  constructor(method: string, path: string) {
    super(
      404,
      "invalid_request_error",
      "route_not_found",
      ...said(messageRef("route_not_found.detail", { method, path })),
    );
  }
}

/** The path exists but not with this method (405). */
export class MethodNotAllowedError extends PayrailError {
  override name = "MethodNotAllowedError";
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super(
      405,
      "invalid_request_error",
      "method_not_allowed",
      ...said(messageRef("method_not_allowed.detail", { method, path }), { details: { allowed } }),
    );
  }
}

/** The Idempotency-Key was used before with a different request (422). */
export class IdempotencyKeyReusedError extends PayrailError {
  override name = "IdempotencyKeyReusedError";
  constructor() {
    super(
      422,
      "idempotency_error",
      "idempotency_key_reused",
      "This Idempotency-Key was already used with different request parameters.",
    );
  }
}

/** The first request with this Idempotency-Key is still running (409). */
export class IdempotencyKeyInUseError extends PayrailError {
  override name = "IdempotencyKeyInUseError";
  constructor() {
    super(
      409,
      "idempotency_error",
      "idempotency_key_in_use",
      "A request with this Idempotency-Key is still being processed; retry later.",
    );
  }
}

/** A payment was attempted, recorded as failed, and is returned with the error (402). */
export class PaymentFailedError extends PayrailError {
  override name = "PaymentFailedError";
  constructor(code: string, message: string, payment: unknown) {
    super(402, "payment_error", code, message, { details: { payment } });
  }
}

/** A refund was attempted, recorded as failed, and is returned with the error (402). */
export class RefundFailedError extends PayrailError {
  override name = "RefundFailedError";
  constructor(code: string, message: string, refund: unknown) {
    super(402, "payment_error", code, message, { details: { refund } });
  }
}

/** The payment is not in a state that can be refunded (not succeeded, or a bank payout) (409). */
export class PaymentNotRefundableError extends PayrailError {
  override name = "PaymentNotRefundableError";
  constructor(message: string) {
    super(409, "invalid_request_error", "payment_not_refundable", message, { param: "payment" });
  }
}

/** A batch to be paid now costs more than its source wallet holds; nothing was stored (402). */
export class BatchUnfundedError extends PayrailError {
  override name = "BatchUnfundedError";
  /** `approval`: refused at approval; the batch stays `requires_approval`. */
  constructor(available: number, total: number, currency: string, at: "creation" | "approval" = "creation") {
    super(
      402,
      "payment_error",
      "insufficient_funds",
      ...said(
        messageRef(at === "approval" ? "insufficient_funds.approval" : "insufficient_funds.batch", {
          available,
          total,
          currency,
        }),
        { param: "source" },
      ),
    );
  }
}

/** A hold was refused before anything was written (the source cannot cover it) (402). */
export class HoldDeclinedError extends PayrailError {
  override name = "HoldDeclinedError";
  constructor(code: "insufficient_funds", message: string) {
    super(402, "payment_error", code, message);
  }
}

/** The hold was captured, voided or has expired: it accepts nothing else (409). */
export class HoldNotActiveError extends PayrailError {
  override name = "HoldNotActiveError";
  constructor(message: string, hold: unknown) {
    super(409, "invalid_request_error", "hold_not_active", message, { details: { hold } });
  }
}

/** A payment that is not (or no longer) in `requires_review` was asked to be approved or declined (409). */
export class PaymentNotInReviewError extends PayrailError {
  override name = "PaymentNotInReviewError";
  constructor(message: string, payment: unknown) {
    super(409, "invalid_request_error", "payment_not_in_review", message, { details: { payment } });
  }
}

/** The owner already has the most risk rules a merchant may have in one mode (400). */
export class TooManyRiskRulesError extends PayrailError {
  override name = "TooManyRiskRulesError";
  constructor() {
    super(
      400,
      "invalid_request_error",
      "too_many_risk_rules",
      "A merchant has at most 100 risk rules in each mode.",
    );
  }
}

/** Only a scheduled batch can be canceled (409). */
export class BatchNotCancelableError extends PayrailError {
  override name = "BatchNotCancelableError";
  constructor(status: string) {
    super(
      409,
      "invalid_request_error",
      "batch_not_cancelable",
      ...said(messageRef("batch_not_cancelable.detail", { status })),
    );
  }
}

/** The calling key's role does not allow this route (lib/domain/permissions.ts) (403). */
export class PermissionDeniedError extends PayrailError {
  override name = "PermissionDeniedError";
  constructor(role: string, route: string, allowed: readonly string[]) {
    super(
      403,
      "invalid_request_error",
      "permission_denied",
      ...said(messageRef("permission_denied.detail", { role, route, allowed: allowed.join(", ") }), {
        details: { role },
      }),
    );
  }
}

/** Maker-checker: the key that created a batch cannot approve it (403). */
export class ApproverIsCreatorError extends PayrailError {
  override name = "ApproverIsCreatorError";
  constructor() {
    super(
      403,
      "invalid_request_error",
      "approver_is_creator",
      "The key that created this batch cannot approve it: approve with another key of this merchant.",
    );
  }
}

/** Only a batch in `requires_approval` can be approved or rejected (409). */
export class BatchNotAwaitingApprovalError extends PayrailError {
  override name = "BatchNotAwaitingApprovalError";
  constructor(status: string, batch: unknown) {
    super(
      409,
      "invalid_request_error",
      "batch_not_awaiting_approval",
      ...said(messageRef("batch_not_awaiting_approval.detail", { status }), { details: { batch } }),
    );
  }
}

/** A key cannot revoke itself (the call would lock its caller out mid-session) (409). */
export class CannotRevokeOwnKeyError extends PayrailError {
  override name = "CannotRevokeOwnKeyError";
  constructor() {
    super(
      409,
      "invalid_request_error",
      "cannot_revoke_own_key",
      "A key cannot revoke itself; revoke it with another admin key (or `npm run admin -- revoke-key`).",
    );
  }
}

/** A transient failure of a dependency (DynamoDB throttling, rail timeout) after retries (503). */
export class ServiceUnavailableError extends PayrailError {
  override name = "ServiceUnavailableError";
  constructor(message: string, cause?: unknown) {
    super(503, "api_error", "service_unavailable", message, { cause });
  }
}

/** The error's message in `language`: its ref said there, else its code's catalogue message. */
export function messageIn(error: PayrailError, language: Language): string {
  if (language === "en") return error.message;
  return renderMessage(language, error.ref ?? messageRef(error.code));
}

/** The documented error body; also what an idempotency record stores for a replayed failure. */
export function toErrorBody(
  error: PayrailError,
  requestId: string,
  language: Language = "en",
): { error: Record<string, unknown> } {
  const details = { ...error.details };
  if (language !== "en" && error instanceof InvalidParametersError) {
    details.errors = (details.errors as FieldError[]).map((field, index) => ({
      ...field,
      message: renderMessage(language, error.fieldRefs[index] ?? messageRef(field.code)),
    }));
  }
  return {
    error: {
      type: error.type,
      code: error.code,
      message: messageIn(error, language),
      ...(error.param === undefined ? {} : { param: error.param }),
      ...details,
      request_id: requestId,
    },
  };
}
