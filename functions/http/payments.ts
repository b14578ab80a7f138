// HTTP: real-time payments, dispatched to the channel that serves the destination, and refunds.

import { executePayment } from "../../lib/channels/router.js";
import { newId } from "../../lib/domain/ids.js";
import { toPaymentResource } from "../../lib/domain/payments.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody, parseFilteredListQuery } from "../../lib/http/lists.js";
import { findPayment, listPayments } from "../../lib/ledger/payments.js";
import { runtime } from "../../lib/runtime.js";
import {
  createPaymentSchema,
  listPaymentsQuerySchema,
  PAYMENT_LIST_FILTERS,
} from "../../lib/schemas/payments.js";
import { parseWith } from "../../lib/schemas/validate.js";
import { fxRoutes } from "./fx-routes.js";
import { holdRoutes } from "./hold-routes.js";
import { refundRoutes } from "./refund-routes.js";
import { riskRoutes } from "./risk-routes.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  ...refundRoutes(rt),
  ...holdRoutes(rt),
  ...fxRoutes(rt),
  ...riskRoutes(rt),
  "POST /v1/payments": async (call) => {
    const request = parseWith(createPaymentSchema, call.body);
    const now = Date.now();
    const order = { ...request, id: newId("payment", now), merchantId: call.merchantId, now };
    const payment = await call.timer.channel(() => executePayment(rt.router, order, call.idempotency));
    // 202 when the bank rail has not answered yet, or a review rule parked the payment: its money
    // is reserved and it will be finished (by recovery, or by approve/decline).
    const pending = payment.status === "processing" || payment.status === "requires_review";
    return { status: pending ? 202 : 201, body: toPaymentResource(payment) };
  },
  "GET /v1/payments": async (call) => {
    const query = parseFilteredListQuery(listPaymentsQuerySchema, PAYMENT_LIST_FILTERS, call.query);
    const page = await call.timer.channel(() => listPayments(rt.store, call.merchantId, query));
    return {
      status: 200,
      body: listBody(page.payments.map(toPaymentResource), page.hasMore, "/v1/payments"),
    };
  },
  "GET /v1/payments/{id}": async (call) => {
    const id = call.params.id ?? "";
    const payment = await call.timer.channel(() => findPayment(rt.store, id, call.merchantId));
    if (!payment) throw new ResourceMissingError("payment", id, "id");
    return { status: 200, body: toPaymentResource(payment) };
  },
});
