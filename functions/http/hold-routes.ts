// Hold routes, served by the payments Lambda (functions/http/payments.ts): place a hold, read and
// list holds, capture one into a payment, void one.

import { toHoldResource } from "../../lib/domain/holds.js";
import { newId } from "../../lib/domain/ids.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { captureHold, createHold, voidHold } from "../../lib/holds/holds.js";
import type { RouteTable } from "../../lib/http/http-handler.js";
import { listBody, parseListQuery } from "../../lib/http/lists.js";
import { findHold, listHolds } from "../../lib/ledger/holds.js";
import type { Runtime } from "../../lib/runtime.js";
import { captureHoldSchema, createHoldSchema } from "../../lib/schemas/holds.js";
import { parseWith } from "../../lib/schemas/validate.js";

export function holdRoutes(rt: Runtime): RouteTable {
  return {
    "POST /v1/holds": async (call) => {
      const now = Date.now();
      const request = parseWith(
        createHoldSchema(() => now),
        call.body,
      );
      const order = {
        id: newId("hold", now),
        merchantId: call.merchantId,
        source: request.source,
        destination: request.destination,
        amount: request.amount,
        currency: request.currency,
        expiresAt: request.expires_at,
        description: request.description,
        metadata: request.metadata,
        now,
      };
      const hold = await call.timer.channel(() => createHold(rt.store, order, call.idempotency));
      return { status: 201, body: toHoldResource(hold) };
    },
    "GET /v1/holds": async (call) => {
      const query = parseListQuery("hold", call.query);
      const page = await call.timer.channel(() => listHolds(rt.store, call.merchantId, query));
      return { status: 200, body: listBody(page.holds.map(toHoldResource), page.hasMore, "/v1/holds") };
    },
    "GET /v1/holds/{id}": async (call) => {
      const id = call.params.id ?? "";
      const hold = await call.timer.channel(() => findHold(rt.store, id, call.merchantId));
      if (!hold) throw new ResourceMissingError("hold", id, "id");
      return { status: 200, body: toHoldResource(hold) };
    },
    "POST /v1/holds/{id}/capture": async (call) => {
      const request = parseWith(captureHoldSchema, call.body);
      const now = Date.now();
      const input = {
        holdId: call.params.id ?? "",
        merchantId: call.merchantId,
        amount: request.amount,
        paymentId: newId("payment", now),
        nowMs: now,
      };
      const hold = await call.timer.channel(() => captureHold(rt.store, input, call.idempotency, rt.risk));
      return { status: 200, body: toHoldResource(hold) };
    },
    "POST /v1/holds/{id}/void": async (call) => {
      const input = {
        holdId: call.params.id ?? "",
        merchantId: call.merchantId,
        requestId: call.requestId,
        nowMs: Date.now(),
      };
      const hold = await call.timer.channel(() => voidHold(rt.store, input, call.idempotency));
      return { status: 200, body: toHoldResource(hold) };
    },
  };
}
