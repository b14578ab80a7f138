// Owns the list envelope and list query parsing shared by every list route.
import type { ResourceKind } from "../domain/ids.js";
import { DEFAULT_LIST_LIMIT, listQuerySchema } from "../schemas/common.js";
import { parseWith } from "../schemas/validate.js";

export interface ListQuery {
  limit: number;
  startingAfter: string | undefined;
}

export function parseListQuery(kind: ResourceKind, query: Record<string, string>): ListQuery {
  const parsed = parseWith(listQuerySchema(kind), query);
  return { limit: parsed.limit ?? DEFAULT_LIST_LIMIT, startingAfter: parsed.starting_after };
}

export function listBody<T>(data: T[], hasMore: boolean, url: string) {
  return { object: "list" as const, url, data, has_more: hasMore };
}
