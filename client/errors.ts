// Owns the client's error hierarchy: one class per situation a caller handles differently. Callers
// branch on the class (or `code`), never on `message`.
import type { ApiErrorDetail, FieldError, Payment } from "./types.js";

interface ApiErrorInit {
  status: number;
  detail: Partial<ApiErrorDetail> & { message?: string };
  headers: Headers;
  idempotencyKey: string | undefined;
}

/** The API answered with an error. */
export class PayrailApiError extends Error {
  override name = "PayrailApiError";
  readonly status: number;
  /** `invalid_request_error`, `authentication_error`, `idempotency_error`, `payment_error`, `api_error`. */
  readonly type: string;
  readonly code: string;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  readonly idempotencyKey: string | undefined;
  /** The whole `error` object as sent. */
  readonly raw: Record<string, unknown>;
  readonly headers: Headers;

  constructor(init: ApiErrorInit) {
    super(init.detail.message ?? `HTTP ${init.status}`);
    this.status = init.status;
    this.type = init.detail.type ?? "api_error";
    this.code = init.detail.code ?? "unexpected_response";
    this.param = init.detail.param;
    this.requestId = init.detail.request_id ?? init.headers.get("request-id") ?? undefined;
    this.idempotencyKey = init.idempotencyKey;
    this.raw = init.detail as Record<string, unknown>;
    this.headers = init.headers;
  }
}

/** No valid API key (401). */
export class AuthenticationError extends PayrailApiError {
  override name = "AuthenticationError";
}

/** The request is invalid (400, 405, 409 batch_not_cancelable, 413); `errors` lists field problems. */
export class InvalidRequestError extends PayrailApiError {
  override name = "InvalidRequestError";
  get errors(): FieldError[] {
    return (this.raw.errors as FieldError[] | undefined) ?? [];
  }
}

/** No such object, or no such route (404). */
export class NotFoundError extends InvalidRequestError {
  override name = "NotFoundError";
}

/** The payment was attempted and declined (402); `payment` is the failed payment as recorded. */
export class PaymentError extends PayrailApiError {
  override name = "PaymentError";
  get payment(): Payment {
    return this.raw.payment as Payment;
  }
}

/**
 * The key may not do this (403): its role does not allow the route (`permission_denied`, `role`
 * says which), or it created the batch it tries to approve (`approver_is_creator`).
 */
export class PermissionError extends InvalidRequestError {
  override name = "PermissionError";
}

/** The Idempotency-Key was reused with another request (422) or is still in use (409, retried). */
export class IdempotencyError extends PayrailApiError {
  override name = "IdempotencyError";
}

/** Too many requests (429), after the retries. */
export class RateLimitError extends PayrailApiError {
  override name = "RateLimitError";
}

/** The API failed (5xx), after the retries. */
export class ServerError extends PayrailApiError {
  override name = "ServerError";
}

/** No answer reached the client (network failure or timeout), after the retries. */
export class PayrailConnectionError extends Error {
  override name = "PayrailConnectionError";
  constructor(
    message: string,
    readonly idempotencyKey: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The class for an error answer: by type first (the API's own classification), then by status. */
export function apiErrorFor(init: ApiErrorInit): PayrailApiError {
  const { status } = init;
  const type = init.detail.type;
  if (status === 401 || type === "authentication_error") return new AuthenticationError(init);
  if (status === 402 || type === "payment_error") return new PaymentError(init);
  if (type === "idempotency_error") return new IdempotencyError(init);
  if (status === 429) return new RateLimitError(init);
  if (status >= 500) return new ServerError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 403) return new PermissionError(init);
  if (status >= 400 && status < 500) return new InvalidRequestError(init);
  return new PayrailApiError(init);
}
