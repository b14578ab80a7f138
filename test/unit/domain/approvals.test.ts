import { describe, expect, it } from "vitest";
import {
  type ApprovalPolicy,
  applyApprovalPolicy,
  approvalReasons,
  assertApprovableBy,
  NO_APPROVAL_POLICY,
  policyFromRequest,
  statusAfterApproval,
} from "../../../lib/domain/approvals.js";
import { type Batch, planBatch } from "../../../lib/domain/batches.js";
import { ApproverIsCreatorError, BatchNotAwaitingApprovalError } from "../../../lib/errors.js";
import { parseBatchRequest } from "../../../lib/schemas/batches.js";

const NOW = 1_796_083_200_000;
const maker = { apiKey: "key_01JD8X3V9QK2M7T4AAAAAAAAAA", name: "Payroll bot" };
const checker = { apiKey: "key_01JD8X3V9QK2M7T4BBBBBBBBBB", name: "Finance" };

function batchOf(amounts: number[], currency = "USD", scheduledAt?: number): Batch {
  const request = parseBatchRequest(
    {
      source: "acct_01JD8X3V9QK2M7T4SSSSSSSSSS",
      currency,
      items: amounts.map((amount, i) => ({
        id: `i${i}`,
        destination: "acct_01JD8X3V9QK2M7T4DDDDDDDDDD",
        amount,
      })),
      ...(scheduledAt === undefined ? {} : { scheduled_at: scheduledAt }),
    },
    () => NOW,
  );
  return planBatch("mer_A", request, NOW, maker).batch;
}

const policy: ApprovalPolicy = { amountAtLeast: { USD: 100_000 }, itemsAtLeast: 3, updatedAt: 1 };

describe("approval policy thresholds", () => {
  it("requires approval at exactly the amount threshold and not one minor unit below", () => {
    expect(approvalReasons(policy, batchOf([99_999]))).toEqual([]);
    expect(approvalReasons(policy, batchOf([100_000]))).toEqual(["amount"]);
    expect(approvalReasons(policy, batchOf([60_000, 40_000]))).toEqual(["amount"]);
  });

  it("requires approval at exactly the item count threshold", () => {
    expect(approvalReasons(policy, batchOf([1, 1]))).toEqual([]);
    expect(approvalReasons(policy, batchOf([1, 1, 1]))).toEqual(["item_count"]);
    expect(approvalReasons(policy, batchOf([50_000, 50_000, 1]))).toEqual(["amount", "item_count"]);
  });

  it("applies an amount threshold only to batches in its currency", () => {
    expect(approvalReasons(policy, batchOf([5_000_000], "EUR"))).toEqual([]);
    expect(approvalReasons({ ...policy, amountAtLeast: { EUR: 10 } }, batchOf([10], "EUR"))).toEqual([
      "amount",
    ]);
  });

  it("requires nothing without a policy", () => {
    expect(approvalReasons(NO_APPROVAL_POLICY, batchOf([999_999_999, 1, 1, 1]))).toEqual([]);
  });

  it("makes a batch that meets a rule requires_approval with a pending approval, and leaves others as planned", () => {
    const held = applyApprovalPolicy(batchOf([100_000]), policy);
    expect(held.status).toBe("requires_approval");
    expect(held.approval).toEqual({
      status: "pending",
      requiredBecause: ["amount"],
      decidedBy: null,
      decidedAt: null,
      reason: null,
    });
    const plain = batchOf([10]);
    expect(applyApprovalPolicy(plain, policy)).toBe(plain);
  });

  it("replaces the whole policy from a request: a rule left out is no rule", () => {
    expect(policyFromRequest({ batch_items_at_least: 10 }, NOW)).toEqual({
      amountAtLeast: {},
      itemsAtLeast: 10,
      updatedAt: NOW / 1000,
    });
    expect(
      policyFromRequest({ batch_amount_at_least: null, batch_items_at_least: null }, NOW).itemsAtLeast,
    ).toBe(null);
  });
});

describe("approval transitions", () => {
  const held = applyApprovalPolicy(batchOf([100_000]), policy);

  it("refuses approval by the key that created the batch", () => {
    expect(() => assertApprovableBy(held, maker)).toThrow(ApproverIsCreatorError);
    expect(() => assertApprovableBy(held, checker)).not.toThrow();
  });

  it("refuses deciding a batch that is not awaiting approval, before looking at who asks", () => {
    for (const status of ["queued", "scheduled", "processing", "completed", "failed", "canceled"] as const)
      expect(() => assertApprovableBy({ ...held, status }, maker)).toThrow(BatchNotAwaitingApprovalError);
  });

  it("lets any approving key approve a batch with no creator on record", () => {
    expect(() => assertApprovableBy({ ...held, createdBy: null }, maker)).not.toThrow();
  });

  it("queues an approved batch that is due, and schedules one whose time is still ahead", () => {
    expect(statusAfterApproval({ scheduledAt: null }, NOW)).toBe("queued");
    expect(statusAfterApproval({ scheduledAt: NOW / 1000 - 3600 }, NOW)).toBe("queued");
    expect(statusAfterApproval({ scheduledAt: NOW / 1000 + 3600 }, NOW)).toBe("scheduled");
  });
});
