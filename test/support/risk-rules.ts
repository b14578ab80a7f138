// A risk rule for the engine's unit tests: a `decline` rule of the test owner in USD for every
// source, with only what a test names set.
import type { RiskRule } from "../../lib/domain/risk/rules.js";

export const RULE_OWNER = "mer_test";

export function riskRule(partial: Partial<RiskRule> & Pick<RiskRule, "type">): RiskRule {
  return {
    id: `rr_${partial.type}`,
    merchantId: RULE_OWNER,
    action: "decline",
    account: null,
    amount: null,
    currency: "USD",
    count: null,
    hours: null,
    destinations: null,
    createdAt: 0,
    ...partial,
  };
}
