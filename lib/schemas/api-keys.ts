// Owns the API key shapes: creating a key (optional name, a role) and a key as listed. A key's
// secret appears once, in the answer to its creation; lists show only its last four characters.
import * as z from "zod";
import { API_KEY_ROLES } from "../domain/permissions.js";
import { idSchema } from "./common.js";

export const apiKeyRoleSchema = /* @__PURE__ */ z.enum(API_KEY_ROLES).meta({
  id: "ApiKeyRole",
  description:
    "What the key may do: `admin` everything; `payer` read and move money (accounts, top-ups, payments, batches, refunds, holds, FX quotes) but not approve; `approver` read and approve or reject batches; `read_only` GET only (every POST and DELETE answers 403 `permission_denied`). Key and approval-policy settings, webhook endpoints and event redelivery need `admin`.",
});

export const apiKeyNameSchema = /* @__PURE__ */ z
  .string()
  .trim()
  .min(1, { error: "must not be empty" })
  .max(100, { error: "must be at most 100 characters" })
  .meta({
    description: "A label for people (`Finance`, `Payroll bot`); shown on what the key creates or approves.",
  });

export const createApiKeySchema = /* @__PURE__ */ z
  .strictObject({
    role: apiKeyRoleSchema.optional().meta({ description: "Default `admin`." }),
    name: apiKeyNameSchema.optional(),
  })
  .meta({ id: "CreateApiKeyRequest" });

export type CreateApiKeyRequest = z.infer<typeof createApiKeySchema>;

export const API_KEY_STATUSES = ["active", "revoked", "expired"] as const;

export const apiKeySchema = /* @__PURE__ */ z
  .object({
    id: idSchema("apiKey"),
    object: z.literal("api_key"),
    livemode: z.boolean().meta({ description: "True for a live key (`sk_live_…`), false for a test key." }),
    name: z.string().nullable(),
    role: apiKeyRoleSchema,
    status: z.enum(API_KEY_STATUSES).meta({
      description: "`expired`: a rotated key past its grace period; `revoked`: stopped by an admin.",
    }),
    redacted: z.string().meta({
      description: "The key's mode prefix and last four characters (`sk_test_****wxyz`); never the key.",
      example: "sk_test_****wxyz",
    }),
    created_at: z.int().meta({ description: "Unix seconds." }),
    expires_at: z
      .int()
      .nullable()
      .meta({ description: "A rotated key's end of grace, in Unix seconds; null for a key without an end." }),
  })
  .meta({ id: "ApiKey" });

export type ApiKeyResource = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = /* @__PURE__ */ apiKeySchema
  .extend({
    secret: z.string().nullable().meta({
      description:
        "The key itself (`sk_test_…`, `sk_live_…`): shown only in this answer, store it now. Null when the answer is an idempotent replay: the key is stored only as a hash, never in an idempotency record.",
    }),
  })
  .meta({ id: "CreatedApiKey" });
