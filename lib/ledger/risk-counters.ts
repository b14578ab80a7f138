// Owns the risk counters' part of a source wallet's debit: the outflow of the UTC day and month
// (always kept) and the payments of the minute (kept while a velocity rule applies) grow in the
// update the debit already makes, the names of the windows before are removed, and each rule's
// guard is a condition on the counter in that same update. So a rule check adds no item and no
// round trip to a payment, and no key of its own that could get hot: the wallet's item is the only
// one written, and it is written anyway. (Windows and their names: domain/risk/windows.ts.)
import type { Guard } from "../domain/risk/evaluate.js";
import { type Counter, MINUTE_COUNT, MINUTE_TAG, windowsAt } from "../domain/risk/windows.js";

/** What a debit needs to keep the counters and enforce the rules. */
export interface RiskWrite {
  guards: readonly Guard[];
  trackMinute: boolean;
  nowMs: number;
}

export interface RiskClauses {
  /** `SET` actions, without the keyword. */
  set: string[];
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
  const names: Record<string, string> = {};
  // Only the values the expression uses: DynamoDB refuses unused ones.
  const values: Record<string, unknown> = { ":rk_amount": amount };
  const set: string[] = [];
  const add: string[] = [];
  const remove: string[] = [];
  const conditions: string[] = [];
  for (const counter of ["day", "month"] as const) {
    names[PLACEHOLDER[counter]] = windows.names[counter];
    add.push(`${PLACEHOLDER[counter]} :rk_amount`);
    windows.stale[counter].forEach((name, i) => {
      const placeholder = `#rk_${counter}_stale${i}`;
      names[placeholder] = name;
      remove.push(placeholder);
    });
  }
  const minuteGuard = risk.guards.find((guard) => guard.counter === "minute");
  if (risk.trackMinute) {
    names["#rk_minute"] = MINUTE_COUNT;
    names["#rk_minute_at"] = MINUTE_TAG;
    values[":rk_one"] = 1;
    values[":rk_minute_at"] = windows.minute;
    set.push("#rk_minute_at = :rk_minute_at");
    if (minuteGuard?.restartFrom !== undefined) {
      // The count read belongs to an earlier minute: this payment is the new minute's first,
      // unless someone else started it since the read (then the tag differs and this is retried).
      set.push("#rk_minute = :rk_one");
      values[":rk_minute_seen"] = minuteGuard.restartFrom;
      conditions.push("#rk_minute_at = :rk_minute_seen");
    } else {
      add.push("#rk_minute :rk_one");
      // Only a count of this minute may grow; an older one fails here and is restarted after a read.
      conditions.push("(attribute_not_exists(#rk_minute_at) OR #rk_minute_at = :rk_minute_at)");
    }
  }
  for (const guard of risk.guards) {
    // A restarted count is 1 whatever it held: the engine already judged this payment against it.
    if (guard.counter === "minute" && (guard.restartFrom !== undefined || !risk.trackMinute)) continue;
    names[PLACEHOLDER[guard.counter]] = windows.names[guard.counter];
    values[`:rk_max_${guard.counter}`] = guard.max;
    // The window holds at most `max` before this payment: the rule's limit (or, on the fast
    // path, the point below 80% of it) can never be passed, however many payments race.
    conditions.push(
      `(attribute_not_exists(${PLACEHOLDER[guard.counter]}) OR ${PLACEHOLDER[guard.counter]} <= :rk_max_${guard.counter})`,
    );
  }
  return { set, add, remove, conditions, names, values };
}

/** `SET … ADD … REMOVE …` from a debit's own actions and the counters' clauses. */
export function withRiskClauses(own: { set?: string[]; add?: string[] }, clauses: RiskClauses): string {
  const set = [...(own.set ?? []), ...clauses.set];
  const add = [...(own.add ?? []), ...clauses.add];
  return [
    set.length > 0 ? `SET ${set.join(", ")}` : "",
    add.length > 0 ? `ADD ${add.join(", ")}` : "",
    clauses.remove.length > 0 ? `REMOVE ${clauses.remove.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}
