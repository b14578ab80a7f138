// Owns merchant-scoped reads: get one resource by id and list a merchant's resources newest-first.
// A resource of another merchant is returned as absent, exactly like an unknown id.
import { BatchGetCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type IdRange, idRange, type ListRequest } from "../domain/lists.js";
import {
  FILTER_INDEX,
  filterPartitions,
  type ListedKind,
  type ListFilterName,
  listPartitions,
} from "./keys.js";
import type { Item, LedgerStore } from "./records.js";

export async function getOwned(
  store: LedgerStore,
  id: string,
  sk: string,
  merchantId: string,
): Promise<Item | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: { pk: id, sk }, ConsistentRead: true }),
  );
  return Item && Item.merchant_id === merchantId ? Item : undefined;
}

/**
 * After a failed `attribute_not_exists(pk)` on a fresh id: true when the item there is this very
 * write (same merchant, same creation time), committed by an earlier attempt whose answer was lost.
 */
export async function isOwnWrite(
  store: LedgerStore,
  id: string,
  sk: string,
  merchantId: string,
  createdAt: number,
): Promise<boolean> {
  const item = await getOwned(store, id, sk, merchantId);
  return item !== undefined && Number(item.created_at) === createdAt;
}

/** Reads several items of one kind in one round trip; returns them by id. */
export function getMany(store: LedgerStore, ids: string[], sk: string): Promise<Map<string, Item>> {
  return getKeys(
    store,
    [...new Set(ids)].map((id) => ({ pk: id, sk })),
  );
}

/** Reads items by full key (any kinds) in as few round trips as BatchGetItem allows; by pk. */
export async function getKeys(
  store: LedgerStore,
  wanted: { pk: string; sk: string }[],
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (const item of await getItems(store, wanted)) found.set(String(item.pk), item);
  return found;
}

/**
 * Reads items by full key, 100 per BatchGetItem (its limit), strongly consistent, retrying what
 * DynamoDB left unprocessed; items that do not exist are simply absent from the answer.
 */
export async function getItems(store: LedgerStore, wanted: { pk: string; sk: string }[]): Promise<Item[]> {
  const found: Item[] = [];
  let keys: Record<string, unknown>[] = wanted;
  while (keys.length > 0) {
    const { Responses, UnprocessedKeys } = await store.dynamo.send(
      new BatchGetCommand({
        RequestItems: { [store.table]: { Keys: keys.slice(0, 100), ConsistentRead: true } },
      }),
    );
    found.push(...(Responses?.[store.table] ?? []));
    keys = [...(UnprocessedKeys?.[store.table]?.Keys ?? []), ...keys.slice(100)];
  }
  return found;
}

export interface Page {
  items: Item[];
  hasMore: boolean;
}

/** Where a list reads: an index and the partitions of it that hold the listed resources. */
export interface ListSource {
  index: string;
  partitions: string[];
}

/**
 * One page of a merchant's resources of `kind`, newest first, within the request's window, from
 * gsi1 or, with a filter, from that filter's index.
 * gsi1 projects keys only, so balance updates and status changes never write the index (no hot
 * index partition per merchant); the page's items are then read from the table in one
 * BatchGetItem, which also makes lists strongly consistent with the items they show.
 */
export function listOwned<F extends ListFilterName = never>(
  store: LedgerStore,
  merchantId: string,
  kind: ListedKind,
  request: ListRequest<F>,
): Promise<Page> {
  const { filter } = request;
  const source: ListSource =
    filter && (kind === "payment" || kind === "batch")
      ? {
          index: FILTER_INDEX[filter.name].index,
          partitions: filterPartitions(merchantId, kind, filter.name, filter.value),
        }
      : { index: "gsi1", partitions: listPartitions(merchantId, kind) };
  return listPage(store, source, idRange(kind, request.window), request.limit);
}

/**
 * One page from `source` within `range`. A source spread over several index partitions is read
 * with one Query per partition, in parallel: the first `limit + 1` of the union (in the page's
 * order) are among the first `limit + 1` of each. The answer is always newest first; a page that
 * ends before a cursor is read oldest first from the cursor and turned around, and its `hasMore`
 * says whether newer items exist beyond it.
 */
export async function listPage(
  store: LedgerStore,
  source: ListSource,
  range: IdRange,
  limit: number,
): Promise<Page> {
  if (range.empty) return { items: [], hasMore: false };
  const sortKey =
    range.from !== undefined && range.to !== undefined
      ? " AND gsi1sk BETWEEN :from AND :to"
      : range.from !== undefined
        ? " AND gsi1sk >= :from"
        : range.to !== undefined
          ? " AND gsi1sk <= :to"
          : "";
  const pk = FILTER_PK[source.index] ?? "gsi1pk";
  const newestFirst = range.order === "newest_first";
  const answers = await Promise.all(
    source.partitions.map((partition) =>
      store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          IndexName: source.index,
          // Ids sort by time and are unique, so cursors and created bounds are key conditions.
          KeyConditionExpression: `#pk = :pk${sortKey}`,
          ExpressionAttributeNames: { "#pk": pk },
          ExpressionAttributeValues: {
            ":pk": partition,
            ...(range.from !== undefined ? { ":from": range.from } : {}),
            ...(range.to !== undefined ? { ":to": range.to } : {}),
          },
          ScanIndexForward: !newestFirst,
          // One extra key tells whether another page exists without a second query.
          Limit: limit + 1,
        }),
      ),
    ),
  );
  const ordered = answers
    .flatMap((answer) => answer.Items ?? [])
    .sort((a, b) => (String(a.gsi1sk) < String(b.gsi1sk) ? 1 : -1) * (newestFirst ? 1 : -1));
  const page = ordered.slice(0, limit);
  if (!newestFirst) page.reverse();
  const keys = page.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  const found = keys.length > 0 ? await getKeys(store, keys) : new Map<string, Item>();
  const items = keys.map((key) => found.get(key.pk)).filter((item): item is Item => item !== undefined);
  return { items, hasMore: ordered.length > limit };
}

const FILTER_PK: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(FILTER_INDEX).map(({ index, pk }) => [index, pk]),
);
