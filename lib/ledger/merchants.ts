// Owns merchants and their secret keys in the table. Keys are found by their hash; the raw key
// exists only in the answer to whoever created it.
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { generateSecretKey, hashSecretKey } from "../domain/api-keys.js";
import { newId } from "../domain/ids.js";
import { apiKeyKey, itemKey, SK } from "./keys.js";
import type { LedgerStore } from "./records.js";
import { sendSingleWrite, transact } from "./transact.js";

export interface IssuedMerchant {
  merchantId: string;
  apiKey: string;
}

export async function createMerchant(
  store: LedgerStore,
  name: string,
  now = Date.now(),
): Promise<IssuedMerchant> {
  const merchantId = newId("merchant", now);
  const apiKey = generateSecretKey();
  const outcome = await transact(store.dynamo, [
    {
      Put: {
        TableName: store.table,
        Item: { ...itemKey(merchantId, SK.merchant), name, created_at: Math.floor(now / 1000) },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: store.table,
        Item: {
          ...apiKeyKey(hashSecretKey(apiKey)),
          merchant_id: merchantId,
          key_hash: hashSecretKey(apiKey),
          status: "active",
          created_at: Math.floor(now / 1000),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ]);
  if (!outcome.ok) throw new Error("merchant id or key collision");
  return { merchantId, apiKey };
}

export interface KeyOwner {
  merchantId: string;
  keyHash: string;
}

/** The merchant an active key belongs to, or undefined for unknown and revoked keys. */
export async function findKeyOwner(store: LedgerStore, keyHash: string): Promise<KeyOwner | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: apiKeyKey(keyHash) }),
  );
  if (Item?.status !== "active") return undefined;
  return { merchantId: String(Item.merchant_id), keyHash: String(Item.key_hash) };
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
