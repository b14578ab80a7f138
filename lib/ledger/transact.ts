// Owns running one TransactWriteItems and reporting which of its conditions failed, so callers can
// tell "already processed" from "insufficient funds" without parsing messages. A transaction that
// touches an item another transaction is writing at that moment is cancelled by DynamoDB
// (TransactionConflict; it is not queued): it wrote nothing, so it is run again here with jittered,
// capped exponential backoff until a deadline. A caller that can avoid the contended item (a
// credit written as a pending entry instead, lib/ledger/credits.ts) is told which items conflicted.
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
  for (let attempt = 0; ; attempt++) {
    // The event list's horizon assumes no event commits later than its commit window after its
    // stamp (see lib/ledger/events.ts). A retry after conflicts may come later than that: its
    // events are stamped afresh (nothing else refers to an event's id), never sent stale.
    const stamped = eventStampMs(current);
    if (stamped !== undefined && Date.now() - stamped > EVENT_COMMIT_WINDOW_MS / 2) {
      current = restampEvents(current, Date.now());
    }
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: current }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = current.map((_item, i) => reasons[i]?.Code === "ConditionalCheckFailed");
      if (failed.some(Boolean)) return { ok: false, failed };
      // No condition failed: the transaction lost a race (TransactionConflict) or was throttled.
      // Nothing was written, so running it again is safe.
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableError("The ledger is busy; retry the request.", error);
      }
      const conflicted = current.map((_item, i) => reasons[i]?.Code === "TransactionConflict");
      const replaced = conflicted.some(Boolean) ? await options.onConflict?.(conflicted, current) : undefined;
      if (replaced) {
        // A different set of actions: were a ClientRequestToken sent, this attempt would need one
        // of its own (the same token with other parameters is IdempotentParameterMismatch).
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
