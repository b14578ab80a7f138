// Owns the maker-checker decisions on a batch: approve (by another key than its creator) moves it
// to `queued` (released at once) or `scheduled` (its time is ahead); reject cancels it. Until then
// nothing was reserved, so the funds check POST /v1/batches would have made happens here: a batch
// due now whose source cannot cover it is refused 402 and stays `requires_approval` (top up, then
// approve again, or reject it). The release's reservation remains the real check, as after a POST.
import {
  assertApprovableBy,
  assertAwaitingApproval,
  decided,
  type KeyRef,
  statusAfterApproval,
} from "../domain/approvals.js";
import { type Batch, isUnfundedNow, toBatchResource } from "../domain/batches.js";
import { BatchNotAwaitingApprovalError, BatchUnfundedError, ResourceMissingError } from "../errors.js";
import { findAccount } from "../ledger/accounts.js";
import { decideBatchApproval } from "../ledger/approvals.js";
import { findBatch } from "../ledger/batches.js";
import { type IdempotencyClaim, replayIfClaimed } from "../ledger/idempotency.js";
import type { BatchResource } from "../schemas/batches.js";
import type { BatchDeps } from "./deps.js";

export interface ApprovalCall {
  merchantId: string;
  batchId: string;
  by: KeyRef;
  requestId: string;
  claim: IdempotencyClaim | undefined;
  nowMs: number;
}

async function awaitingBatch(deps: BatchDeps, call: ApprovalCall): Promise<Batch> {
  const batch = await findBatch(deps.store, call.batchId, call.merchantId);
  if (!batch) throw new ResourceMissingError("batch", call.batchId, "id");
  // A replay of a decision that succeeded answers as it did, though the batch now refuses it.
  if (batch.status !== "requires_approval" && call.claim)
    await replayIfClaimed(deps.store.dynamo, deps.store.table, call.claim);
  return batch;
}

/** After a lost race: 409 with the batch as the winner left it. */
async function refuseDecided(deps: BatchDeps, call: ApprovalCall, batch: Batch): Promise<never> {
  const current = (await findBatch(deps.store, call.batchId, call.merchantId)) ?? batch;
  throw new BatchNotAwaitingApprovalError(current.status, toBatchResource(current));
}

export async function approveBatch(deps: BatchDeps, call: ApprovalCall): Promise<BatchResource> {
  const batch = await awaitingBatch(deps, call);
  assertApprovableBy(batch, call.by);
  const status = statusAfterApproval(batch, call.nowMs);
  const source = await findAccount(deps.store, batch.source, batch.merchantId);
  const balance = source?.balance ?? 0;
  if (isUnfundedNow({ status, amountTotal: batch.amountTotal }, balance))
    throw new BatchUnfundedError(balance, batch.amountTotal, batch.currency, "approval");
  const approval = decided(batch, "approved", call.by, call.nowMs);
  const resource = toBatchResource({ ...batch, status, approval });
  const won = await decideBatchApproval(
    deps.store,
    batch,
    { status, approval, requestId: call.requestId, nowMs: call.nowMs },
    call.claim,
    { statusCode: 200, body: resource },
  );
  if (!won) return refuseDecided(deps, call, batch);
  if (status === "queued") {
    try {
      await deps.queues.sendRelease(batch.id);
    } catch (error) {
      // Approved and due: the scheduler's sweep of due batches releases it instead.
      deps.logger.warn("release message not sent; the scheduler will release", { batchId: batch.id, error });
    }
  }
  return resource;
}

export async function rejectBatch(
  deps: BatchDeps,
  call: ApprovalCall,
  reason: string | undefined,
): Promise<BatchResource> {
  const batch = await awaitingBatch(deps, call);
  // The creator may reject (withdraw) its own batch: four eyes guard money leaving, not staying.
  assertAwaitingApproval(batch);
  const approval = decided(batch, "rejected", call.by, call.nowMs, reason ?? null);
  const resource = toBatchResource({
    ...batch,
    status: "canceled",
    approval,
    completedAt: Math.floor(call.nowMs / 1000),
  });
  const won = await decideBatchApproval(
    deps.store,
    batch,
    { status: "canceled", approval, requestId: call.requestId, nowMs: call.nowMs },
    call.claim,
    { statusCode: 200, body: resource },
  );
  if (!won) return refuseDecided(deps, call, batch);
  return resource;
}
