// Owns the list of public routes: the fallback handler answers 405 or 404 from it, the OpenAPI
// document is checked against it, and each route names the permission a key needs to call it.
import type { Permission } from "../domain/permissions.js";

export const ROUTES = [
  "POST /v1/accounts",
  "GET /v1/accounts",
  "GET /v1/accounts/{id}",
  "POST /v1/topups",
  "GET /v1/topups/{id}",
  "POST /v1/payments",
  "GET /v1/payments",
  "GET /v1/payments/{id}",
  "POST /v1/batches",
  "GET /v1/batches",
  "GET /v1/batches/{id}",
  "GET /v1/batches/{id}/items",
  "POST /v1/batches/{id}/cancel",
  "POST /v1/batches/{id}/approve",
  "POST /v1/batches/{id}/reject",
  "POST /v1/refunds",
  "GET /v1/refunds",
  "GET /v1/refunds/{id}",
  "GET /v1/events",
  "GET /v1/events/{id}",
  "POST /v1/events/{id}/redeliver",
  "POST /v1/webhook_endpoints",
  "GET /v1/webhook_endpoints",
  "GET /v1/webhook_endpoints/{id}",
  "DELETE /v1/webhook_endpoints/{id}",
  "POST /v1/webhook_endpoints/{id}/disable",
  "POST /v1/webhook_endpoints/{id}/enable",
  "POST /v1/webhook_endpoints/{id}/rotate_secret",
  "GET /v1/webhook_endpoints/{id}/deliveries",
  "POST /v1/holds",
  "GET /v1/holds",
  "GET /v1/holds/{id}",
  "POST /v1/holds/{id}/capture",
  "POST /v1/holds/{id}/void",
  "POST /v1/fx_quotes",
  "GET /v1/fx_quotes/{id}",
  "GET /v1/fx_house_accounts",
  "POST /v1/risk_rules",
  "GET /v1/risk_rules",
  "GET /v1/risk_rules/{id}",
  "DELETE /v1/risk_rules/{id}",
  "POST /v1/payments/{id}/approve",
  "POST /v1/payments/{id}/decline",
  "POST /v1/api_keys",
  "GET /v1/api_keys",
  "POST /v1/api_keys/{id}/revoke",
  "POST /v1/approval_policy",
  "GET /v1/approval_policy",
  "GET /v1/openapi.json",
  "GET /v1/ping",
] as const;

export type RouteKey = (typeof ROUTES)[number];

/**
 * The permission each route needs (lib/domain/permissions.ts says which roles hold it); `public`
 * routes take no key. A Record over RouteKey: a route added above without a permission does not
 * compile.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<RouteKey, Permission | "public">> = {
  "POST /v1/accounts": "pay",
  "GET /v1/accounts": "read",
  "GET /v1/accounts/{id}": "read",
  "POST /v1/topups": "pay",
  "GET /v1/topups/{id}": "read",
  "POST /v1/payments": "pay",
  "GET /v1/payments": "read",
  "GET /v1/payments/{id}": "read",
  "POST /v1/batches": "pay",
  "GET /v1/batches": "read",
  "GET /v1/batches/{id}": "read",
  "GET /v1/batches/{id}/items": "read",
  "POST /v1/batches/{id}/cancel": "pay",
  "POST /v1/batches/{id}/approve": "approve",
  "POST /v1/batches/{id}/reject": "approve",
  "POST /v1/refunds": "pay",
  "GET /v1/refunds": "read",
  "GET /v1/refunds/{id}": "read",
  "GET /v1/events": "read",
  "GET /v1/events/{id}": "read",
  "POST /v1/events/{id}/redeliver": "manage",
  "POST /v1/webhook_endpoints": "manage",
  "GET /v1/webhook_endpoints": "read",
  "GET /v1/webhook_endpoints/{id}": "read",
  "DELETE /v1/webhook_endpoints/{id}": "manage",
  "POST /v1/webhook_endpoints/{id}/disable": "manage",
  "POST /v1/webhook_endpoints/{id}/enable": "manage",
  "POST /v1/webhook_endpoints/{id}/rotate_secret": "manage",
  "GET /v1/webhook_endpoints/{id}/deliveries": "read",
  "POST /v1/holds": "pay",
  "GET /v1/holds": "read",
  "GET /v1/holds/{id}": "read",
  "POST /v1/holds/{id}/capture": "pay",
  "POST /v1/holds/{id}/void": "pay",
  "POST /v1/fx_quotes": "pay",
  "GET /v1/fx_quotes/{id}": "read",
  "GET /v1/fx_house_accounts": "read",
  // Risk rules are the merchant's controls: set by admins. A payment a review rule parked is
  // released or refused by whoever may approve (like a batch awaiting approval).
  "POST /v1/risk_rules": "manage",
  "GET /v1/risk_rules": "read",
  "GET /v1/risk_rules/{id}": "read",
  "DELETE /v1/risk_rules/{id}": "manage",
  "POST /v1/payments/{id}/approve": "approve",
  "POST /v1/payments/{id}/decline": "approve",
  "POST /v1/api_keys": "manage",
  "GET /v1/api_keys": "manage",
  "POST /v1/api_keys/{id}/revoke": "manage",
  "POST /v1/approval_policy": "manage",
  "GET /v1/approval_policy": "manage",
  "GET /v1/openapi.json": "public",
  "GET /v1/ping": "public",
};

function matches(template: string, path: string): boolean {
  const a = template.split("/");
  const b = path.split("/");
  return a.length === b.length && a.every((part, i) => part.startsWith("{") || part === b[i]);
}

/** The methods allowed on `path`; empty when no route has this path. */
export function allowedMethods(path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return ROUTES.filter((route) => matches(route.split(" ")[1] ?? "", trimmed)).map(
    (route) => route.split(" ")[0] ?? "",
  );
}
