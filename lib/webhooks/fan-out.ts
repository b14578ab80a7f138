// Owns turning committed events into deliveries: for each new event, one queue message per enabled
// endpoint of its merchant that subscribes to its type. Fed by the table's stream (in AWS through
// the event source mapping, locally through scripts/local/stream-poller.ts), and by redelivery.
import { type PayrailEvent, toEventResource } from "../domain/events.js";
import { type WebhookEndpoint, wantsEvent } from "../domain/webhooks.js";
import { merchantEndpoints } from "../ledger/webhook-endpoints.js";
import type { DeliveryMessage } from "../queues/webhook-queue.js";
import type { WebhookDeps } from "./deps.js";

export function firstDelivery(event: PayrailEvent, endpoint: WebhookEndpoint): DeliveryMessage {
  return {
    endpoint_id: endpoint.id,
    merchant_id: event.merchantId,
    event: toEventResource(event),
    attempt: 1,
    first_attempt_at: null,
    due_at: null,
  };
}

/** Queues the first delivery of each event to every endpoint that wants it; returns how many. */
export async function fanOut(
  deps: WebhookDeps,
  events: readonly PayrailEvent[],
  nowSec: number,
): Promise<number> {
  const endpointsByMerchant = new Map<string, Promise<WebhookEndpoint[]>>();
  const messages: DeliveryMessage[] = [];
  for (const event of events) {
    let endpoints = endpointsByMerchant.get(event.merchantId);
    if (!endpoints) {
      endpoints = merchantEndpoints(deps.store, event.merchantId);
      endpointsByMerchant.set(event.merchantId, endpoints);
    }
    for (const endpoint of await endpoints) {
      // A live event never goes to a test endpoint, nor the reverse.
      if (endpoint.livemode === event.livemode && wantsEvent(endpoint, event.type))
        messages.push(firstDelivery(event, endpoint));
    }
  }
  await deps.queue.send(messages, nowSec);
  return messages.length;
}
