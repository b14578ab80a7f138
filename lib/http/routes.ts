// Owns the list of public routes: the fallback handler answers 405 or 404 from it, and the OpenAPI
// document is checked against it.

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
  "GET /v1/openapi.json",
  "GET /v1/ping",
] as const;

export type RouteKey = (typeof ROUTES)[number];

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
