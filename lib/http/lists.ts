// Owns the list envelope and list query parsing shared by every list route: paging cursors, the
// `created[…]` bounds and at most one filter, read into a ListRequest for lib/ledger/reads.ts.
import type { z } from "zod";
import type { ResourceKind } from "../domain/ids.js";
import type { ListRequest, ListWindow } from "../domain/lists.js";
import { DEFAULT_LIST_LIMIT, listQuerySchema } from "../schemas/common.js";
import { parseWith } from "../schemas/validate.js";

interface ParsedListQuery {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
  "created[gt]"?: number | undefined;
  "created[gte]"?: number | undefined;
  "created[lt]"?: number | undefined;
  "created[lte]"?: number | undefined;
}

function windowOf(parsed: ParsedListQuery): ListWindow {
  // Bounds are whole seconds: "after t" is "at or after t + 1".
  const gte = [
    parsed["created[gte]"],
    parsed["created[gt]"] === undefined ? undefined : parsed["created[gt]"] + 1,
  ];
  const lte = [
    parsed["created[lte]"],
    parsed["created[lt]"] === undefined ? undefined : parsed["created[lt]"] - 1,
  ];
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const lower = defined(gte);
  const upper = defined(lte);
  return {
    startingAfter: parsed.starting_after,
    endingBefore: parsed.ending_before,
    createdGte: lower.length > 0 ? Math.max(...lower) : undefined,
    createdLte: upper.length > 0 ? Math.min(...upper) : undefined,
  };
}

export function parseListQuery(kind: ResourceKind, query: Record<string, string>): ListRequest {
  const parsed = parseWith(listQuerySchema(kind), query);
  return { limit: parsed.limit ?? DEFAULT_LIST_LIMIT, window: windowOf(parsed) };
}

/** Parses a filtered list's query with its schema; `filters` names the filter parameters. */
export function parseFilteredListQuery<F extends string>(
  schema: z.ZodType<ParsedListQuery & Partial<Record<F, string>>, unknown>,
  filters: readonly F[],
  query: Record<string, string>,
): ListRequest<F> {
  const parsed = parseWith(schema, query);
  const name = filters.find((filter) => parsed[filter] !== undefined);
  return {
    limit: parsed.limit ?? DEFAULT_LIST_LIMIT,
    window: windowOf(parsed),
    filter: name === undefined ? undefined : { name, value: parsed[name] as string },
  };
}

export function listBody<T>(data: T[], hasMore: boolean, url: string) {
  return { object: "list" as const, url, data, has_more: hasMore };
}
