// Owns the time windows the outflow and velocity counters are kept in, as attributes of the source
// wallet's own item, so the debit that already writes that item adds to them with ADD and checks
// them in its condition: no counter item of its own (no hot key) and no read far from a limit.
//
// - The month is one attribute named for it (`rk_m202612`); each debit removes the two before.
// - The day rule is a rolling 24 hours, kept (while a daily rule applies) as a ring of 25 hourly
//   buckets `rk_h0`..`rk_h24` (hour mod 25), their sum `rk_r`, the hour last written `rk_rt` and
//   the hour the ring started `rk_rs`. A debit in the hour last written adds to its bucket and the
//   sum; the first of a new hour reads the wallet and empties the buckets that left the window in
//   the same update, conditioned on what it read. The window is the current hour and the 24 before
//   it: whatever 24 hours one looks back from, their outflow is within the limit.
// - `rk_p<date>` (always kept) is the outflow of that date and the day before, an upper bound of
//   any rolling day ending on it: the fast path's guard while the ring is younger than a day (a
//   rule just set still counts yesterday's payments), and what a young ring is judged on.
// - The minute is one count `rk_v` tagged with its minute `rk_vm`, kept while a velocity rule
//   applies; the first payment of a new minute reads the wallet and starts it again.
// Every name is fixed or removed by a later debit, so a wallet's item does not grow with time (named
// per minute or hour, a wallet paying every few minutes would have kept one attribute per payment
// until DynamoDB's 400 KB item limit refused its debits).

export type Counter = "day" | "month" | "minute";

/** The velocity count and the minute it counts (fixed names: the item never grows). */
export const MINUTE_COUNT = "rk_v";
export const MINUTE_TAG = "rk_vm";
/** The rolling day's ring: buckets `rk_h<hour mod 25>`, their sum, last hour written, first hour. */
export const RING_SIZE = 25;
export const RING_SUM = "rk_r";
export const RING_TAG = "rk_rt";
export const RING_START = "rk_rs";
export const bucketName = (hour: number) => `rk_h${((hour % RING_SIZE) + RING_SIZE) % RING_SIZE}`;

export interface Windows {
  names: {
    /** This date's pair (`rk_p`: today and yesterday) and tomorrow's, which today also counts into. */
    pair: string;
    nextPair: string;
    month: string;
  };
  /** The current minute and hour since the epoch. */
  minute: number;
  hour: number;
  /** Attribute names of the windows before, removed by the same update. */
  stale: Record<"pair" | "month", string[]>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function pairName(ms: number): string {
  const d = new Date(ms);
  return `rk_p${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

function monthName(year: number, month0: number): string {
  const d = new Date(Date.UTC(year, month0, 1));
  return `rk_m${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}`;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const STALE_DAYS = 6;
const STALE_MONTHS = 2;

/** The counters' windows at `nowMs`. */
export function windowsAt(nowMs: number): Windows {
  const now = new Date(nowMs);
  return {
    names: {
      pair: pairName(nowMs),
      nextPair: pairName(nowMs + DAY_MS),
      month: monthName(now.getUTCFullYear(), now.getUTCMonth()),
    },
    minute: Math.floor(nowMs / MINUTE_MS),
    hour: Math.floor(nowMs / HOUR_MS),
    stale: {
      pair: Array.from({ length: STALE_DAYS }, (_, i) => pairName(nowMs - (i + 1) * DAY_MS)),
      month: Array.from({ length: STALE_MONTHS }, (_, i) =>
        monthName(now.getUTCFullYear(), now.getUTCMonth() - (i + 1)),
      ),
    },
  };
}

/** What a read of the ring says, for a debit that must bring it to the current hour. */
export interface RingState {
  /** The hour the debit writes in (the current one; a later tag, from a clock ahead, wins). */
  hour: number;
  /** The ring's last hour written; null when there is no ring (never kept, or stopped). */
  tag: number | null;
  /** Buckets to empty (they left the window, or are left over), with the value read, 0 if absent. */
  expired: { name: string; seen: number }[];
  /** `rk_r` as read (0 if absent). */
  sumSeen: number;
  /** The rolling day's outflow before this payment, as the rule judges it. */
  used: number;
}

/**
 * The rolling day read from an item: the ring's buckets still in the window; while the ring is
 * younger than a day (or absent), the pair of calendar days, which holds every rolling day ending
 * today, payments from before the ring included.
 */
export function ringFrom(item: Record<string, unknown>, windows: Windows): RingState {
  const pair = Number(item[windows.names.pair] ?? 0);
  const tag = item[RING_TAG] == null ? null : Number(item[RING_TAG]);
  const sumSeen = Number(item[RING_SUM] ?? 0);
  const bucketValue = (name: string) => Number(item[name] ?? 0);
  if (tag === null) {
    // A new ring: every bucket left from an earlier one goes.
    const expired = Array.from({ length: RING_SIZE }, (_, i) => bucketName(i))
      .filter((name) => item[name] != null)
      .map((name) => ({ name, seen: bucketValue(name) }));
    return { hour: windows.hour, tag, expired, sumSeen, used: pair };
  }
  const hour = Math.max(windows.hour, tag);
  // Hours after the tag up to now reuse buckets of hours 25 earlier: those left the window.
  const expired = Array.from({ length: Math.min(hour - tag, RING_SIZE) }, (_, i) =>
    bucketName(tag + 1 + i),
  ).map((name) => ({ name, seen: bucketValue(name) }));
  // The buckets themselves, not the sum minus the expired ones: the same while the sum is right,
  // and never less than what the window holds if it is not.
  const leaving = new Set(expired.map((bucket) => bucket.name));
  const inWindow = Array.from({ length: RING_SIZE }, (_, i) => bucketName(i))
    .filter((name) => !leaving.has(name))
    .reduce((sum, name) => sum + bucketValue(name), 0);
  const mature = Number(item[RING_START] ?? hour) <= hour - (RING_SIZE - 1);
  return { hour, tag, expired, sumSeen, used: mature ? inWindow : Math.max(inWindow, pair) };
}

/**
 * What a read of the source tells the engine: the current windows' values (absent or an old minute:
 * zero), the ring behind the day's, the minute to restart.
 */
export interface SourceCounters {
  counters: Record<Counter, number>;
  ring: RingState;
  staleMinute: number | undefined;
}

export function sourceCounters(item: Record<string, unknown>, windows: Windows): SourceCounters {
  const ring = ringFrom(item, windows);
  return {
    counters: {
      day: ring.used,
      month: Number(item[windows.names.month] ?? 0),
      minute: Number(item[MINUTE_TAG]) === windows.minute ? Number(item[MINUTE_COUNT] ?? 0) : 0,
    },
    ring,
    staleMinute: staleMinuteOf(item, windows),
  };
}

/** The minute an item's velocity count belongs to when that is not the current one (to restart it). */
export function staleMinuteOf(item: Record<string, unknown>, windows: Windows): number | undefined {
  const tag = item[MINUTE_TAG];
  return tag == null || Number(tag) === windows.minute ? undefined : Number(tag);
}
