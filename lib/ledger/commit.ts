// Owns committing an effect together with its idempotency record in one transaction, and turning a
// failed claim into a replay, a 422 or a 409. Every HTTP write in payrail goes through here.
import {
  type IdempotencyClaim,
  putCompletedRecord,
  rejectClaimedKey,
  type StoredResponse,
} from "./idempotency.js";
import type { LedgerStore } from "./records.js";
import { type TransactItem, type TransactOptions, transact } from "./transact.js";

export type CommitOutcome = { ok: true } | { ok: false; failed: boolean[] };

/**
 * Writes `items` and, when a claim is given, the completed idempotency record holding `response`.
 * Returns which of `items` failed their conditions; a taken key never returns (it throws).
 */
export async function commitWithIdempotency(
  store: LedgerStore,
  items: TransactItem[],
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
  options: TransactOptions = {},
): Promise<CommitOutcome> {
  const all = claim ? [...items, putCompletedRecord(claim, response, store.table)] : items;
  const outcome = await transact(store.dynamo, all, options);
  if (outcome.ok) return outcome;
  // The key check comes first: a replay must answer the stored response even if, by now, the
  // effect's own conditions would fail too (e.g. the wallet has since been drained).
  if (claim && outcome.failed[items.length]) await rejectClaimedKey(store.dynamo, store.table, claim);
  return { ok: false, failed: outcome.failed.slice(0, items.length) };
}
