// Owns the delivery log: one item per attempt to deliver an event to an endpoint, kept 30 days,
// spread over DELIVERY_PARTITIONS keys per endpoint, listed newest first.
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { WebhookDeliveryResource } from "../schemas/webhooks.js";
import { EVENT_RETENTION_SECONDS } from "./events.js";
import { deliveryKey, deliveryPartitions } from "./keys.js";
import type { Item, LedgerStore } from "./records.js";

export async function recordAttempt(store: LedgerStore, attempt: WebhookDeliveryResource): Promise<void> {
  await store.dynamo.send(
    new PutCommand({
      TableName: store.table,
      Item: {
        ...deliveryKey(attempt.endpoint, attempt.id),
        ...attempt,
        expires_at: attempt.created_at + EVENT_RETENTION_SECONDS,
      },
    }),
  );
}

function attemptFrom(item: Item): WebhookDeliveryResource {
  return {
    id: String(item.id),
    object: "webhook_delivery",
    // Attempts logged before modes existed were all test mode.
    livemode: item.livemode === true,
    endpoint: String(item.endpoint),
    event: String(item.event),
    event_type: String(item.event_type),
    attempt: Number(item.attempt),
    status: item.status === "succeeded" ? "succeeded" : "failed",
    status_code: item.status_code == null ? null : Number(item.status_code),
    duration_ms: Number(item.duration_ms),
    error: (item.error as string | null) ?? null,
    next_retry_at: item.next_retry_at == null ? null : Number(item.next_retry_at),
    created_at: Number(item.created_at),
  };
}

/** One page of an endpoint's attempts, newest first, older than `startingAfter` when given. */
export async function listAttempts(
  store: LedgerStore,
  endpointId: string,
  limit: number,
  startingAfter: string | undefined,
): Promise<{ attempts: WebhookDeliveryResource[]; hasMore: boolean }> {
  const pages = await Promise.all(
    deliveryPartitions(endpointId).map((partition) =>
      store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          KeyConditionExpression: startingAfter ? "pk = :pk AND sk < :after" : "pk = :pk",
          ExpressionAttributeValues: {
            ":pk": partition,
            ...(startingAfter ? { ":after": startingAfter } : {}),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit + 1,
        }),
      ),
    ),
  );
  const newest = pages
    .flatMap((page) => page.Items ?? [])
    .map(attemptFrom)
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  return { attempts: newest.slice(0, limit), hasMore: newest.length > limit };
}
