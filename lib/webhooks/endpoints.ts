// Owns the webhook endpoint use cases behind the API: create (the secret shown once), read, list,
// delete, enable/disable, rotate the secret (both signatures sent while the old one lives), and
// manual redelivery of an event.
import {
  newEndpoint,
  newWebhookSecret,
  toEndpointResource,
  type WebhookEndpoint,
  wantsEvent,
} from "../domain/webhooks.js";
import { InvalidRequestError, ResourceMissingError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { findEvent } from "../ledger/events.js";
import type { LedgerStore } from "../ledger/records.js";
import {
  findEndpoint,
  insertEndpoint,
  MAX_ENDPOINTS_PER_MERCHANT,
  merchantEndpoints,
  rotateSecret,
} from "../ledger/webhook-endpoints.js";
import type { CreateWebhookEndpointRequest, WebhookEndpointResource } from "../schemas/webhooks.js";
import type { WebhookDeps } from "./deps.js";
import { firstDelivery } from "./fan-out.js";

/** How long a rotated-out secret keeps signing deliveries next to the new one. */
export const ROTATION_OVERLAP_SECONDS = 24 * 3600;

export async function createEndpoint(
  store: LedgerStore,
  merchantId: string,
  request: CreateWebhookEndpointRequest,
  livemode: boolean,
  nowMs: number,
): Promise<WebhookEndpointResource> {
  const existing = await merchantEndpoints(store, merchantId);
  if (existing.length >= MAX_ENDPOINTS_PER_MERCHANT) {
    throw new InvalidRequestError(
      "too_many_endpoints",
      messageRef("too_many_endpoints.detail", { max: MAX_ENDPOINTS_PER_MERCHANT }),
    );
  }
  const endpoint = newEndpoint(merchantId, request, livemode, nowMs);
  await insertEndpoint(store, endpoint);
  return toEndpointResource(endpoint, endpoint.secrets[0]?.secret);
}

export async function ownEndpoint(
  store: LedgerStore,
  merchantId: string,
  id: string,
): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(store, merchantId, id);
  if (!endpoint) throw new ResourceMissingError("webhook_endpoint", id, "id");
  return endpoint;
}

export async function rotateEndpointSecret(
  store: LedgerStore,
  merchantId: string,
  id: string,
  nowMs: number,
): Promise<WebhookEndpointResource> {
  const endpoint = await ownEndpoint(store, merchantId, id);
  const secret = newWebhookSecret();
  const rotated = await rotateSecret(
    store,
    endpoint,
    secret,
    Math.floor(nowMs / 1000) + ROTATION_OVERLAP_SECONDS,
  );
  if (!rotated) throw new ResourceMissingError("webhook_endpoint", id, "id");
  return toEndpointResource(rotated, secret);
}

/** Sends event `id` again to every enabled endpoint that subscribes to it; returns their ids. */
export async function redeliverEvent(
  deps: WebhookDeps,
  merchantId: string,
  id: string,
  nowMs: number,
): Promise<{ object: "redelivery"; livemode: boolean; event: string; endpoints: string[] }> {
  const event = await findEvent(deps.store, merchantId, id);
  if (!event) throw new ResourceMissingError("event", id, "id");
  const endpoints = (await merchantEndpoints(deps.store, merchantId)).filter(
    (endpoint) => endpoint.livemode === event.livemode && wantsEvent(endpoint, event.type),
  );
  await deps.queue.send(
    endpoints.map((endpoint) => firstDelivery(event, endpoint)),
    Math.floor(nowMs / 1000),
  );
  return {
    object: "redelivery",
    livemode: event.livemode,
    event: event.id,
    endpoints: endpoints.map((endpoint) => endpoint.id),
  };
}
