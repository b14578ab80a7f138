// Refund routes, served by the payments Lambda (functions/http/payments.ts): refund a payment,
// read one refund, list refunds (all, or one payment's).

import { newId } from "../../lib/domain/ids.js";
import { toRefundResource } from "../../lib/domain/refunds.js";
import { ResourceMissingError } from "../../lib/errors.js";
import type { RouteTable } from "../../lib/http/http-handler.js";
import { listBody } from "../../lib/http/lists.js";
import { findRefund, listPaymentRefunds, listRefunds } from "../../lib/ledger/refunds.js";
import { executeRefund } from "../../lib/refunds/refund.js";
import type { Runtime } from "../../lib/runtime.js";
import { DEFAULT_LIST_LIMIT } from "../../lib/schemas/common.js";
import { createRefundSchema, listRefundsQuerySchema } from "../../lib/schemas/refunds.js";
import { parseWith } from "../../lib/schemas/validate.js";

export function refundRoutes(rt: Runtime): RouteTable {
  return {
    "POST /v1/refunds": async (call) => {
      const request = parseWith(createRefundSchema, call.body);
      const now = Date.now();
      const order = {
        id: newId("refund", now),
        merchantId: call.merchantId,
        paymentId: request.payment,
        amount: request.amount,
        reason: request.reason,
        metadata: request.metadata,
        now,
      };
      const refund = await call.timer.channel(() => executeRefund(rt.store, order, call.idempotency));
      return { status: 201, body: toRefundResource(refund) };
    },
    "GET /v1/refunds": async (call) => {
      const query = parseWith(listRefundsQuerySchema, call.query);
      const limit = query.limit ?? DEFAULT_LIST_LIMIT;
      const page = await call.timer.channel(() =>
        query.payment
          ? listPaymentRefunds(rt.store, query.payment, call.merchantId, limit, query.starting_after)
          : listRefunds(rt.store, call.merchantId, limit, query.starting_after),
      );
      return { status: 200, body: listBody(page.refunds.map(toRefundResource), page.hasMore, "/v1/refunds") };
    },
    "GET /v1/refunds/{id}": async (call) => {
      const id = call.params.id ?? "";
      const refund = await call.timer.channel(() => findRefund(rt.store, id, call.merchantId));
      if (!refund) throw new ResourceMissingError("refund", id, "id");
      return { status: 200, body: toRefundResource(refund) };
    },
  };
}
