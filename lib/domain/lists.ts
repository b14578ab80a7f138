// Owns what a list page covers: the cursors (`starting_after`, `ending_before`) and the `created`
// bounds turned into one inclusive range of ids and a reading order. Pure; lib/ledger/reads.ts
// turns the range into a DynamoDB key condition. Ids sort by creation time and have one length.
import { idTimeBound, type ResourceKind } from "./ids.js";

export interface ListWindow {
  startingAfter?: string | undefined;
  endingBefore?: string | undefined;
  /** Unix seconds, inclusive bounds; `gt`/`lt` are turned into these by the caller. */
  createdGte?: number | undefined;
  createdLte?: number | undefined;
}

/** One list page asked for: its size, its window and the one filter given, if any. */
export interface ListRequest<F extends string = never> {
  limit: number;
  window: ListWindow;
  /** Each filter is served from its own index, so a list takes at most one. */
  filter?: { name: F; value: string } | undefined;
}

export interface IdRange {
  /** Inclusive lower and upper bounds on the id; absent means unbounded. */
  from?: string;
  to?: string;
  /** Newest first, except a page that ends before a cursor, which is read oldest first from it. */
  order: "newest_first" | "oldest_first";
  /** True when no id can fall inside the bounds (e.g. created[gte] after created[lte]). */
  empty: boolean;
}

/** The smallest string above `id` that no id of the same length falls between. */
function justAbove(id: string): string {
  return `${id}!`;
}

/** The largest string below `id` that no id of the same length falls between. */
function justBelow(id: string): string {
  const last = id.charCodeAt(id.length - 1);
  return `${id.slice(0, -1)}${String.fromCharCode(last - 1)}~`;
}

function maxOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function minOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export function idRange(kind: ResourceKind, window: ListWindow): IdRange {
  const createdFrom =
    window.createdGte === undefined ? undefined : idTimeBound(kind, window.createdGte * 1000);
  // An id created during second `lte` sorts below the first id of the next second.
  const createdTo =
    window.createdLte === undefined
      ? undefined
      : justBelow(idTimeBound(kind, (window.createdLte + 1) * 1000));
  const from = maxOf(createdFrom, window.endingBefore && justAbove(window.endingBefore));
  const to = minOf(createdTo, window.startingAfter && justBelow(window.startingAfter));
  const range: IdRange = {
    order: window.endingBefore !== undefined ? "oldest_first" : "newest_first",
    empty: from !== undefined && to !== undefined && from > to,
  };
  if (from !== undefined) range.from = from;
  if (to !== undefined) range.to = to;
  return range;
}
