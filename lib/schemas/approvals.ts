// Owns the maker-checker shapes: the merchant's approval policy, approving and rejecting a batch,
// and the approval record a batch carries.
import * as z from "zod";
import { amountSchema, currencyOutputSchema, idSchema } from "./common.js";

export const MAX_REJECTION_REASON = 500;

export const approvalPolicyRequestSchema = /* @__PURE__ */ z
  .strictObject({
    batch_amount_at_least: z
      .partialRecord(currencyOutputSchema, amountSchema)
      .nullable()
      .optional()
      .meta({
        description:
          "Per currency (uppercase ISO 4217), a batch whose total in that currency is at least this many minor units requires approval. A cross-currency batch is judged by its total in the batch (source) currency, its items converted at the rates of its creation. Omitted or null: no amount rule.",
        example: { USD: 1000000 },
      }),
    batch_items_at_least: z
      .int()
      .min(1, { error: "must be at least 1" })
      .max(100_000, { error: "must be at most 100000" })
      .nullable()
      .optional()
      .meta({
        description:
          "A batch with at least this many items requires approval. Omitted or null: no item rule.",
      }),
  })
  .meta({ id: "ApprovalPolicyRequest" });

export type ApprovalPolicyRequest = z.infer<typeof approvalPolicyRequestSchema>;

export const approvalPolicySchema = /* @__PURE__ */ z
  .object({
    object: z.literal("approval_policy"),
    livemode: z.boolean().meta({ description: "Each mode has its own policy." }),
    batch_amount_at_least: z.record(z.string(), z.int()).meta({
      description:
        "Per currency, the batch total (minor units) from which a batch requires approval; {} when none.",
    }),
    batch_items_at_least: z.int().nullable(),
    updated_at: z.int().nullable().meta({ description: "Unix seconds; null while never set." }),
  })
  .meta({ id: "ApprovalPolicy" });

export type ApprovalPolicyResource = z.infer<typeof approvalPolicySchema>;

export const approveBatchSchema = /* @__PURE__ */ z.strictObject({}).meta({ id: "ApproveBatchRequest" });

export const rejectBatchSchema = /* @__PURE__ */ z
  .strictObject({
    reason: z
      .string()
      .max(MAX_REJECTION_REASON, { error: `must be at most ${MAX_REJECTION_REASON} characters` })
      .optional()
      .meta({ description: "Why the batch was rejected; shown on the batch as `approval.reason`." }),
  })
  .meta({ id: "RejectBatchRequest" });

export const keyRefSchema = /* @__PURE__ */ z
  .object({
    api_key: idSchema("apiKey"),
    name: z.string().nullable(),
  })
  .meta({ id: "ApiKeyRef", description: "An API key by id and name (never the key itself)." });

export const APPROVAL_STATUSES = ["pending", "approved", "rejected"] as const;
export const APPROVAL_REASONS = ["amount", "item_count"] as const;

export const batchApprovalSchema = /* @__PURE__ */ z
  .object({
    status: z.enum(APPROVAL_STATUSES),
    required_because: z
      .array(z.enum(APPROVAL_REASONS))
      .meta({ description: "Which rules of the approval policy the batch met when it was created." }),
    decided_by: keyRefSchema.nullable().meta({ description: "The key that approved or rejected it." }),
    decided_at: z.int().nullable().meta({ description: "Unix seconds." }),
    reason: z.string().nullable().meta({ description: "The rejection reason, if one was given." }),
  })
  .meta({
    id: "BatchApproval",
    description: "Present when the approval policy required approval for the batch; null otherwise.",
  });
