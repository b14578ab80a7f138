// Owns the risk counters' part of a source wallet's debit: the outflow of the UTC day and month
// (always kept) and the payments of the minute (kept while a velocity rule applies) grow by ADD in
// the update the debit already makes, the names of the windows just before are removed, and each
// rule's guard is a condition on the counter in that same update. So a rule check adds no item and
// no round trip to a payment, and no key of its own that could get hot: the wallet's item is the
// only one written, and it is written anyway.
import type { Guard } from "../domain/risk/evaluate.js";
import { type Counter, windowsAt } from "../domain/risk/windows.js";

/** What a debit needs to keep the counters and enforce the rules. */
export interface RiskWrite {
  guards: readonly Guard[];
  trackMinute: boolean;
  nowMs: number;
}

export interface RiskClauses {
  /** `ADD` actions, without the keyword. */
  add: string[];
  /** `REMOVE` actions, without the keyword. */
  remove: string[];
  /** Conditions to AND with the update's own. */
  conditions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

const PLACEHOLDER: Record<Counter, string> = { day: "#rk_day", month: "#rk_month", minute: "#rk_minute" };

/** The clauses that count `amount` (and one payment) into the source's windows at `risk.nowMs`. */
export function riskClauses(amount: number, risk: RiskWrite): RiskClauses {
  const windows = windowsAt(risk.nowMs);
  const counted: Counter[] = risk.trackMinute ? ["day", "month", "minute"] : ["day", "month"];
  const names: Record<string, string> = {};
  // Only the values the expression uses: DynamoDB refuses unused ones.
  const values: Record<string, unknown> = {
    ":rk_amount": amount,
    ...(risk.trackMinute ? { ":rk_one": 1 } : {}),
  };
  const add: string[] = [];
  const remove: string[] = [];
  for (const counter of counted) {
    names[PLACEHOLDER[counter]] = windows.names[counter];
    add.push(`${PLACEHOLDER[counter]} ${counter === "minute" ? ":rk_one" : ":rk_amount"}`);
    windows.stale[counter].forEach((name, i) => {
      const placeholder = `#rk_${counter}_stale${i}`;
      names[placeholder] = name;
      remove.push(placeholder);
    });
  }
  const conditions = risk.guards.map((guard) => {
    names[PLACEHOLDER[guard.counter]] = windows.names[guard.counter];
    values[`:rk_max_${guard.counter}`] = guard.max;
    // The window holds at most `max` before this payment: the rule's limit (or, on the fast
    // path, the point below 80% of it) can never be passed, however many payments race.
    return `(attribute_not_exists(${PLACEHOLDER[guard.counter]}) OR ${PLACEHOLDER[guard.counter]} <= :rk_max_${guard.counter})`;
  });
  return { add, remove, conditions, names, values };
}
