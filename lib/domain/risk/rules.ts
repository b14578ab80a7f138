// Owns the risk rule aggregate: what a merchant (in one mode) sets through POST /v1/risk_rules,
// which rules apply to a payment, and the failure code each kind of rule gives a payment it stops.
import type { Currency } from "../../money/index.js";
import type { PaymentFailureCode } from "../../schemas/payments.js";
import type {
  CreateRiskRuleRequest,
  RiskAction,
  RiskRuleResource,
  RiskRuleType,
} from "../../schemas/risk.js";
import { isLiveOwner } from "../modes.js";

/**
 * At most this many rules per merchant and mode (they are cached together per container). Here, not
 * beside the request schema: the ledger enforces it on every write, and importing it from
 * lib/schemas would bundle zod into every function that reads rules (see BENCHMARKS.md, module load).
 */
export const MAX_RISK_RULES = 100;

export interface RiskRule {
  id: string;
  /** The ledger owner (merchant in one mode): test rules never see live payments. */
  merchantId: string;
  type: RiskRuleType;
  action: RiskAction;
  /** The source wallet it applies to; null for every source of the owner. */
  account: string | null;
  amount: number | null;
  currency: string | null;
  count: number | null;
  hours: number | null;
  destinations: string[] | null;
  createdAt: number;
}

export function ruleFrom(
  request: CreateRiskRuleRequest,
  id: string,
  merchantId: string,
  nowMs: number,
): RiskRule {
  return {
    id,
    merchantId,
    type: request.type,
    action: request.action ?? "decline",
    account: request.account ?? null,
    amount: "amount" in request ? request.amount : null,
    currency: "currency" in request ? request.currency : null,
    count: "count" in request ? request.count : null,
    hours: "hours" in request ? request.hours : null,
    destinations: "destinations" in request ? [...new Set(request.destinations)] : null,
    createdAt: Math.floor(nowMs / 1000),
  };
}

/** The rules a payment from `source` in `currency` answers to (the owner's rules only). */
export function applicableRules(
  rules: readonly RiskRule[],
  payment: { merchantId: string; source: string; currency: string },
): RiskRule[] {
  return rules.filter(
    (rule) =>
      rule.merchantId === payment.merchantId &&
      (rule.account === null || rule.account === payment.source) &&
      (rule.currency === null || rule.currency === payment.currency),
  );
}

export const RULE_FAILURE_CODES: Record<RiskRuleType, PaymentFailureCode> = {
  amount: "amount_limit_exceeded",
  daily_outflow: "daily_limit_exceeded",
  monthly_outflow: "monthly_limit_exceeded",
  velocity: "velocity_limit_exceeded",
  new_destination: "new_destination_limit",
  blocked_destinations: "destination_blocked",
};

export function toRiskRuleResource(rule: RiskRule): RiskRuleResource {
  return {
    id: rule.id,
    object: "risk_rule",
    livemode: isLiveOwner(rule.merchantId),
    type: rule.type,
    action: rule.action,
    account: rule.account,
    amount: rule.amount,
    currency: rule.currency as Currency | null,
    count: rule.count,
    hours: rule.hours,
    destinations: rule.destinations,
    created_at: rule.createdAt,
  };
}
