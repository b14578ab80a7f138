// Owns the risk counters' part of a source wallet's debit: the outflow of the UTC day and month
// (always kept) and the payments of the minute (kept while a velocity rule applies) grow in the
// update the debit already makes, the names of the windows before are removed, and each rule's
// guard is a condition on the counter in that same update. So a rule check adds no item and no
// round trip to a payment, and no key of its own that could get hot: the wallet's item is the only
// one written, and it is written anyway. (Windows and their names: domain/risk/windows.ts.)
import type { Carried, Guard } from "../domain/risk/evaluate.js";
import {
  bucketName,
  MINUTE_COUNT,
  MINUTE_TAG,
  RING_SIZE,
  RING_START,
  RING_SUM,
  RING_TAG,
  windowsAt,
} from "../domain/risk/windows.js";

/**
 * What a debit needs to keep the counters and enforce the rules: the guards, whether a velocity
 * rule applies (keep the minute's count) and whether a daily one does (keep the rolling day's ring;
 * without one, the ring is stopped), at `nowMs`.
 */
export interface RiskWrite extends Carried {
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

/** The clauses that count `amount` (and one payment) into the source's windows at `risk.nowMs`. */
export function riskClauses(amount: number, risk: RiskWrite): RiskClauses {
  const windows = windowsAt(risk.nowMs);
  const clauses: RiskClauses = {
    set: [],
    add: ["#rk_pair :rk_amount", "#rk_next_pair :rk_amount", "#rk_month :rk_amount"],
    remove: [],
    conditions: [],
    names: {
      "#rk_pair": windows.names.pair,
      "#rk_next_pair": windows.names.nextPair,
      "#rk_month": windows.names.month,
    },
    // Only the values the expression uses: DynamoDB refuses unused ones.
    values: { ":rk_amount": amount },
  };
  for (const [counter, names] of Object.entries(windows.stale))
    names.forEach((name, i) => {
      clauses.names[`#rk_${counter}_stale${i}`] = name;
      clauses.remove.push(`#rk_${counter}_stale${i}`);
    });
  const dayGuard = risk.guards.find((guard) => guard.counter === "day");
  if (risk.trackDay) dayClauses(clauses, amount, windows.hour, dayGuard);
  else {
    // No daily rule watches this source now: stop the ring, so one started later starts afresh
    // (its buckets would miss this payment).
    clauses.names["#rk_ring_at"] = RING_TAG;
    clauses.remove.push("#rk_ring_at");
  }
  if (risk.trackMinute)
    minuteClauses(
      clauses,
      windows.minute,
      risk.guards.find((g) => g.counter === "minute"),
    );
  const monthGuard = risk.guards.find((guard) => guard.counter === "month");
  if (monthGuard) {
    clauses.values[":rk_max_month"] = monthGuard.max;
    // The window holds at most `max` before this payment: the rule's limit (or, on the fast
    // path, the point below 80% of it) can never be passed, however many payments race.
    clauses.conditions.push("(attribute_not_exists(#rk_month) OR #rk_month <= :rk_max_month)");
  }
  return clauses;
}

/**
 * The rolling day (windows.ts): add to the hour's bucket and the ring's sum. Without a read (no
 * `guard.ring`) the ring must already be at this hour, and the guard holds on its sum once it
 * covers a whole day, else on the two calendar days; after a read, the debit brings the ring to
 * this hour (or starts it) and guards the exact limit, offset by what the read saw.
 */
function dayClauses(clauses: RiskClauses, amount: number, hour: number, guard: Guard | undefined): void {
  const { names, values } = clauses;
  names["#rk_ring_sum"] = RING_SUM;
  names["#rk_ring_at"] = RING_TAG;
  const ring = guard?.ring;
  if (!ring) {
    names["#rk_bucket"] = bucketName(hour);
    values[":rk_hour"] = hour;
    clauses.add.push("#rk_bucket :rk_amount", "#rk_ring_sum :rk_amount");
    clauses.conditions.push("#rk_ring_at = :rk_hour");
    if (guard) {
      names["#rk_ring_start"] = RING_START;
      values[":rk_day_old"] = hour - (RING_SIZE - 1);
      values[":rk_max_day"] = guard.max;
      clauses.conditions.push(
        "((#rk_ring_start <= :rk_day_old AND #rk_ring_sum <= :rk_max_day) OR #rk_pair <= :rk_max_day)",
      );
    }
    return;
  }
  names["#rk_bucket"] = bucketName(ring.hour);
  // Only the values the expression uses: the hour only when the ring moves to it.
  if (ring.tag !== ring.hour) values[":rk_hour"] = ring.hour;
  const current = bucketName(ring.hour);
  ring.expired
    .filter((bucket) => bucket.name !== current)
    .forEach((bucket, i) => {
      names[`#rk_expired${i}`] = bucket.name;
      clauses.remove.push(`#rk_expired${i}`);
    });
  const room = (guard?.max ?? 0) - ring.used;
  if (ring.tag === null) {
    // A new ring. Until it covers a day it is judged on the calendar pair, which every debit of
    // this source adds to, so the guard is on the pair.
    names["#rk_ring_start"] = RING_START;
    values[":rk_max_day"] = ring.used + room;
    clauses.set.push(
      "#rk_ring_at = :rk_hour",
      "#rk_ring_start = :rk_hour",
      "#rk_ring_sum = :rk_amount",
      "#rk_bucket = :rk_amount",
    );
    clauses.conditions.push(
      "attribute_not_exists(#rk_ring_at)",
      "(attribute_not_exists(#rk_pair) OR #rk_pair <= :rk_max_day)",
    );
    return;
  }
  values[":rk_ring_seen_at"] = ring.tag;
  clauses.conditions.push("#rk_ring_at = :rk_ring_seen_at");
  if (ring.tag === ring.hour) clauses.add.push("#rk_bucket :rk_amount", "#rk_ring_sum :rk_amount");
  else {
    // The buckets that left the window go, and their sum with them, in this same update.
    const leaving = ring.expired.reduce((sum, bucket) => sum + bucket.seen, 0);
    values[":rk_ring_delta"] = amount - leaving;
    clauses.set.push("#rk_ring_at = :rk_hour", "#rk_bucket = :rk_amount");
    clauses.add.push("#rk_ring_sum :rk_ring_delta");
  }
  // Whatever others add meanwhile lands in the sum too: the sum read plus the room left.
  values[":rk_max_day"] = ring.sumSeen + room;
  clauses.conditions.push("(attribute_not_exists(#rk_ring_sum) OR #rk_ring_sum <= :rk_max_day)");
}

/** The minute's count, tagged with its minute (windows.ts). */
function minuteClauses(clauses: RiskClauses, minute: number, guard: Guard | undefined): void {
  const { names, values } = clauses;
  names["#rk_minute"] = MINUTE_COUNT;
  names["#rk_minute_at"] = MINUTE_TAG;
  values[":rk_one"] = 1;
  values[":rk_minute_at"] = minute;
  clauses.set.push("#rk_minute_at = :rk_minute_at");
  if (guard?.restartFrom !== undefined) {
    // The count read belongs to an earlier minute: this payment is the new minute's first,
    // unless someone else started it since the read (then the tag differs and this is retried).
    // A restarted count is 1 whatever it held: the engine already judged this payment against it.
    clauses.set.push("#rk_minute = :rk_one");
    values[":rk_minute_seen"] = guard.restartFrom;
    clauses.conditions.push("#rk_minute_at = :rk_minute_seen");
    return;
  }
  clauses.add.push("#rk_minute :rk_one");
  // Only a count of this minute may grow; an older one fails here and is restarted after a read.
  clauses.conditions.push("(attribute_not_exists(#rk_minute_at) OR #rk_minute_at = :rk_minute_at)");
  if (guard) {
    values[":rk_max_minute"] = guard.max;
    clauses.conditions.push("(attribute_not_exists(#rk_minute) OR #rk_minute <= :rk_max_minute)");
  }
}

/** `SET … ADD … REMOVE …` from a debit's own actions and the counters' clauses (if any). */
export function withRiskClauses(own: { set?: string[]; add?: string[] }, clauses?: RiskClauses): string {
  const set = [...(own.set ?? []), ...(clauses?.set ?? [])];
  const add = [...(own.add ?? []), ...(clauses?.add ?? [])];
  const remove = clauses?.remove ?? [];
  return [
    set.length > 0 ? `SET ${set.join(", ")}` : "",
    add.length > 0 ? `ADD ${add.join(", ")}` : "",
    remove.length > 0 ? `REMOVE ${remove.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}
