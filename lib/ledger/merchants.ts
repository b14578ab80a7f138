// Owns merchants and their secret keys in the table. A merchant has one key per mode (test, live);
// keys are found by their hash, and the raw key exists only in the answer to whoever created it.
// A key record is `apikey#<sha256>` holding the merchant, the mode and a status; further attributes
// of a key (a role, a name) are added to the record without changing how it is found.
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { generateSecretKey, hashSecretKey, keyIdOf, modeOfKey } from "../domain/api-keys.js";
import { newId } from "../domain/ids.js";
import { ledgerOwner, type Mode } from "../domain/modes.js";
import { type ApiKeyRole, DEFAULT_ROLE, roleOf } from "../domain/permissions.js";
import { apiKeyKey, apiKeyListKeys, itemKey, SK } from "./keys.js";
import type { LedgerStore } from "./records.js";
import { sendSingleWrite, type TransactItem, transact } from "./transact.js";

export interface IssuedMerchant {
  merchantId: string;
  /** The test-mode key (`sk_test_…`). */
  apiKey: string;
  /** The live-mode key (`sk_live_…`). */
  liveApiKey: string;
}

/** Who a key is: its id, name and role (a rotated key keeps them; lib/domain/permissions.ts). */
export interface KeyProfile {
  role: ApiKeyRole;
  name: string | null;
}

export function keyRecord(
  store: LedgerStore,
  secret: string,
  merchantId: string,
  mode: Mode,
  nowSec: number,
  profile: KeyProfile = { role: DEFAULT_ROLE, name: null },
): TransactItem {
  const hash = hashSecretKey(secret);
  // Millisecond time (not nowSec): keys issued in one second still list in the order issued.
  const keyId = newId("apiKey");
  return {
    Put: {
      TableName: store.table,
      Item: {
        ...apiKeyKey(hash),
        // Listed under the merchant in the key's mode (GET /v1/api_keys), never with the secret.
        ...apiKeyListKeys(ledgerOwner(merchantId, mode), keyId),
        merchant_id: merchantId,
        key_hash: hash,
        key_id: keyId,
        role: profile.role,
        name: profile.name,
        // The last four characters, shown as `sk_test_****wxyz`; the key itself is never stored.
        last4: secret.slice(-4),
        mode,
        status: "active",
        created_at: nowSec,
      },
      // A fresh 192-bit random key never exists; the condition only refuses to overwrite one.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** Creates a merchant with a test key and a live key, in one transaction. */
export async function createMerchant(
  store: LedgerStore,
  name: string,
  now = Date.now(),
): Promise<IssuedMerchant> {
  const merchantId = newId("merchant", now);
  const nowSec = Math.floor(now / 1000);
  const apiKey = generateSecretKey("test");
  const liveApiKey = generateSecretKey("live");
  const outcome = await transact(store.dynamo, [
    {
      Put: {
        TableName: store.table,
        Item: { ...itemKey(merchantId, SK.merchant), name, created_at: nowSec },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    keyRecord(store, apiKey, merchantId, "test", nowSec),
    keyRecord(store, liveApiKey, merchantId, "live", nowSec),
  ]);
  if (!outcome.ok) throw new Error("merchant id or key collision");
  return { merchantId, apiKey, liveApiKey };
}

export async function merchantExists(store: LedgerStore, merchantId: string): Promise<boolean> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(merchantId, SK.merchant), ConsistentRead: true }),
  );
  return Item !== undefined;
}

export interface KeyOwner {
  merchantId: string;
  mode: Mode;
  keyHash: string;
  /** `key_…`: what batches record as their creator and approver. */
  keyId: string;
  role: ApiKeyRole;
  name: string | null;
  /** When a rotated key stops working (epoch ms); undefined for a key without an end. */
  expiresAtMs: number | undefined;
}

/**
 * The merchant and mode of a usable key, or undefined for unknown, revoked and expired keys. A
 * rotated key carries `expires_at` (the end of its grace period), which is also the table's TTL
 * attribute: DynamoDB deletes it some time later, and until then this check refuses it.
 */
export async function findKeyOwner(
  store: LedgerStore,
  keyHash: string,
  nowMs = Date.now(),
): Promise<KeyOwner | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: apiKeyKey(keyHash) }),
  );
  if (Item?.status !== "active") return undefined;
  if (typeof Item.expires_at === "number" && Item.expires_at * 1000 <= nowMs) return undefined;
  return {
    merchantId: String(Item.merchant_id),
    // Keys issued before modes existed were all test keys.
    mode: Item.mode === "live" ? "live" : "test",
    keyHash: String(Item.key_hash),
    keyId: keyIdOf(Item),
    role: roleOf(Item.role),
    name: typeof Item.name === "string" ? Item.name : null,
    expiresAtMs: typeof Item.expires_at === "number" ? Item.expires_at * 1000 : undefined,
  };
}

export async function revokeKey(store: LedgerStore, secret: string): Promise<boolean> {
  try {
    await sendSingleWrite(() =>
      store.dynamo.send(
        new UpdateCommand({
          TableName: store.table,
          Key: apiKeyKey(hashSecretKey(secret)),
          UpdateExpression: "SET #status = :revoked",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":revoked": "revoked" },
        }),
      ),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}

export interface RotatedKey {
  merchantId: string;
  mode: Mode;
  /** The new key, same merchant and mode. */
  apiKey: string;
  /** When the old key stops working (Unix seconds). */
  oldKeyExpiresAt: number;
}

/**
 * Issues a new key for the old key's merchant and mode, and lets the old key work for
 * `graceSeconds` more (0 ends it now), in one transaction: there is never a moment with neither.
 * Undefined when the old key is unknown, revoked or already expired.
 */
export async function rotateKey(
  store: LedgerStore,
  oldSecret: string,
  graceSeconds: number,
  now = Date.now(),
): Promise<RotatedKey | undefined> {
  const mode = modeOfKey(oldSecret);
  if (!mode) return undefined;
  const oldHash = hashSecretKey(oldSecret);
  const owner = await findKeyOwner(store, oldHash, now);
  if (!owner) return undefined;
  const nowSec = Math.floor(now / 1000);
  const expiresAt = nowSec + graceSeconds;
  const apiKey = generateSecretKey(owner.mode);
  const outcome = await transact(store.dynamo, [
    // The new key inherits the old one's role and name: rotation changes the secret, not the power.
    keyRecord(store, apiKey, owner.merchantId, owner.mode, nowSec, { role: owner.role, name: owner.name }),
    {
      Update: {
        TableName: store.table,
        Key: apiKeyKey(oldHash),
        // Rotation only shortens a key's life: a key already expiring sooner, or revoked meanwhile,
        // keeps its earlier end.
        UpdateExpression: "SET expires_at = :expires",
        ConditionExpression:
          "#status = :active AND (attribute_not_exists(expires_at) OR expires_at > :expires)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":expires": expiresAt, ":active": "active" },
      },
    },
  ]);
  if (!outcome.ok) return undefined;
  return { merchantId: owner.merchantId, mode: owner.mode, apiKey, oldKeyExpiresAt: expiresAt };
}
