// Owns one delivery attempt: sign, POST (10 s, no redirects, public addresses only in live mode),
// log the attempt, and on failure queue the next one with exponential backoff, until 3 days after
// the first attempt. An endpoint that has failed for 3 days is disabled, with an event.
import { newId } from "../domain/ids.js";
import { failingTooLong, nextAttemptAt, signingSecrets, type WebhookEndpoint } from "../domain/webhooks.js";
import { recordAttempt } from "../ledger/webhook-deliveries.js";
import {
  disableFailingEndpoint,
  findEndpoint,
  markFailing,
  markHealthy,
} from "../ledger/webhook-endpoints.js";
import type { DeliveryMessage } from "../queues/webhook-queue.js";
import type { WebhookDeliveryResource } from "../schemas/webhooks.js";
import type { WebhookDeps } from "./deps.js";
import { signatureHeader } from "./signature.js";

export type AttemptOutcome = "delivered" | "retry_queued" | "given_up" | "not_due" | "dropped";

/** Endpoints read once per invocation (a batch of messages often shares them). */
export type EndpointReads = Map<string, Promise<WebhookEndpoint | undefined>>;

export async function attemptDelivery(
  deps: WebhookDeps,
  message: DeliveryMessage,
  nowMs: number,
  reads: EndpointReads = new Map(),
): Promise<AttemptOutcome> {
  const nowSec = Math.floor(nowMs / 1000);
  if (message.due_at !== null && message.due_at > nowSec) {
    // Longer than SQS can delay: sent on until it is due.
    await deps.queue.send([message], nowSec);
    return "not_due";
  }
  const key = `${message.merchant_id}/${message.endpoint_id}`;
  let read = reads.get(key);
  if (!read) {
    read = findEndpoint(deps.store, message.merchant_id, message.endpoint_id);
    reads.set(key, read);
  }
  const endpoint = await read;
  // Deleted or disabled since the event was queued: nothing is sent (the event stays listable).
  if (!endpoint || endpoint.status !== "enabled") return "dropped";

  const body = JSON.stringify(message.event);
  const outcome = await deps.send({
    url: endpoint.url,
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "payrail-webhooks/1",
      "payrail-signature": signatureHeader(signingSecrets(endpoint, nowSec), nowSec, body),
      "payrail-event-id": message.event.id,
    },
    timeoutMs: deps.timeoutMs,
    publicOnly: endpoint.livemode,
  });
  const delivered = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const firstAttemptAt = message.first_attempt_at ?? nowSec;
  const next = delivered ? null : nextAttemptAt(deps.policy, message.attempt, firstAttemptAt, nowSec);
  const attempt: WebhookDeliveryResource = {
    id: newId("webhookDelivery", nowMs),
    object: "webhook_delivery",
    livemode: endpoint.livemode,
    endpoint: endpoint.id,
    event: message.event.id,
    event_type: message.event.type,
    attempt: message.attempt,
    status: delivered ? "succeeded" : "failed",
    status_code: outcome.statusCode,
    duration_ms: outcome.durationMs,
    error: outcome.error,
    next_retry_at: next,
    created_at: nowSec,
  };
  await recordAttempt(deps.store, attempt);
  const log = { merchantId: endpoint.merchantId, endpointId: endpoint.id, eventId: message.event.id };
  if (delivered) {
    await markHealthy(deps.store, endpoint);
    return "delivered";
  }
  await markFailing(deps.store, endpoint, nowSec);
  const failingSince = endpoint.failingSince ?? nowSec;
  if (
    failingTooLong(deps.policy, failingSince, nowSec) &&
    (await disableFailingEndpoint(deps.store, endpoint, failingSince))
  ) {
    deps.logger.warn("webhook endpoint disabled after failing for the give-up period", {
      ...log,
      failingSince,
    });
    reads.delete(key);
  }
  if (next === null) {
    deps.logger.warn("webhook delivery given up", { ...log, attempts: message.attempt });
    return "given_up";
  }
  await deps.queue.send(
    [{ ...message, attempt: message.attempt + 1, first_attempt_at: firstAttemptAt, due_at: next }],
    nowSec,
  );
  return "retry_queued";
}
