// Owns idempotency records. A record is written inside the same transaction as the effect it
// guards ("linked events"), so an effect and its replayable response exist together or not at all.
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from "../errors.js";
import { IdempotentReplay, type StoredResponse } from "./idempotent-replay.js";
import { idempotencyKey } from "./keys.js";
import type { TransactItem } from "./transact.js";

export interface IdempotencyClaim {
  merchantId: string;
  key: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  /** Epoch seconds after which the record expires (DynamoDB TTL, and checked on claim). */
  expiresAt: number;
  /** Epoch seconds now, used to treat an expired-but-not-yet-deleted record as absent. */
  now: number;
  /** The request that claims the key; stored failures carry it, as the first answer did. */
  requestId: string;
}

export type { StoredResponse } from "./idempotent-replay.js";

// A key is free when no record exists or the one there has expired (TTL deletion lags by hours).
const KEY_IS_FREE = "attribute_not_exists(pk) OR expires_at < :now";

/** A conditional put that claims the key; `state` says what the claim holds. */
function claimRecord(claim: IdempotencyClaim, table: string, state: Record<string, unknown>): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        ...idempotencyKey(claim.merchantId, claim.key),
        fingerprint: claim.fingerprint,
        expires_at: claim.expiresAt,
        ...state,
      },
      ConditionExpression: KEY_IS_FREE,
      ExpressionAttributeValues: { ":now": claim.now },
    },
  };
}

/** Claims the key and stores the final response at once: for effects done in one transaction. */
export function putCompletedRecord(
  claim: IdempotencyClaim,
  response: StoredResponse,
  table: string,
): TransactItem {
  return claimRecord(claim, table, {
    state: "complete",
    status_code: response.statusCode,
    body: JSON.stringify(response.body),
  });
}

/** Claims the key for an effect that spans several steps (bank rail): replays answer 409 meanwhile. */
export function putInProgressRecord(
  claim: IdempotencyClaim,
  resourceId: string,
  table: string,
): TransactItem {
  return claimRecord(claim, table, { state: "in_progress", resource_id: resourceId });
}

/** Completes a record claimed by putInProgressRecord; a no-op condition if it was never claimed. */
export function completeRecord(
  merchantId: string,
  key: string,
  response: StoredResponse,
  table: string,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: idempotencyKey(merchantId, key),
      UpdateExpression: "SET #state = :complete, status_code = :status, body = :body",
      // Only the in-progress record of this effect may be completed, never a newer claim.
      ConditionExpression: "#state = :in_progress",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: {
        ":complete": "complete",
        ":in_progress": "in_progress",
        ":status": response.statusCode,
        ":body": JSON.stringify(response.body),
      },
    },
  };
}

/**
 * Called when a transaction failed because the key was already claimed: decides between replay,
 * "reused with another request" and "still in progress". Always throws.
 */
export async function rejectClaimedKey(
  dynamo: DynamoDBDocumentClient,
  table: string,
  claim: IdempotencyClaim,
): Promise<never> {
  await replayIfClaimed(dynamo, table, claim);
  throw new IdempotencyKeyInUseError(); // claimed and expired in between: let the client retry
}

/**
 * For effects whose own state already refuses a second attempt (a canceled batch cannot be
 * canceled again): if this key was claimed, answer as the first request did; otherwise return.
 */
export async function replayIfClaimed(
  dynamo: DynamoDBDocumentClient,
  table: string,
  claim: IdempotencyClaim,
): Promise<void> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: table,
      Key: idempotencyKey(claim.merchantId, claim.key),
      ConsistentRead: true,
    }),
  );
  if (!Item || Number(Item.expires_at) < claim.now) return;
  if (Item.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
  if (Item.state !== "complete") throw new IdempotencyKeyInUseError();
  throw new IdempotentReplay({ statusCode: Number(Item.status_code), body: JSON.parse(String(Item.body)) });
}
