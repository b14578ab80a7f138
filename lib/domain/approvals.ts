// Owns maker-checker for batches: when the merchant's approval policy makes a batch wait for
// approval, and which approvals and rejections a batch accepts. Pure: the ledger stores the policy
// and applies the transition conditionally (lib/ledger/approvals.ts), so two deciders racing each
// other cannot both win.
import { ApproverIsCreatorError, BatchNotAwaitingApprovalError } from "../errors.js";
import type { Currency } from "../money/index.js";
import type { APPROVAL_REASONS, APPROVAL_STATUSES } from "../schemas/approvals.js";
import { type Batch, isDue, toBatchResource } from "./batches.js";

/** A key as recorded on what it did: its id and, when it has one, its name. */
export interface KeyRef {
  apiKey: string;
  name: string | null;
}

export type ApprovalReason = (typeof APPROVAL_REASONS)[number];
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface BatchApproval {
  status: ApprovalStatus;
  requiredBecause: ApprovalReason[];
  decidedBy: KeyRef | null;
  /** Unix seconds. */
  decidedAt: number | null;
  reason: string | null;
}

export interface ApprovalPolicy {
  /** Per currency, the batch total (minor units) from which a batch requires approval. */
  amountAtLeast: Partial<Record<Currency, number>>;
  /** The item count from which a batch requires approval. */
  itemsAtLeast: number | null;
  /** Unix seconds of the last change; null while never set. */
  updatedAt: number | null;
}

export const NO_APPROVAL_POLICY: ApprovalPolicy = { amountAtLeast: {}, itemsAtLeast: null, updatedAt: null };

/**
 * Which rules of `policy` a new batch meets. Thresholds are inclusive ("at least"). The amount rule
 * compares the batch total in the batch (source) currency with that currency's threshold: that is
 * what leaves the source wallet. A cross-currency batch's total is its cost at the rates of its
 * creation (the estimate its POST checks funds with); a currency without a threshold has no amount
 * rule.
 */
export function approvalReasons(
  policy: ApprovalPolicy,
  batch: Pick<Batch, "currency" | "amountTotal" | "itemCount">,
): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  const threshold = policy.amountAtLeast[batch.currency];
  if (threshold !== undefined && batch.amountTotal >= threshold) reasons.push("amount");
  if (policy.itemsAtLeast !== null && batch.itemCount >= policy.itemsAtLeast) reasons.push("item_count");
  return reasons;
}

/**
 * A planned batch as the policy makes it: unchanged when no rule applies, else `requires_approval`
 * with a pending approval. Nothing is reserved and it is in no work queue until it is approved.
 */
export function applyApprovalPolicy(batch: Batch, policy: ApprovalPolicy): Batch {
  const reasons = approvalReasons(policy, batch);
  if (reasons.length === 0) return batch;
  return {
    ...batch,
    status: "requires_approval",
    approval: { status: "pending", requiredBecause: reasons, decidedBy: null, decidedAt: null, reason: null },
  };
}

/** Only a batch in `requires_approval` can be approved or rejected; 409 shows it as it is. */
export function assertAwaitingApproval(batch: Batch): void {
  if (batch.status !== "requires_approval")
    throw new BatchNotAwaitingApprovalError(batch.status, toBatchResource(batch));
}

/**
 * Approving checks the batch's state first (409), then four eyes (403): the key that created the
 * batch cannot approve it. Keys are compared by id: a rotated key is a new key. A batch created
 * before keys had ids has no creator on record and can be approved by any key allowed to approve.
 */
export function assertApprovableBy(batch: Batch, approver: KeyRef): void {
  assertAwaitingApproval(batch);
  if (batch.createdBy && batch.createdBy.apiKey === approver.apiKey) throw new ApproverIsCreatorError();
}

/**
 * What an approved batch becomes: `scheduled` when its `scheduled_at` is still ahead, else `queued`
 * (released at once). A scheduled batch whose time passed while it waited for approval did not run
 * (it was never in the scheduler's queue) and runs as soon as it is approved.
 */
export function statusAfterApproval(
  batch: Pick<Batch, "scheduledAt">,
  nowMs: number,
): "scheduled" | "queued" {
  return isDue(batch, nowMs) ? "queued" : "scheduled";
}

export function decided(
  batch: Batch,
  status: "approved" | "rejected",
  by: KeyRef,
  nowMs: number,
  reason: string | null = null,
): BatchApproval {
  return {
    status,
    requiredBecause: batch.approval?.requiredBecause ?? [],
    decidedBy: by,
    decidedAt: Math.floor(nowMs / 1000),
    reason,
  };
}

/** The policy a `POST /v1/approval_policy` sets: it replaces the whole policy (a rule left out is none). */
export function policyFromRequest(
  request: {
    batch_amount_at_least?: Partial<Record<Currency, number>> | null;
    batch_items_at_least?: number | null;
  },
  nowMs: number,
): ApprovalPolicy {
  return {
    amountAtLeast: { ...(request.batch_amount_at_least ?? {}) },
    itemsAtLeast: request.batch_items_at_least ?? null,
    updatedAt: Math.floor(nowMs / 1000),
  };
}

export function toApprovalPolicyResource(policy: ApprovalPolicy, livemode: boolean) {
  return {
    object: "approval_policy" as const,
    livemode,
    batch_amount_at_least: { ...policy.amountAtLeast } as Record<string, number>,
    batch_items_at_least: policy.itemsAtLeast,
    updated_at: policy.updatedAt,
  };
}
