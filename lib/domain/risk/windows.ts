// Owns the time windows the outflow and velocity counters are kept in, as attributes of the source
// wallet's own item, so the debit that already writes that item adds to them with ADD and checks
// them in its condition: no counter item of its own (no hot key) and no read.
//
// The day and month are attributes named for their window (`rk_d20261203`, `rk_m202612`): a new
// window starts at zero without anyone resetting it, and each debit removes the names of the
// windows before it (six days, two months), so a wallet keeps at most one leftover per pause longer
// than that. The minute cannot be named that way: a wallet paying every few minutes under a velocity
// rule would leave one attribute per payment until the item hit DynamoDB's 400 KB limit. It is one
// count (`rk_v`) tagged with its minute (`rk_vm`): a debit adds to it only while the tag is the
// current minute, and the first payment of a new minute reads the wallet and starts the count again.

export type Counter = "day" | "month" | "minute";

/** The velocity count and the minute it counts (fixed names: the item never grows). */
export const MINUTE_COUNT = "rk_v";
export const MINUTE_TAG = "rk_vm";

export interface Windows {
  /** Attribute names of the current windows (the minute's count is always `rk_v`). */
  names: Record<Counter, string>;
  /** The current minute since the epoch: the tag `rk_v` must carry to be counted. */
  minute: number;
  /** Attribute names of the windows before, removed by the same update. */
  stale: Record<"day" | "month", string[]>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function dayName(ms: number): string {
  const d = new Date(ms);
  return `rk_d${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

function monthName(year: number, month0: number): string {
  const d = new Date(Date.UTC(year, month0, 1));
  return `rk_m${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}`;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const STALE_DAYS = 6;
const STALE_MONTHS = 2;

/** The counters' windows at `nowMs`: the UTC calendar day, the UTC calendar month, the minute. */
export function windowsAt(nowMs: number): Windows {
  const now = new Date(nowMs);
  return {
    names: {
      day: dayName(nowMs),
      month: monthName(now.getUTCFullYear(), now.getUTCMonth()),
      minute: MINUTE_COUNT,
    },
    minute: Math.floor(nowMs / MINUTE_MS),
    stale: {
      day: Array.from({ length: STALE_DAYS }, (_, i) => dayName(nowMs - (i + 1) * DAY_MS)),
      month: Array.from({ length: STALE_MONTHS }, (_, i) =>
        monthName(now.getUTCFullYear(), now.getUTCMonth() - (i + 1)),
      ),
    },
  };
}

/** The current windows' values on an item read from the ledger (absent or an old minute: zero). */
export function countersFrom(item: Record<string, unknown>, windows: Windows): Record<Counter, number> {
  return {
    day: Number(item[windows.names.day] ?? 0),
    month: Number(item[windows.names.month] ?? 0),
    minute: Number(item[MINUTE_TAG]) === windows.minute ? Number(item[MINUTE_COUNT] ?? 0) : 0,
  };
}

/** The minute an item's velocity count belongs to when that is not the current one (to restart it). */
export function staleMinuteOf(item: Record<string, unknown>, windows: Windows): number | undefined {
  const tag = item[MINUTE_TAG];
  return tag == null || Number(tag) === windows.minute ? undefined : Number(tag);
}
