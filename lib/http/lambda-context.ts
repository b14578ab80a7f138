// Owns putting the Lambda context (request id, function, cold start) on every log line of a call.
import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { ApiEvent, ApiResponse } from "./types.js";

export function lambdaContext(logger: Logger): MiddlewareObj<ApiEvent, ApiResponse> {
  return {
    name: "lambdaContext",
    before(request) {
      if (request.context) logger.addContext(request.context);
    },
  };
}
