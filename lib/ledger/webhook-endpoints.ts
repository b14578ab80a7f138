// Owns webhook endpoints in the ledger: one small partition per merchant (`mer_…#webhooks`), read
// whole by the fan-out, and the endpoint's health (failing since when; disabled with an event).
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { newEvent } from "../domain/events.js";
import { toEndpointResource, type WebhookEndpoint, type WebhookSecret } from "../domain/webhooks.js";
import { putEvent } from "./events.js";
import { webhookEndpointKey, webhookEndpointsPartition } from "./keys.js";
import type { Item, LedgerStore } from "./records.js";
import { transact } from "./transact.js";

/** Endpoints per merchant: the fan-out reads them all for every event batch. */
export const MAX_ENDPOINTS_PER_MERCHANT = 16;

function endpointItem(endpoint: WebhookEndpoint): Item {
  return {
    ...webhookEndpointKey(endpoint.merchantId, endpoint.id),
    merchant_id: endpoint.merchantId,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.status,
    livemode: endpoint.livemode,
    secrets: endpoint.secrets.map((entry) => ({ secret: entry.secret, expires_at: entry.expiresAt })),
    // Absent (not null) while healthy: markFailing's condition is attribute_not_exists.
    failing_since: endpoint.failingSince ?? undefined,
    disabled_reason: endpoint.disabledReason,
    created_at: endpoint.createdAt,
  };
}

export function endpointFrom(item: Item): WebhookEndpoint {
  const secrets = (item.secrets as { secret: string; expires_at: number | null }[] | undefined) ?? [];
  return {
    id: String(item.sk),
    merchantId: String(item.merchant_id),
    url: String(item.url),
    events: (item.events as string[]) ?? [],
    description: (item.description as string | null) ?? null,
    status: item.status === "disabled" ? "disabled" : "enabled",
    livemode: item.livemode === true,
    secrets: secrets.map(
      (entry): WebhookSecret => ({
        secret: entry.secret,
        expiresAt: entry.expires_at == null ? null : Number(entry.expires_at),
      }),
    ),
    failingSince: item.failing_since == null ? null : Number(item.failing_since),
    disabledReason: (item.disabled_reason as WebhookEndpoint["disabledReason"]) ?? null,
    createdAt: Number(item.created_at),
  };
}

export async function insertEndpoint(store: LedgerStore, endpoint: WebhookEndpoint): Promise<void> {
  await store.dynamo.send(
    new PutCommand({
      TableName: store.table,
      Item: endpointItem(endpoint),
      ConditionExpression: "attribute_not_exists(sk)",
    }),
  );
}

export async function findEndpoint(
  store: LedgerStore,
  merchantId: string,
  id: string,
): Promise<WebhookEndpoint | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: webhookEndpointKey(merchantId, id), ConsistentRead: true }),
  );
  return Item ? endpointFrom(Item) : undefined;
}

/** Every endpoint of a merchant, oldest first (at most MAX_ENDPOINTS_PER_MERCHANT: one small Query). */
export async function merchantEndpoints(store: LedgerStore, merchantId: string): Promise<WebhookEndpoint[]> {
  const { Items = [] } = await store.dynamo.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": webhookEndpointsPartition(merchantId) },
      ConsistentRead: true,
    }),
  );
  return Items.map(endpointFrom);
}

