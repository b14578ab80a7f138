// Owns the headers every answer carries: Request-Id, Server-Timing and Content-Language, and the one access log
// line per call (structured, with the three phases; never the body or the key).
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj, Request } from "@middy/core";
import type { PayrailMetrics } from "../observability/metrics.js";
import type { ApiEvent, ApiResponse } from "./types.js";

export function responseHeaders(
  logger: Logger,
  metrics: PayrailMetrics,
): MiddlewareObj<ApiEvent, ApiResponse> {
  const finish = (request: Request<ApiEvent, ApiResponse>) => {
    const call = request.event.payrail;
    const response = request.response;
    if (!call || !response) return;
    response.headers = {
      ...response.headers,
      "request-id": call.requestId,
      "server-timing": call.timer.header(),
      "content-language": call.language,
    };
    const phases = call.timer.phases();
    logger.info("request", {
      requestId: call.requestId,
      merchantId: call.merchantId || undefined,
      route: request.event.routeKey,
      status: response.statusCode,
      resourceId: resourceIdOf(request.event, response),
      timing: phases,
    });
    metrics.apiCall(request.event.routeKey, response.statusCode, phases);
  };
  return { name: "responseHeaders", after: finish, onError: finish };
}

/** The id of the resource a call touched, for the log line: from the path, or the created object. */
function resourceIdOf(event: ApiEvent, response: ApiResponse): string | undefined {
  if (event.pathParameters?.id) return event.pathParameters.id;
  const match =
    typeof response.body === "string" ? /^\{"id":"([a-z]+_[0-9A-Z]{26})"/.exec(response.body) : null;
  return match?.[1];
}
