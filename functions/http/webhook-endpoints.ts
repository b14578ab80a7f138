// HTTP: webhook endpoints (create with the secret shown once, read, list, delete, enable, disable,
// rotate the secret) and each endpoint's delivery log.
import { toEndpointResource } from "../../lib/domain/webhooks.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody } from "../../lib/http/lists.js";
import { listAttempts } from "../../lib/ledger/webhook-deliveries.js";
import { deleteEndpoint, merchantEndpoints, setEndpointStatus } from "../../lib/ledger/webhook-endpoints.js";
import { runtime } from "../../lib/runtime.js";
import { DEFAULT_LIST_LIMIT, listQuerySchema } from "../../lib/schemas/common.js";
import { parseWith } from "../../lib/schemas/validate.js";
import { createWebhookEndpointSchema, listDeliveriesQuerySchema } from "../../lib/schemas/webhooks.js";
import { createEndpoint, ownEndpoint, rotateEndpointSecret } from "../../lib/webhooks/endpoints.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  "POST /v1/webhook_endpoints": async (call) => {
    const request = parseWith(createWebhookEndpointSchema, call.body);
    const body = await call.timer.channel(() =>
      createEndpoint(rt.store, call.merchantId, request, call.livemode, Date.now()),
    );
    return { status: 201, body };
  },
  "GET /v1/webhook_endpoints": async (call) => {
    const query = parseWith(listQuerySchema("webhookEndpoint"), call.query);
    const limit = query.limit ?? DEFAULT_LIST_LIMIT;
    const all = await call.timer.channel(() => merchantEndpoints(rt.store, call.merchantId));
    // Newest first, like every list; at most 16 endpoints, so the page is cut in memory.
    const newest = all.sort((a, b) => (a.id < b.id ? 1 : -1));
    const after = query.starting_after;
    const rest = after === undefined ? newest : newest.filter((endpoint) => endpoint.id < after);
    const page = rest.slice(0, limit).map((endpoint) => toEndpointResource(endpoint));
    return { status: 200, body: listBody(page, rest.length > limit, "/v1/webhook_endpoints") };
  },
  "GET /v1/webhook_endpoints/{id}": async (call) => {
    const id = call.params.id ?? "";
    const endpoint = await call.timer.channel(() => ownEndpoint(rt.store, call.merchantId, id));
    return { status: 200, body: toEndpointResource(endpoint) };
  },
  "DELETE /v1/webhook_endpoints/{id}": async (call) => {
    const id = call.params.id ?? "";
    const deleted = await call.timer.channel(() => deleteEndpoint(rt.store, call.merchantId, id));
    if (!deleted) throw new ResourceMissingError("webhook_endpoint", id, "id");
    return { status: 200, body: { id, object: "webhook_endpoint", deleted: true } };
  },
  "POST /v1/webhook_endpoints/{id}/disable": async (call) => {
    const id = call.params.id ?? "";
    const endpoint = await call.timer.channel(() =>
      setEndpointStatus(rt.store, call.merchantId, id, "disabled"),
    );
    if (!endpoint) throw new ResourceMissingError("webhook_endpoint", id, "id");
    return { status: 200, body: toEndpointResource(endpoint) };
  },
  "POST /v1/webhook_endpoints/{id}/enable": async (call) => {
    const id = call.params.id ?? "";
    const endpoint = await call.timer.channel(() =>
      setEndpointStatus(rt.store, call.merchantId, id, "enabled"),
    );
    if (!endpoint) throw new ResourceMissingError("webhook_endpoint", id, "id");
    return { status: 200, body: toEndpointResource(endpoint) };
  },
  "POST /v1/webhook_endpoints/{id}/rotate_secret": async (call) => {
    const id = call.params.id ?? "";
    const body = await call.timer.channel(() =>
      rotateEndpointSecret(rt.store, call.merchantId, id, Date.now()),
    );
    return { status: 200, body };
  },
  "GET /v1/webhook_endpoints/{id}/deliveries": async (call) => {
    const id = call.params.id ?? "";
    const query = parseWith(listDeliveriesQuerySchema, call.query);
    const page = await call.timer.channel(async () => {
      await ownEndpoint(rt.store, call.merchantId, id);
      return listAttempts(rt.store, id, query.limit ?? DEFAULT_LIST_LIMIT, query.starting_after);
    });
    return {
      status: 200,
      body: listBody(page.attempts, page.hasMore, `/v1/webhook_endpoints/${id}/deliveries`),
    };
  },
});