/** Deletes an endpoint; false when it did not exist. */
export async function deleteEndpoint(store: LedgerStore, merchantId: string, id: string): Promise<boolean> {
  try {
    await store.dynamo.send(
      new DeleteCommand({
        TableName: store.table,
        Key: webhookEndpointKey(merchantId, id),
        ConditionExpression: "attribute_exists(sk)",
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

async function update(
  store: LedgerStore,
  endpoint: Pick<WebhookEndpoint, "merchantId" | "id">,
  expression: string,
  values: Record<string, unknown>,
  condition = "attribute_exists(sk)",
): Promise<WebhookEndpoint | undefined> {
  try {
    const { Attributes } = await store.dynamo.send(
      new UpdateCommand({
        TableName: store.table,
        Key: webhookEndpointKey(endpoint.merchantId, endpoint.id),
        UpdateExpression: expression,
        ConditionExpression: condition,
        // DynamoDB refuses names and values an expression does not use.
        ExpressionAttributeNames: `${expression} ${condition}`.includes("#status")
          ? { "#status": "status" }
          : undefined,
        ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
        ReturnValues: "ALL_NEW",
      }),
    );
    return Attributes ? endpointFrom(Attributes) : undefined;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return undefined;
    throw error;
  }
}

/** The merchant enables or disables an endpoint; undefined when it does not exist. */
export function setEndpointStatus(
  store: LedgerStore,
  merchantId: string,
  id: string,
  status: "enabled" | "disabled",
): Promise<WebhookEndpoint | undefined> {
  return status === "enabled"
    ? // Enabling starts a fresh health record: the failures that disabled it are behind it.
      update(store, { merchantId, id }, "SET #status = :enabled REMOVE disabled_reason, failing_since", {
        ":enabled": "enabled",
      })
    : update(store, { merchantId, id }, "SET #status = :disabled, disabled_reason = :merchant", {
        ":disabled": "disabled",
        ":merchant": "merchant",
      });
}

/** A new current secret; the previous one keeps signing until `previousExpiresAt` (both are sent). */
export function rotateSecret(
  store: LedgerStore,
  endpoint: WebhookEndpoint,
  secret: string,
  previousExpiresAt: number,
): Promise<WebhookEndpoint | undefined> {
  const current = endpoint.secrets[0];
  const secrets = [{ secret, expires_at: null }];
  if (current) secrets.push({ secret: current.secret, expires_at: previousExpiresAt as never });
  return update(store, endpoint, "SET secrets = :secrets", { ":secrets": secrets });
}

/** Records the first failure since the last success (a no-op write-free path while already failing). */
export async function markFailing(
  store: LedgerStore,
  endpoint: WebhookEndpoint,
  nowSec: number,
): Promise<void> {
  if (endpoint.failingSince !== null) return;
  await update(
    store,
    endpoint,
    "SET failing_since = :now",
    { ":now": nowSec },
    // Only the first failure since the last success starts the clock (a concurrent attempt may
    // have set it already: then the condition fails and the earlier instant stays).
    "attribute_exists(sk) AND attribute_not_exists(failing_since)",
  );
}

export async function markHealthy(store: LedgerStore, endpoint: WebhookEndpoint): Promise<void> {
  if (endpoint.failingSince === null) return;
  await update(store, endpoint, "REMOVE failing_since", {});
}

/**
 * Disables an endpoint that kept failing, and tells the merchant with a webhook_endpoint.disabled
 * event, in one transaction; false when it was already disabled (or deleted, or healthy again).
 */
export async function disableFailingEndpoint(
  store: LedgerStore,
  endpoint: WebhookEndpoint,
  failingSince: number,
): Promise<boolean> {
  const disabled: WebhookEndpoint = { ...endpoint, status: "disabled", disabledReason: "failing" };
  const outcome = await transact(store.dynamo, [
    {
      Update: {
        TableName: store.table,
        Key: webhookEndpointKey(endpoint.merchantId, endpoint.id),
        UpdateExpression: "SET #status = :disabled, disabled_reason = :failing",
        // Disabled once, and only if it is still failing since the same instant (no success since).
        ConditionExpression: "#status = :enabled AND failing_since = :since",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":disabled": "disabled",
          ":failing": "failing",
          ":enabled": "enabled",
          ":since": failingSince,
        },
      },
    },
    putEvent(
      store.table,
      newEvent("webhook_endpoint.disabled", endpoint.merchantId, toEndpointResource(disabled)),
    ),
  ]);
  return outcome.ok;
}
