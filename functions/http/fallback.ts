// HTTP: everything no route matched. Answers 405 with Allow for a known path and a wrong method,
// 404 otherwise; unauthenticated so probing unknown URLs costs no key lookup.
import middy from "@middy/core";
import { MethodNotAllowedError, RouteNotFoundError } from "../../lib/errors.js";
import { errorResponse } from "../../lib/http/error-response.js";
import { lambdaContext } from "../../lib/http/lambda-context.js";
import { requestContext } from "../../lib/http/request-context.js";
import { responseHeaders } from "../../lib/http/response-headers.js";
import { allowedMethods } from "../../lib/http/routes.js";
import type { ApiEvent, ApiResponse } from "../../lib/http/types.js";
import { observability } from "../../lib/observability/index.js";

const { logger, metrics } = observability();

export const handler = middy<ApiEvent, ApiResponse>()
  .use(lambdaContext(logger))
  .use(responseHeaders(logger, metrics))
  .use(errorResponse(logger))
  .use(requestContext())
  .handler(async (event) => {
    const method = event.requestContext.http.method;
    const allowed = allowedMethods(event.rawPath);
    if (allowed.length > 0) throw new MethodNotAllowedError(method, event.rawPath, allowed);
    throw new RouteNotFoundError(method, event.rawPath);
  });
