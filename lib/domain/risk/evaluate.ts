// Owns the risk engine: given a payment, the rules that apply to it and what is known about its
// source's counters and its destination, decide whether a rule is broken (and which), whether more
// must be read first, or which conditions the payment's own transaction must carry. Pure.
//
// A payment far from every limit is decided without reading anything: its debit carries a
// condition that the window's counter is below the point where this payment would take it to 80%
// of the limit. Only when that condition fails (or the payment alone is that large) is the wallet
// read; then the exact counter is known, the near rules are scored, and the debit carries the exact
// limit as its condition, so concurrent payments never pass more than the limit together.
import type { PaymentFailureCode } from "../../schemas/payments.js";
import type { RiskAction, RiskRuleType } from "../../schemas/risk.js";
import { type RiskRule, RULE_FAILURE_CODES } from "./rules.js";
import { type PaymentRisk, type RuleOutcome, scoreRisk } from "./score.js";
import type { Counter, RingState } from "./windows.js";

export interface RiskFacts {
  amount: number;
  destination: string;
  nowMs: number;
  /** The source's counters in the current windows, when read; undefined on the fast path. */
  counters?: Record<Counter, number> | undefined;
  /** Unix seconds the destination was first paid, null if never; undefined when not read. */
  destinationFirstPaidAt?: number | null | undefined;
  /** When read: the minute the source's velocity count belongs to, if not the current one. */
  staleMinute?: number | undefined;
  /** When read: the rolling day's ring as it stands (its `used` is `counters.day`). */
  ring?: RingState | undefined;
}

/** The debit's condition on one counter: its value before this payment is at most `max`. */
export interface Guard {
  counter: Counter;
  max: number;
  /** Minute only: the count read belongs to this earlier minute; the debit starts it again at 1. */
  restartFrom?: number;
  /** Day only, after a read: the ring the debit brings to the current hour, and what it held. */
  ring?: RingState;
}

export type RiskDecision =
  | { kind: "broken"; rule: RiskRule; code: PaymentFailureCode; action: RiskAction; risk: PaymentRisk }
  /** Read the source's counters and/or the destination's first payment time, then decide again. */
  | { kind: "read"; counters: boolean; destination: boolean }
  | { kind: "pass"; guards: Guard[]; trackMinute: boolean; trackDay: boolean; risk: PaymentRisk };

export type PassDecision = Extract<RiskDecision, { kind: "pass" }>;

/** What a pass makes the source's debit carry: the guards and which counters it keeps. */
export type Carried = Pick<PassDecision, "guards" | "trackMinute" | "trackDay">;

export function carriedBy({ guards, trackMinute, trackDay }: PassDecision): Carried {
  return { guards, trackMinute, trackDay };
}

/** A debit that answers to no rule: it only counts its outflow. */
export const CARRIES_NOTHING: Carried = { guards: [], trackMinute: false, trackDay: false };

const COUNTER_OF: Partial<Record<RiskRuleType, Counter>> = {
  daily_outflow: "day",
  monthly_outflow: "month",
  velocity: "minute",
};

/** Near: the window holds 80% of the limit or more with this payment (integers only). */
export function isNear(used: number, limit: number): boolean {
  return 5 * used >= 4 * limit;
}

/** The largest counter value before a payment of `step` that keeps the window below 80%. */
function farMax(limit: number, step: number): number {
  // used < ceil(4L/5)  ⇔  counter <= ceil(4L/5) - 1 - step
  return Math.ceil((4 * limit) / 5) - 1 - step;
}

const HOUR_S = 3_600;

export function evaluateRisk(rules: readonly RiskRule[], facts: RiskFacts): RiskDecision {
  const outcomes: RuleOutcome[] = [];
  const broken: RiskRule[] = [];
  const guards = new Map<Counter, number>();
  const need = { counters: false, destination: false };
  const nowSec = Math.floor(facts.nowMs / 1000);

  const note = (rule: RiskRule, used: number, limit: number, isBroken: boolean) => {
    if (isBroken) broken.push(rule);
    if (isBroken || isNear(used, limit))
      outcomes.push({
        rule: rule.id,
        type: rule.type,
        action: rule.action,
        outcome: isBroken ? "broken" : "near",
        used,
        limit,
      });
  };
  const guard = (counter: Counter, max: number) =>
    guards.set(counter, Math.min(max, guards.get(counter) ?? Number.MAX_SAFE_INTEGER));

  for (const rule of rules) {
    switch (rule.type) {
      case "amount": {
        const limit = rule.amount ?? 0;
        note(rule, facts.amount, limit, facts.amount > limit);
        break;
      }
      case "blocked_destinations":
        if (rule.destinations?.includes(facts.destination)) note(rule, 1, 0, true);
        break;
      case "new_destination": {
        const cap = rule.amount ?? 0;
        if (facts.amount <= cap) break;
        if (facts.destinationFirstPaidAt === undefined) {
          need.destination = true;
          break;
        }
        const paidAt = facts.destinationFirstPaidAt;
        const isNew = paidAt === null || paidAt > nowSec - (rule.hours ?? 0) * HOUR_S;
        if (isNew) note(rule, facts.amount, cap, true);
        break;
      }
      case "daily_outflow":
      case "monthly_outflow":
      case "velocity": {
        const counter = COUNTER_OF[rule.type] as Counter;
        const limit = (rule.type === "velocity" ? rule.count : rule.amount) ?? 0;
        const step = rule.type === "velocity" ? 1 : facts.amount;
        if (step > limit) {
          note(rule, step, limit, true);
          break;
        }
        if (facts.counters === undefined) {
          const max = farMax(limit, step);
          if (max < 0) need.counters = true;
          else guard(counter, max);
          break;
        }
        const used = facts.counters[counter] + step;
        note(rule, used, limit, used > limit);
        // Exact: whatever others pay meanwhile, the window never passes the limit.
        guard(counter, limit - step);
        break;
      }
    }
  }

  const declined = broken.find((rule) => rule.action === "decline");
  // A decline rule broken already decides; otherwise what is missing must be read first (it may
  // break a decline rule, which wins over any review).
  if (!declined && (need.counters || need.destination))
    return { kind: "read", counters: need.counters, destination: need.destination };
  const risk = scoreRisk({
    outcomes,
    destinationFirstPaidAt: facts.destinationFirstPaidAt,
    history: facts.counters && { amount: facts.amount, monthOutflow: facts.counters.month },
    nowMs: facts.nowMs,
  });
  const first = declined ?? broken[0];
  if (first)
    return { kind: "broken", rule: first, code: RULE_FAILURE_CODES[first.type], action: first.action, risk };
  return {
    kind: "pass",
    guards: [...guards].map(([counter, max]): Guard => {
      if (facts.counters === undefined) return { counter, max };
      if (counter === "minute" && facts.staleMinute !== undefined)
        return { counter, max, restartFrom: facts.staleMinute };
      if (counter === "day" && facts.ring) return { counter, max, ring: facts.ring };
      return { counter, max };
    }),
    trackMinute: rules.some((rule) => rule.type === "velocity"),
    trackDay: rules.some((rule) => rule.type === "daily_outflow"),
    risk,
  };
}
