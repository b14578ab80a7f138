// Owns the outflow rules at a batch's release. The batch's total leaves its source in one debit, so
// the daily and monthly outflow rules judge it as they would judge one payment of that total, on
// the same counters: the release counts the total into the source's windows (a real-time payment
// after it sees the room it took) and, while far from every limit, its debit carries the guard
// and nothing is read; once that guard fails, the exact counters are read and carried instead, so
// batches and payments racing for the same room never pass the limit together.
//
// A batch is judged whole, not cut at the item where the room runs out: a payroll half paid by
// the order of its lines is worse for the payer than one refused with a clear code, and a refused
// batch can be split and sent again. Velocity (payments per minute) is not applied to a batch: it
// is one instruction, and counting its items would refuse any payroll larger than the rate.
import { carriedBy, evaluateRisk } from "../domain/risk/evaluate.js";
import type { RiskRule } from "../domain/risk/rules.js";
import { sourceCounters, windowsAt } from "../domain/risk/windows.js";
import type { Item } from "../ledger/records.js";
import type { RiskWrite } from "../ledger/risk-counters.js";
import type { BatchFailureCode } from "../schemas/batches.js";

const OUTFLOW_RULES = new Set<RiskRule["type"]>(["daily_outflow", "monthly_outflow"]);

/** The rules a batch's release answers to, out of those that apply to its source and currency. */
export function outflowRules(rules: readonly RiskRule[]): RiskRule[] {
  return rules.filter((rule) => OUTFLOW_RULES.has(rule.type));
}

export type ReleaseJudgement =
  | { kind: "pass"; risk: RiskWrite }
  | { kind: "broken"; code: BatchFailureCode }
  /** Far-from-limit guards cannot hold this total: read the source's counters first. */
  | { kind: "read" };

/**
 * The outflow rules on a batch's total: from the source's exact counters when it was read
 * (`source`, null if it was read and is absent), else the fast path's guards. A `review` rule
 * refuses the batch too: a batch waits for people through its approval policy, not through review.
 */
export function judgeRelease(
  rules: readonly RiskRule[],
  total: number,
  nowMs: number,
  source?: Item | null,
): ReleaseJudgement {
  const decision = evaluateRisk(rules, {
    amount: total,
    destination: "",
    nowMs,
    ...(source === undefined ? {} : sourceCounters(source ?? {}, windowsAt(nowMs))),
  });
  if (decision.kind === "read") return { kind: "read" };
  if (decision.kind === "broken") return { kind: "broken", code: decision.code as BatchFailureCode };
  return {
    kind: "pass",
    risk: { ...carriedBy(decision), nowMs },
  };
}
