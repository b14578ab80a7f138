// Risk rule routes and the review transitions of a payment, served by the payments Lambda
// (functions/http/payments.ts), whose containers cache the rules the payment path reads.

import { newId } from "../../lib/domain/ids.js";
import { toPaymentResource } from "../../lib/domain/payments.js";
import { ruleFrom, toRiskRuleResource } from "../../lib/domain/risk/rules.js";
import { ResourceMissingError, TooManyRiskRulesError } from "../../lib/errors.js";
import type { RouteTable } from "../../lib/http/http-handler.js";
import type { ApiCall } from "../../lib/http/types.js";
import { findAccount } from "../../lib/ledger/accounts.js";
import { deleteRiskRule, insertRiskRule, readRiskRules } from "../../lib/ledger/risk-rules.js";
import { approveReview, declineReview, type ReviewInput } from "../../lib/risk/review.js";
import type { Runtime } from "../../lib/runtime.js";
import { createRiskRuleSchema } from "../../lib/schemas/risk.js";
import { parseWith } from "../../lib/schemas/validate.js";

/** Which parked payment a review call moves, for whom, and when. */
function reviewInput(call: ApiCall): ReviewInput {
  return {
    paymentId: call.params.id ?? "",
    merchantId: call.merchantId,
    requestId: call.requestId,
    nowMs: Date.now(),
  };
}

export function riskRoutes(rt: Runtime): RouteTable {
  return {
    "POST /v1/risk_rules": async (call) => {
      const request = parseWith(createRiskRuleSchema, call.body);
      const now = Date.now();
      const rule = ruleFrom(request, newId("riskRule", now), call.merchantId, now);
      const body = toRiskRuleResource(rule);
      await call.timer.channel(async () => {
        // A rule for one wallet names one of this merchant's wallets (in this mode); nothing is
        // stored otherwise.
        if (
          rule.account !== null &&
          (await findAccount(rt.store, rule.account, call.merchantId)) === undefined
        )
          throw new ResourceMissingError("account", rule.account, "account");
        const outcome = await insertRiskRule(rt.store, rule, call.idempotency, { statusCode: 201, body });
        if (outcome === "too_many") throw new TooManyRiskRulesError();
        rt.risk.forget(call.merchantId);
      });
      return { status: 201, body };
    },
    "GET /v1/risk_rules": async (call) => {
      const rules = await call.timer.channel(() => readRiskRules(rt.store, call.merchantId));
      // At most 100 rules: one page, oldest first.
      return {
        status: 200,
        body: { object: "list", data: rules.map(toRiskRuleResource), has_more: false, url: "/v1/risk_rules" },
      };
    },
    "GET /v1/risk_rules/{id}": async (call) => {
      const id = call.params.id ?? "";
      const rules = await call.timer.channel(() => readRiskRules(rt.store, call.merchantId));
      const rule = rules.find((r) => r.id === id);
      if (!rule) throw new ResourceMissingError("risk_rule", id, "id");
      return { status: 200, body: toRiskRuleResource(rule) };
    },
    "DELETE /v1/risk_rules/{id}": async (call) => {
      const id = call.params.id ?? "";
      const deleted = await call.timer.channel(() =>
        deleteRiskRule(rt.store, call.merchantId, id, call.requestId),
      );
      if (!deleted) throw new ResourceMissingError("risk_rule", id, "id");
      rt.risk.forget(call.merchantId);
      return { status: 200, body: { id, object: "risk_rule", deleted: true } };
    },
    "POST /v1/payments/{id}/approve": async (call) => {
      const payment = await call.timer.channel(() =>
        approveReview(rt.store, rt.risk, reviewInput(call), call.idempotency, rt.router.channels.bank),
      );
      // An approved bank payout the rail has not answered yet is `processing` (finished by recovery).
      return { status: payment.status === "processing" ? 202 : 200, body: toPaymentResource(payment) };
    },
    "POST /v1/payments/{id}/decline": async (call) => {
      const payment = await call.timer.channel(() =>
        declineReview(rt.store, reviewInput(call), call.idempotency),
      );
      return { status: 200, body: toPaymentResource(payment) };
    },
  };
}
