// Owns authorization: after authentication names the calling key, its role must hold the permission
// the route needs (lib/http/routes.ts ROUTE_PERMISSIONS, lib/domain/permissions.ts). Runs before the
// idempotency middleware, so a refused call neither claims nor replays an Idempotency-Key, and
// before the route, so nothing is read or written for it.
import type { MiddlewareObj } from "@middy/core";
import { roleAllows, rolesAllowing } from "../domain/permissions.js";
import { PermissionDeniedError } from "../errors.js";
import { ROUTE_PERMISSIONS, type RouteKey } from "./routes.js";
import type { ApiEvent } from "./types.js";

export function authorize(): MiddlewareObj<ApiEvent> {
  return {
    name: "authorize",
    before(request) {
      const route = request.event.routeKey as RouteKey;
      const permission = ROUTE_PERMISSIONS[route];
      // An unknown route is answered 404 by the handler; a public one needs no key.
      if (permission === undefined || permission === "public") return;
      const role = request.event.payrail.apiKey.role;
      if (!roleAllows(role, permission))
        throw new PermissionDeniedError(role, route, rolesAllowing(permission));
    },
  };
}
