// Owns the risk score of a payment, 0 to 100, from what the rule check saw. Pure and deterministic:
// the same outcomes, destination age and time give the same score.
//   a rule broken                          100
//   the nearest rule at 80%..100% of limit  20..40 (linear), +5 for each other near rule
//   destination never paid before          +15; first paid less than 24 h ago +10
//                                          (known when the accounts were read)
//   amount above all the source paid out   +10 (the account's history: this payment alone is more
//   this month before it                        than its calendar month's outflow so far, which is
//                                          not zero; known when the source was read)
//   paid between 00:00 and 05:59 UTC       +10, only on top of another signal (night alone is
//                                          not a risk: a plain payment scores 0 at any hour)
import type { PaymentRiskResource, RiskAction, RiskRuleType } from "../../schemas/risk.js";

export interface RuleOutcome {
  rule: string;
  type: RiskRuleType;
  action: RiskAction;
  outcome: "near" | "broken";
  /** What the limit's window holds with this payment. */
  used: number;
  limit: number;
}

export interface PaymentRisk {
  score: number;
  rules: RuleOutcome[];
}

export interface ScoreSignals {
  outcomes: readonly RuleOutcome[];
  /** Unix seconds of the destination's first payment; null never paid; undefined unknown. */
  destinationFirstPaidAt?: number | null | undefined;
  /** This payment's amount and the source's outflow this month before it; undefined unknown. */
  history?: { amount: number; monthOutflow: number } | undefined;
  nowMs: number;
}

/** Points for one near rule: 20 at 80% of the limit rising to 40 at 100%. */
function nearPoints(outcome: RuleOutcome): number {
  if (outcome.limit <= 0) return 40;
  return 20 + Math.min(20, Math.floor((20 * (5 * outcome.used - 4 * outcome.limit)) / outcome.limit));
}

export function scoreRisk(signals: ScoreSignals): PaymentRisk {
  const rules = [...signals.outcomes];
  if (rules.some((outcome) => outcome.outcome === "broken")) return { score: 100, rules };
  let score = 0;
  if (rules.length > 0) score += Math.max(...rules.map(nearPoints)) + 5 * (rules.length - 1);
  const nowSec = Math.floor(signals.nowMs / 1000);
  if (signals.destinationFirstPaidAt === null) score += 15;
  else if (signals.destinationFirstPaidAt !== undefined && signals.destinationFirstPaidAt > nowSec - 86_400)
    score += 10;
  const history = signals.history;
  if (history && history.monthOutflow > 0 && history.amount > history.monthOutflow) score += 10;
  if (score > 0 && new Date(signals.nowMs).getUTCHours() < 6) score += 10;
  return { score: Math.min(100, score), rules };
}

export function toPaymentRiskResource(risk: PaymentRisk): PaymentRiskResource {
  return {
    score: risk.score,
    rules: risk.rules.map((outcome) => ({
      rule: outcome.rule,
      type: outcome.type,
      action: outcome.action,
      outcome: outcome.outcome,
      used: outcome.used,
      limit: outcome.limit,
    })),
  };
}
