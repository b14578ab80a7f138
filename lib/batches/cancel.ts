// Owns canceling a batch: only a `scheduled` batch can be canceled (nothing is reserved yet, so no
// money moves). The Idempotency-Key is honoured like on any POST: a replay answers the first 200,
// even though the batch itself would now refuse a second cancel.
import { assertCancelable, toBatchResource } from "../domain/batches.js";
import { BatchNotCancelableError, ResourceMissingError } from "../errors.js";
import { cancelScheduledBatch, findBatch } from "../ledger/batches.js";
import { type IdempotencyClaim, replayIfClaimed } from "../ledger/idempotency.js";
import type { LedgerStore } from "../ledger/records.js";
import type { BatchResource } from "../schemas/batches.js";

export async function cancelBatch(
  store: LedgerStore,
  merchantId: string,
  batchId: string,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  nowMs: number,
): Promise<BatchResource> {
  const batch = await findBatch(store, batchId, merchantId);
  if (!batch) throw new ResourceMissingError("batch", batchId, "id");
  if (batch.status !== "scheduled" && claim) await replayIfClaimed(store.dynamo, store.table, claim);
  assertCancelable(batch);
  const canceled = toBatchResource({ ...batch, status: "canceled", completedAt: Math.floor(nowMs / 1000) });
  if (await cancelScheduledBatch(store, batch, nowMs, requestId, claim, { statusCode: 200, body: canceled }))
    return canceled;
  // Released (or canceled) between the read and the write: answer with what it is now.
  const current = await findBatch(store, batchId, merchantId);
  throw new BatchNotCancelableError(current?.status ?? batch.status);
}
