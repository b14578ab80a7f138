// Owns accepting a batch: validate the whole request, check the source (and, for a batch paid now,
// that its balance covers the total: 402 with nothing stored), apply the merchant's approval
// policy, store chunks and header, and hand a batch that is due now to the release queue. Money
// moves only at release.

import { applyApprovalPolicy, type KeyRef, NO_APPROVAL_POLICY } from "../domain/approvals.js";
import { isUnfundedNow, type PlannedBatch, planBatch, toBatchResource } from "../domain/batches.js";
import { judgeSourceWallet } from "../domain/payments.js";
import { BatchUnfundedError, InvalidRequestError, ResourceMissingError } from "../errors.js";
import { findAccount } from "../ledger/accounts.js";
import { getApprovalPolicy } from "../ledger/approvals.js";
import { insertBatch, refuseTakenKey } from "../ledger/batches.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import type { BatchResource } from "../schemas/batches.js";
import { parseBatchRequest } from "../schemas/batches.js";
import type { BatchDeps } from "./deps.js";
import { estimateBatchTotal } from "./fx.js";

export async function createBatch(
  deps: BatchDeps,
  merchantId: string,
  body: unknown,
  claim: IdempotencyClaim | undefined,
  nowMs: number,
  createdBy: KeyRef | null = null,
): Promise<BatchResource> {
  const request = parseBatchRequest(body, () => nowMs);
  await refuseTakenKey(deps.store, claim);
  const source = await findAccount(deps.store, request.source, merchantId);
  const verdict = judgeSourceWallet(merchantId, request.currency, source);
  if (verdict.kind === "not_found") throw new ResourceMissingError("account", request.source, "source");
  if (verdict.kind === "invalid")
    throw new InvalidRequestError(verdict.code, verdict.message, { param: verdict.param });
  const planned: PlannedBatch = planBatch(merchantId, request, nowMs, createdBy);
  // Converted items cost what the release will lock; until then their cost at today's rate stands in.
  if (planned.batch.fx)
    planned.batch.amountTotal = await estimateBatchTotal(
      deps,
      planned.batch,
      planned.chunks.flatMap((chunk) => chunk.items),
      nowMs,
    );
  // A batch the approval policy holds back is `requires_approval`: no funds check and no
  // reservation now; approval checks funds (lib/batches/approve.ts).
  planned.batch = applyApprovalPolicy(
    planned.batch,
    (await getApprovalPolicy(deps.store, merchantId)) ?? NO_APPROVAL_POLICY,
  );
  if (source && isUnfundedNow(planned.batch, source.balance))
    throw new BatchUnfundedError(source.balance, planned.batch.amountTotal, planned.batch.currency);
  const resource = toBatchResource(planned.batch);
  await insertBatch(deps.store, planned, claim, { statusCode: 202, body: resource });
  if (planned.batch.status === "queued") {
    try {
      await deps.queues.sendRelease(planned.batch.id);
    } catch (error) {
      // The batch is stored and due: the scheduler's sweep of due batches releases it instead.
      deps.logger.warn("release message not sent; the scheduler will release", {
        batchId: planned.batch.id,
        error,
      });
    }
  }
  return resource;
}
