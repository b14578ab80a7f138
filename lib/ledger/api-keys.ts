// Owns API key management through the API: issuing a key with a role and a name, listing a
// merchant's keys in one mode, revoking one by id. Key records are `apikey#<sha256>` items (see
// merchants.ts); each also sits in gsi1 under `mer_…[.live]#apikey`, which is what lists them.
// Keys issued before keys had ids are not in that index and do not appear in the list (rotating
// one issues a listed key); they keep working as admin keys.
import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { generateSecretKey, keyIdOf } from "../domain/api-keys.js";
import { type Mode, merchantOf } from "../domain/modes.js";
import { roleOf } from "../domain/permissions.js";
import type { ApiKeyResource } from "../schemas/api-keys.js";
import { commitWithIdempotency } from "./commit.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { apiKeyListKeys } from "./keys.js";
import { type KeyProfile, keyRecord } from "./merchants.js";
import { getItems } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import { sendSingleWrite } from "./transact.js";

/** At most this many keys per merchant and mode are listed (a merchant has a handful). */
export const MAX_LISTED_KEYS = 100;

export function toApiKeyResource(item: Item, nowMs = Date.now()): ApiKeyResource {
  const mode: Mode = item.mode === "live" ? "live" : "test";
  const expiresAt = typeof item.expires_at === "number" ? item.expires_at : null;
  const status =
    item.status !== "active"
      ? "revoked"
      : expiresAt !== null && expiresAt * 1000 <= nowMs
        ? "expired"
        : "active";
  return {
    id: keyIdOf(item),
    object: "api_key",
    livemode: mode === "live",
    name: typeof item.name === "string" ? item.name : null,
    role: roleOf(item.role),
    status,
    redacted: `sk_${mode}_****${typeof item.last4 === "string" ? item.last4 : ""}`,
    created_at: Number(item.created_at),
    expires_at: expiresAt,
  };
}

/** Issues a key for `owner` (mer_… in test mode, mer_….live in live mode); the secret is answered once. */
export async function issueApiKey(
  store: LedgerStore,
  owner: string,
  mode: Mode,
  profile: KeyProfile,
  claim: IdempotencyClaim | undefined,
  answer: (secret: string, resource: ApiKeyResource) => StoredResponse,
  nowMs = Date.now(),
): Promise<{ secret: string; resource: ApiKeyResource }> {
  const secret = generateSecretKey(mode);
  const record = keyRecord(store, secret, merchantOf(owner), mode, Math.floor(nowMs / 1000), profile);
  const resource = toApiKeyResource(record.Put?.Item as Item, nowMs);
  const outcome = await commitWithIdempotency(store, [record], claim, answer(secret, resource));
  if (!outcome.ok) throw new Error("API key collision");
  return { secret, resource };
}

/** The owner's key records (listed ones), oldest first. */
export async function listApiKeyRecords(store: LedgerStore, owner: string): Promise<Item[]> {
  const { gsi1pk } = apiKeyListKeys(owner, "");
  const { Items = [] } = await store.dynamo.send(
    new QueryCommand({
      TableName: store.table,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": gsi1pk },
      Limit: MAX_LISTED_KEYS,
    }),
  );
  const records = await getItems(
    store,
    Items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })),
  );
  return records.sort((a, b) => keyIdOf(a).localeCompare(keyIdOf(b)));
}

export async function findApiKeyRecord(
  store: LedgerStore,
  owner: string,
  keyId: string,
): Promise<Item | undefined> {
  return (await listApiKeyRecords(store, owner)).find((item) => keyIdOf(item) === keyId);
}

/** Revokes a listed key; the key stops working within the authentication cache's TTL. */
export async function revokeApiKeyRecord(store: LedgerStore, record: Item): Promise<Item> {
  const { Attributes } = await sendSingleWrite(() =>
    store.dynamo.send(
      new UpdateCommand({
        TableName: store.table,
        Key: { pk: record.pk, sk: record.sk },
        UpdateExpression: "SET #status = :revoked",
        // Revoking twice is harmless (the same answer); the condition only refuses a vanished key.
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":revoked": "revoked" },
        ReturnValues: "ALL_NEW",
      }),
    ),
  );
  return (Attributes as Item | undefined) ?? { ...record, status: "revoked" };
}
