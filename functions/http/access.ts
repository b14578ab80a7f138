// HTTP: who may do what. API keys (issue with a role and a name, list without secrets, revoke) and
// the approval policy that makes large batches wait for a second key. Admin keys only
// (lib/http/routes.ts ROUTE_PERMISSIONS); every call acts in the calling key's mode.
import {
  NO_APPROVAL_POLICY,
  policyFromRequest,
  toApprovalPolicyResource,
} from "../../lib/domain/approvals.js";
import { DEFAULT_ROLE } from "../../lib/domain/permissions.js";
import { CannotRevokeOwnKeyError, ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody } from "../../lib/http/lists.js";
import {
  findApiKeyRecord,
  issueApiKey,
  listApiKeyRecords,
  revokeApiKeyRecord,
  toApiKeyResource,
} from "../../lib/ledger/api-keys.js";
import { getApprovalPolicy, putApprovalPolicy } from "../../lib/ledger/approvals.js";
import { runtime } from "../../lib/runtime.js";
import { createApiKeySchema } from "../../lib/schemas/api-keys.js";
import { approvalPolicyRequestSchema } from "../../lib/schemas/approvals.js";
import { parseWith } from "../../lib/schemas/validate.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  "POST /v1/api_keys": async (call) => {
    const request = parseWith(createApiKeySchema, call.body);
    const profile = { role: request.role ?? DEFAULT_ROLE, name: request.name ?? null };
    const mode = call.livemode ? "live" : "test";
    const issued = await call.timer.channel(() =>
      // The stored answer (replayed for the same Idempotency-Key) never holds the secret.
      issueApiKey(rt.store, call.merchantId, mode, profile, call.idempotency, (_secret, resource) => ({
        statusCode: 201,
        body: { ...resource, secret: null },
      })),
    );
    return { status: 201, body: { ...issued.resource, secret: issued.secret } };
  },
  "GET /v1/api_keys": async (call) => {
    const records = await call.timer.channel(() => listApiKeyRecords(rt.store, call.merchantId));
    const now = Date.now();
    return {
      status: 200,
      body: listBody(
        records.map((record) => toApiKeyResource(record, now)),
        false,
        "/v1/api_keys",
      ),
    };
  },
  "POST /v1/api_keys/{id}/revoke": async (call) => {
    const id = call.params.id ?? "";
    if (id === call.apiKey.id) throw new CannotRevokeOwnKeyError();
    const revoked = await call.timer.channel(async () => {
      const record = await findApiKeyRecord(rt.store, call.merchantId, id);
      if (!record) throw new ResourceMissingError("api_key", id, "id");
      return revokeApiKeyRecord(rt.store, record);
    });
    return { status: 200, body: toApiKeyResource(revoked) };
  },
  "POST /v1/approval_policy": async (call) => {
    const request = parseWith(approvalPolicyRequestSchema, call.body);
    const policy = policyFromRequest(request, Date.now());
    const body = toApprovalPolicyResource(policy, call.livemode);
    await call.timer.channel(() =>
      putApprovalPolicy(rt.store, call.merchantId, policy, call.idempotency, { statusCode: 200, body }),
    );
    return { status: 200, body };
  },
  "GET /v1/approval_policy": async (call) => {
    const policy = await call.timer.channel(() => getApprovalPolicy(rt.store, call.merchantId));
    return { status: 200, body: toApprovalPolicyResource(policy ?? NO_APPROVAL_POLICY, call.livemode) };
  },
});
