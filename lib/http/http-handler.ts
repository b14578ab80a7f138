// Owns assembling an HTTP Lambda: the middleware chain in its one correct order, then dispatch on
// API Gateway's routeKey to the route handler. Handlers in functions/http only list their routes.
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { RouteNotFoundError } from "../errors.js";
import { FAULTS_HEADER } from "../faults.js";
import type { Runtime } from "../runtime.js";
import { authenticate } from "./authenticate.js";
import { authorize } from "./authorize.js";
import { errorResponse, json } from "./error-response.js";
import { idempotency } from "./idempotency.js";
import { jsonBody } from "./json-body.js";
import { lambdaContext } from "./lambda-context.js";
import { assertPathIds } from "./path-ids.js";
import { requestContext } from "./request-context.js";
import { responseHeaders } from "./response-headers.js";
import type { RouteKey } from "./routes.js";
import type { ApiEvent, ApiResponse, RouteHandler } from "./types.js";

export type RouteTable = Partial<Record<RouteKey, RouteHandler>>;

export function httpHandler(rt: Runtime, routes: RouteTable, options: { authenticate?: boolean } = {}) {
  const core = async (event: ApiEvent, _context: Context): Promise<ApiResponse> => {
    const route = routes[event.routeKey as RouteKey];
    if (!route) throw new RouteNotFoundError(event.requestContext.http.method, event.rawPath);
    assertPathIds(event.routeKey, event.payrail.params);
    // The test-only fault seam: inert (runs the route as is) unless PAYRAIL_FAULTS_ENABLED=1.
    const result = await rt.faults.during(event.headers[FAULTS_HEADER], () => route(event.payrail));
    return json(result.status, result.body);
  };
  const chain = middy<ApiEvent, ApiResponse>()
    // Every log line of the call carries the Lambda context (request id, cold start).
    .use(lambdaContext(rt.logger))
    // Registered first so its after/onError runs last and stamps every answer, errors included.
    .use(responseHeaders(rt.logger, rt.metrics))
    .use(errorResponse(rt.logger))
    .use(requestContext())
    .use(jsonBody(rt.config.maxBodyBytes));
  if (options.authenticate !== false)
    chain
      .use(
        authenticate(rt.store, {
          cacheTtlMs: rt.config.authCacheTtlSeconds * 1000,
          liveModeEnabled: rt.config.liveRail !== "none",
        }),
      )
      .use(authorize());
  return chain.use(idempotency(rt.config.idempotencyTtlSeconds)).handler(core);
}
