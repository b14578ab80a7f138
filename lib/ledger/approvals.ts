// Owns maker-checker in the table: a merchant's approval policy (one item per mode under the ledger
// owner, `pk=mer_…[.live] sk=approval_policy`) and the transitions out of `requires_approval`.
// Approve and reject are each one transaction, conditional on the batch still being in
// `requires_approval`, with its event and its idempotency record: of two racing deciders exactly
// one commits, and the other is told what the batch became (409).
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { ApprovalPolicy, BatchApproval } from "../domain/approvals.js";
import type { Batch } from "../domain/batches.js";
import type { Currency } from "../money/index.js";
import type { EventType } from "../schemas/events.js";
import { approvalItem } from "./batch-records.js";
import { batchEvent } from "./batches.js";
import { commitWithIdempotency } from "./commit.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { filterPartitions, itemKey, SK, WORK, workSortKey } from "./keys.js";
import { getOwned } from "./reads.js";
import type { LedgerStore } from "./records.js";

const POLICY_SK = "approval_policy";

export async function getApprovalPolicy(
  store: LedgerStore,
  owner: string,
): Promise<ApprovalPolicy | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(owner, POLICY_SK), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    amountAtLeast: (Item.amount_at_least as Partial<Record<Currency, number>>) ?? {},
    itemsAtLeast: Item.items_at_least == null ? null : Number(Item.items_at_least),
    updatedAt: Item.updated_at == null ? null : Number(Item.updated_at),
  };
}

/** Replaces the owner's policy (a rule left out is no rule), with its idempotency record. */
export async function putApprovalPolicy(
  store: LedgerStore,
  owner: string,
  policy: ApprovalPolicy,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<void> {
  const put = {
    Put: {
      TableName: store.table,
      Item: {
        ...itemKey(owner, POLICY_SK),
        merchant_id: owner,
        amount_at_least: policy.amountAtLeast,
        items_at_least: policy.itemsAtLeast,
        updated_at: policy.updatedAt,
      },
    },
  };
  // A Put without a condition cannot fail its own condition; only a taken key fails (and throws).
  await commitWithIdempotency(store, [put], claim, response);
}

export interface ApprovalDecision {
  /** `queued` or `scheduled` for an approval, `canceled` for a rejection. */
  status: "queued" | "scheduled" | "canceled";
  approval: BatchApproval;
  requestId: string;
  nowMs: number;
}

/**
 * Moves a batch out of `requires_approval`; false when it had already left (approved, rejected)
 * and this request was not the one that moved it. An approved batch enters the scheduler's queue
 * of batches awaiting release (due now, or at its `scheduled_at`), which is what releases it if the
 * release message is lost. No money moves here: the release reserves the total.
 */
export async function decideBatchApproval(
  store: LedgerStore,
  batch: Batch,
  decision: ApprovalDecision,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<boolean> {
  const nowSec = Math.floor(decision.nowMs / 1000);
  const canceled = decision.status === "canceled";
  const after: Batch = {
    ...batch,
    status: decision.status,
    approval: decision.approval,
    completedAt: canceled ? nowSec : batch.completedAt,
  };
  const set = [
    "#status = :status",
    "gsi3pk = :statusPk",
    "approval = :approval",
    "decided_by_request = :request",
    canceled ? "completed_at = :now" : "gsi2pk = :work, gsi2sk = :due",
  ].join(", ");
  const update = {
    Update: {
      TableName: store.table,
      Key: itemKey(batch.id, SK.batch),
      UpdateExpression: `SET ${set}`,
      // Decided once: approve and reject both leave `requires_approval`, so only one of them wins.
      ConditionExpression: "#status = :awaiting AND merchant_id = :merchant",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": decision.status,
        ":statusPk": filterPartitions(batch.merchantId, "batch", "status", decision.status)[0] as string,
        ":approval": approvalItem(decision.approval),
        ":request": decision.requestId,
        ":awaiting": "requires_approval",
        ":merchant": batch.merchantId,
        ...(canceled
          ? { ":now": nowSec }
          : {
              ":work": WORK.scheduledBatches,
              // Due now for a batch whose time has come (or that had none), else at scheduled_at.
              ":due": workSortKey(
                decision.status === "scheduled" ? (batch.scheduledAt ?? nowSec) : nowSec,
                batch.id,
              ),
            }),
      },
    },
  };
  const type: EventType = canceled ? "batch.rejected" : "batch.approved";
  const outcome = await commitWithIdempotency(
    store,
    [update, batchEvent(store.table, type, after)],
    claim,
    response,
  );
  if (outcome.ok) return true;
  // Met again after a lost answer: this request's own write already decided it.
  const current = await getOwned(store, batch.id, SK.batch, batch.merchantId);
  return current?.decided_by_request === decision.requestId;
}
