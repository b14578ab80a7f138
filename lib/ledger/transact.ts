// Owns running one TransactWriteItems and reporting which of its conditions failed, so callers can
// tell "already processed" from "insufficient funds" without parsing messages. A transaction that
// touches an item another transaction is writing at that moment is cancelled by DynamoDB
// (TransactionConflict; it is not queued): it wrote nothing, so it is run again here with jittered,
// capped exponential backoff until a deadline. A caller that can avoid the contended item (a
// credit written as a pending entry instead, lib/ledger/credits.ts) is told which items conflicted.
//
// Every transaction carries a ClientRequestToken derived from its items (which hold the request's
// own ids and timestamps): for 10 minutes DynamoDB answers a repeat of the same token and items
// with success without writing again. So when an answer is lost (a timeout, a dropped connection,
// throttling after the write), sending the same transaction again is safe and tells the truth:
// that is what happens here whenever the outcome is unknown, instead of answering an error for a
// write that committed. A changed set of items (replaced after a conflict, events re-stamped) gets
// its own token; if its earlier version had committed, the new one fails its conditions and the
// caller recognises its own committed effect (every write does: accounts, top-ups, batches, cancel,
// payments, refunds).
import { createHash } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { ServiceUnavailableError } from "../errors.js";
import { EVENT_COMMIT_WINDOW_MS, eventStampMs, restampEvents } from "./events.js";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export type TransactOutcome =
  | { ok: true }
  /** `failed[i]` is true when the condition of TransactItems[i] did not hold. */
  | { ok: false; failed: boolean[] };

export interface TransactOptions {
  /**
   * Called after a cancellation by conflict with `conflicted[i]` true for each contended item; may
   * return replacement items (same length and order, so failures keep their positions) for the
   * next attempt, which then runs at once.
   */
  onConflict?: (
    conflicted: boolean[],
    items: TransactItem[],
  ) => Promise<TransactItem[] | undefined> | TransactItem[] | undefined;
}

/**
 * How long conflicts are retried before the caller is told the ledger is busy: long enough that a
 * wallet debited by dozens of clients at once serves them all even when each transaction holds it
 * for tens of milliseconds (a busy machine); inside the HTTP functions' 29 s timeout.
 */
export const CONFLICT_DEADLINE_MS = 20_000;
/**
 * Backoff from 3 ms doubling to 100 ms, full jitter. The cap trades idle time on the hot item
 * (contenders all asleep) against attempts that only find it busy again; 16 contenders sleeping
 * up to 100 ms try it every few milliseconds between them, about as often as it frees up.
 */
const BACKOFF_BASE_MS = 3;
const BACKOFF_CAP_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends of the same token after an unknown outcome (each is itself up to 3 SDK attempts). */
const MAX_UNKNOWN_OUTCOME_RESENDS = 3;

/**
 * The ClientRequestToken of a transaction: a digest of its items (at most 36 characters, as
 * DynamoDB requires). The same write always gets the same token, so its repeats are idempotent;
 * two different writes never share one (which DynamoDB would refuse with IdempotentParameterMismatch).
 */
export function clientRequestToken(items: readonly TransactItem[]): string {
  const text = JSON.stringify(items, (_key, value) =>
    typeof value === "bigint" ? `${value}n` : value instanceof Set ? [...value] : value,
  );
  return createHash("sha256").update(text).digest("base64url").slice(0, 36);
}

/** Errors after which the transaction may or may not have committed (the answer did not arrive). */
const UNKNOWN_OUTCOME_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionInProgressException",
  "TimeoutError",
]);
const NETWORK_ERROR_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNREFUSED", "ECONNABORTED"]);

function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof TransactionCanceledException) return false;
  if ((error as { $retryable?: unknown }).$retryable !== undefined) return true;
  return (
    UNKNOWN_OUTCOME_ERRORS.has(error.name) ||
    NETWORK_ERROR_CODES.has(String((error as { code?: unknown }).code))
  );
}

/** Full jitter over a capped exponential: spreads contenders so one of them gets the item. */
export function conflictBackoffMs(attempt: number, random = Math.random()): number {
  return random * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

export async function transact(
  dynamo: DynamoDBDocumentClient,
  items: TransactItem[],
  options: TransactOptions = {},
): Promise<TransactOutcome> {
  const deadline = Date.now() + CONFLICT_DEADLINE_MS;
  let current = items;
  let resends = 0;
  for (let attempt = 0; ; attempt++) {
    // The event list's horizon assumes no event commits later than its commit window after its
    // stamp (see lib/ledger/events.ts). A retry after conflicts may come later than that: its
    // events are stamped afresh (nothing else refers to an event's id), never sent stale.
    const stamped = eventStampMs(current);
    if (stamped !== undefined && Date.now() - stamped > EVENT_COMMIT_WINDOW_MS / 2) {
      current = restampEvents(current, Date.now());
    }
    try {
      const token = clientRequestToken(current);
      await dynamo.send(new TransactWriteCommand({ TransactItems: current, ClientRequestToken: token }));
      return { ok: true };
    } catch (error) {
      if (outcomeUnknown(error) && resends < MAX_UNKNOWN_OUTCOME_RESENDS) {
        // The write may have committed: the same token makes asking again idempotent.
        resends++;
        await sleep(25 * 2 ** resends + Math.random() * 25);
        continue;
      }
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = current.map((_item, i) => reasons[i]?.Code === "ConditionalCheckFailed");
      if (failed.some(Boolean)) return { ok: false, failed };
      // No condition failed: the transaction lost a race (TransactionConflict) or was throttled.
      // Nothing was written (DynamoDB keeps a token only for a transaction that succeeded), so
      // running it again, with the same token, is safe.
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableError("The ledger is busy; retry the request.", error);
      }
      const conflicted = current.map((_item, i) => reasons[i]?.Code === "TransactionConflict");
      const replaced = conflicted.some(Boolean) ? await options.onConflict?.(conflicted, current) : undefined;
      if (replaced) {
        // A different set of actions, hence a token of its own (the same token with other
        // parameters is IdempotentParameterMismatch).
        current = replaced;
        continue;
      }
      await sleep(conflictBackoffMs(attempt));
    }
  }
}

/**
 * Sends a single-item write (PutItem, UpdateItem, DeleteItem), retrying TransactionConflictException:
 * DynamoDB refuses a plain write to an item an in-flight transaction holds, and the SDK does not
 * retry that error by itself.
 */
export async function sendSingleWrite<T>(send: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + CONFLICT_DEADLINE_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if ((error as Error).name !== "TransactionConflictException" || Date.now() >= deadline) throw error;
      await sleep(conflictBackoffMs(attempt));
    }
  }
}
