// HTTP: create, read, list and cancel batches, list a batch's items, approve or reject a batch
// that requires approval.

import { type ApprovalCall, approveBatch, rejectBatch } from "../../lib/batches/approve.js";
import { cancelBatch } from "../../lib/batches/cancel.js";
import { createBatch } from "../../lib/batches/create.js";
import { batchDeps } from "../../lib/batches/deps.js";
import { batchResource, listBatchItems } from "../../lib/batches/read.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody, parseFilteredListQuery } from "../../lib/http/lists.js";
import type { ApiCall } from "../../lib/http/types.js";
import { findBatch, listBatches } from "../../lib/ledger/batches.js";
import { runtime } from "../../lib/runtime.js";
import { approveBatchSchema, rejectBatchSchema } from "../../lib/schemas/approvals.js";
import {
  BATCH_LIST_FILTERS,
  listBatchesQuerySchema,
  listBatchItemsQuerySchema,
} from "../../lib/schemas/batches.js";
import { DEFAULT_LIST_LIMIT } from "../../lib/schemas/common.js";
import { parseWith } from "../../lib/schemas/validate.js";

const rt = runtime();
const deps = batchDeps(rt);

async function ownBatch(id: string, merchantId: string) {
  const batch = await findBatch(rt.store, id, merchantId);
  if (!batch) throw new ResourceMissingError("batch", id, "id");
  return batch;
}

/** The calling key as a batch records it (creator, approver). */
const keyRef = (call: ApiCall) => ({ apiKey: call.apiKey.id, name: call.apiKey.name });

function approvalCall(call: ApiCall): ApprovalCall {
  return {
    merchantId: call.merchantId,
    batchId: call.params.id ?? "",
    by: keyRef(call),
    requestId: call.requestId,
    claim: call.idempotency,
    nowMs: Date.now(),
  };
}

export const handler = httpHandler(rt, {
  "POST /v1/batches": async (call) => {
    const body = await call.timer.channel(() =>
      createBatch(deps, call.merchantId, call.body, call.idempotency, Date.now(), keyRef(call)),
    );
    return { status: 202, body };
  },
  "GET /v1/batches": async (call) => {
    const query = parseFilteredListQuery(listBatchesQuerySchema, BATCH_LIST_FILTERS, call.query);
    const data = await call.timer.channel(async () => {
      const page = await listBatches(rt.store, call.merchantId, query);
      return {
        batches: await Promise.all(page.batches.map((b) => batchResource(rt.store, b))),
        hasMore: page.hasMore,
      };
    });
    return { status: 200, body: listBody(data.batches, data.hasMore, "/v1/batches") };
  },
  "GET /v1/batches/{id}": async (call) => {
    const id = call.params.id ?? "";
    const body = await call.timer.channel(async () =>
      batchResource(rt.store, await ownBatch(id, call.merchantId)),
    );
    return { status: 200, body };
  },
  "GET /v1/batches/{id}/items": async (call) => {
    const id = call.params.id ?? "";
    const query = parseWith(listBatchItemsQuerySchema, call.query);
    const page = await call.timer.channel(async () =>
      listBatchItems(rt.store, await ownBatch(id, call.merchantId), {
        status: query.status,
        limit: query.limit ?? DEFAULT_LIST_LIMIT,
        startingAfter: query.starting_after,
      }),
    );
    return { status: 200, body: listBody(page.items, page.hasMore, `/v1/batches/${id}/items`) };
  },
  "POST /v1/batches/{id}/cancel": async (call) => {
    const id = call.params.id ?? "";
    const body = await call.timer.channel(() =>
      cancelBatch(rt.store, call.merchantId, id, call.requestId, call.idempotency, Date.now()),
    );
    return { status: 200, body };
  },
  "POST /v1/batches/{id}/approve": async (call) => {
    parseWith(approveBatchSchema, call.body);
    const body = await call.timer.channel(() => approveBatch(deps, approvalCall(call)));
    return { status: 200, body };
  },
  "POST /v1/batches/{id}/reject": async (call) => {
    const request = parseWith(rejectBatchSchema, call.body);
    const body = await call.timer.channel(() => rejectBatch(deps, approvalCall(call), request.reason));
    return { status: 200, body };
  },
});
