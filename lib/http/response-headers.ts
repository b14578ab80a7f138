// Owns the headers every answer carries: Request-Id and Server-Timing, and the one access log
// line per call (structured, with the three phases; never the body or the key).
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj, Request } from "@middy/core";
import type { ApiEvent, ApiResponse } from "./types.js";

export function responseHeaders(logger: Logger): MiddlewareObj<ApiEvent, ApiResponse> {
  const finish = (request: Request<ApiEvent, ApiResponse>) => {
    const call = request.event.payrail;
    const response = request.response;
    if (!call || !response) return;
    response.headers = {
      ...response.headers,
      "request-id": call.requestId,
      "server-timing": call.timer.header(),
    };
    logger.info("request", {
      requestId: call.requestId,
      merchantId: call.merchantId || undefined,
      route: request.event.routeKey,
      status: response.statusCode,
      timing: call.timer.phases(),
    });
  };
  return { name: "responseHeaders", after: finish, onError: finish };
}
