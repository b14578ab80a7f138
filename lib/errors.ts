// Owns payrail's error hierarchy. Each situation is one class carrying its HTTP status, error type
// and code; the error middleware maps any PayrailError to `{error: {type, code, message, param}}`.
// Callers branch on the class, never on message text.

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
}

export interface PayrailErrorOptions {
  param?: string;
  cause?: unknown;
  /** Extra members of the `error` object (e.g. `payment`, `errors`). */
  details?: Record<string, unknown>;
}

/** Base class: anything the API answers with a 4xx (or a deliberate 5xx). */
export class PayrailError extends Error {
  override name = "PayrailError";
  readonly param: string | undefined;
  readonly details: Record<string, unknown>;
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
  }
}

/** A parameter is missing, malformed, out of range or unknown (400). */
export class InvalidRequestError extends PayrailError {
  override name = "InvalidRequestError";
  constructor(code: string, message: string, options: PayrailErrorOptions = {}) {
    super(400, "invalid_request_error", code, message, options);
  }
}

/** Several parameters are wrong at once; `errors` lists at most 100 of them (400). */
export class InvalidParametersError extends InvalidRequestError {
  override name = "InvalidParametersError";
  constructor(errors: FieldError[], total = errors.length) {
    const first = errors[0];
    // One problem reads as itself; several say how many and show the first (all are in `errors`).
    const message =
      total === 1 && first
        ? first.message
        : `${total} invalid parameters${first ? ` (all listed in error.errors); the first: ${first.message}` : ""}`;
    super(first?.code ?? "parameter_invalid", message, {
      param: first?.param,
      details: { errors: errors.slice(0, 100) },
    });
  }
}

/** The request body exceeds the synchronous payload limit (413). */
export class BodyTooLargeError extends PayrailError {
  override name = "BodyTooLargeError";
  constructor(limitBytes: number) {
    super(413, "invalid_request_error", "body_too_large", `Request body exceeds ${limitBytes} bytes.`);
  }
}

/** No valid secret key was presented (401). */
export class AuthenticationError extends PayrailError {
  override name = "AuthenticationError";
  constructor(code: "api_key_missing" | "api_key_invalid", message: string) {
    super(401, "authentication_error", code, message);
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
    super(404, "invalid_request_error", "resource_missing", `No such ${kind}: '${id}'`, { param });
  }
}

/** No route matches the path (404). */
export class RouteNotFoundError extends PayrailError {
  override name = "RouteNotFoundError";
  constructor(method: string, path: string) {
    super(404, "invalid_request_error", "route_not_found", `Unrecognized request URL (${method}: ${path}).`);
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
    super(405, "invalid_request_error", "method_not_allowed", `${method} is not allowed on ${path}.`, {
      details: { allowed },
    });
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
  constructor(available: number, total: number, currency: string) {
    super(
      402,
      "payment_error",
      "insufficient_funds",
      `The source wallet holds ${available} ${currency} (minor units) and the batch totals ${total}: top it up and send the batch again. Nothing was stored.`,
      { param: "source" },
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

/** Only a scheduled batch can be canceled (409). */
export class BatchNotCancelableError extends PayrailError {
  override name = "BatchNotCancelableError";
  constructor(status: string) {
    super(
      409,
      "invalid_request_error",
      "batch_not_cancelable",
      `A batch in status '${status}' cannot be canceled.`,
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

/** The documented error body; also what an idempotency record stores for a replayed failure. */
export function toErrorBody(error: PayrailError, requestId: string): { error: Record<string, unknown> } {
  return {
    error: {
      type: error.type,
      code: error.code,
      message: error.message,
      ...(error.param === undefined ? {} : { param: error.param }),
      ...error.details,
      request_id: requestId,
    },
  };
}
