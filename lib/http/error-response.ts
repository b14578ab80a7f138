// Owns turning anything thrown into an HTTP answer: a PayrailError becomes its documented shape,
// an idempotent replay becomes the stored response, and anything else a logged 500 that reveals
// nothing but the request id.
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import { MethodNotAllowedError, PayrailError, ServiceUnavailableError, toErrorBody } from "../errors.js";
import { DEFAULT_LANGUAGE } from "../i18n/language.js";
import { messageRef } from "../i18n/message-ref.js";
import { renderMessage } from "../i18n/render.js";
import { IdempotentReplay } from "../ledger/idempotent-replay.js";
import type { ApiEvent, ApiResponse } from "./types.js";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    statusCode: status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(logger: Logger): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    name: "errorResponse",
    onError(request) {
      const error = request.error;
      const requestId = request.event.payrail?.requestId ?? "req_unknown";
      const language = request.event.payrail?.language ?? DEFAULT_LANGUAGE;
      if (error instanceof IdempotentReplay) {
        request.response = json(error.response.statusCode, error.response.body, {
          "idempotent-replayed": "true",
        });
        return;
      }
      if (isTransientAwsError(error)) {
        // DynamoDB throttled or was briefly unavailable after the SDK's own retries: nothing was
        // half-done that a retry with the same Idempotency-Key cannot finish, so say "retry".
        logger.warn("dependency throttled", { requestId, error });
        const unavailable = new ServiceUnavailableError(
          "payrail is busy; retry with the same Idempotency-Key.",
        );
        request.response = json(503, toErrorBody(unavailable, requestId, language), { "retry-after": "1" });
        return;
      }
      if (error instanceof PayrailError) {
        const headers: Record<string, string> =
          error instanceof MethodNotAllowedError ? { allow: error.allowed.join(", ") } : {};
        if (error.status >= 500) logger.warn("dependency unavailable", { requestId, error });
        request.response = json(error.status, toErrorBody(error, requestId, language), headers);
        return;
      }
      logger.error("unhandled error", { requestId, error });
      request.response = json(500, {
        error: {
          type: "api_error",
          code: "internal_error",
          message: renderMessage(language, messageRef("internal_error")),
          request_id: requestId,
        },
      });
    },
  };
}

const TRANSIENT_AWS_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionInProgressException",
]);

function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: unknown }).$retryable;
  return TRANSIENT_AWS_ERRORS.has(error.name) || retryable !== undefined;
}
