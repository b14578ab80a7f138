// Owns the time windows the outflow and velocity counters are kept in. Each window's counter is an
// attribute of the source wallet's own item named for the window (`rk_d20261203`, `rk_m202612`,
// `rk_v29633760`), so the debit that already writes that item adds to it with ADD and checks it in
// its condition: no counter item of its own (no hot key), no read, and a new window starts at zero
// without anyone resetting it. The debit also removes the names of the windows just before (and a
// read of the wallet removes any older ones it finds), so the item does not grow.

export type Counter = "day" | "month" | "minute";

export interface Windows {
  /** Attribute names of the current windows. */
  names: Record<Counter, string>;
  /** Attribute names of the windows just before, removed by the same update. */
  stale: Record<Counter, string[]>;
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

/** The counters' windows at `nowMs`: the UTC calendar day, the UTC calendar month, the minute. */
export function windowsAt(nowMs: number): Windows {
  const now = new Date(nowMs);
  const minute = Math.floor(nowMs / MINUTE_MS);
  return {
    names: {
      day: dayName(nowMs),
      month: monthName(now.getUTCFullYear(), now.getUTCMonth()),
      minute: `rk_v${minute}`,
    },
    stale: {
      day: [dayName(nowMs - DAY_MS), dayName(nowMs - 2 * DAY_MS)],
      month: [monthName(now.getUTCFullYear(), now.getUTCMonth() - 1)],
      minute: [1, 2, 3].map((back) => `rk_v${minute - back}`),
    },
  };
}

/** Every counter attribute of an item that is not one of the current windows (for a cleanup). */
export function staleCounterNames(attributes: Iterable<string>, windows: Windows): string[] {
  const current = new Set(Object.values(windows.names));
  return [...attributes].filter((name) => /^rk_[dmv]\d+$/.test(name) && !current.has(name));
}

/** The current windows' values on an item read from the ledger (absent: nothing yet, zero). */
export function countersFrom(item: Record<string, unknown>, windows: Windows): Record<Counter, number> {
  return {
    day: Number(item[windows.names.day] ?? 0),
    month: Number(item[windows.names.month] ?? 0),
    minute: Number(item[windows.names.minute] ?? 0),
  };
}
