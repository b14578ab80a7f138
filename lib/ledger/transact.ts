// Owns running one TransactWriteItems and reporting which of its conditions failed, so callers can
// tell "already processed" from "insufficient funds" without parsing messages. Conflicts with a
// concurrent transaction on the same item are retried here with jittered backoff.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { ServiceUnavailableError } from "../errors.js";
import { EVENT_COMMIT_WINDOW_MS, eventStampMs } from "./events.js";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export type TransactOutcome =
  | { ok: true }
  /** `failed[i]` is true when the condition of TransactItems[i] did not hold. */
  | { ok: false; failed: boolean[] };

const MAX_CONFLICT_RETRIES = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function transact(
  dynamo: DynamoDBDocumentClient,
  items: TransactItem[],
): Promise<TransactOutcome> {
  const stamped = eventStampMs(items);
  for (let attempt = 0; ; attempt++) {
    // The event list's horizon assumes no event commits later than its commit window after its
    // stamp (see lib/ledger/events.ts): past it, give up instead of sending again.
    if (stamped !== undefined && Date.now() - stamped > EVENT_COMMIT_WINDOW_MS) {
      throw new ServiceUnavailableError("The ledger is busy; retry the request.");
    }
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.map((reason) => reason.Code === "ConditionalCheckFailed");
      if (failed.some(Boolean)) return { ok: false, failed };
      // No condition failed: the transaction lost a race (TransactionConflict) or was throttled.
      // Nothing was written, so running it again is safe.
      if (attempt >= MAX_CONFLICT_RETRIES) {
        throw new ServiceUnavailableError("The ledger is busy; retry the request.", error);
      }
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
