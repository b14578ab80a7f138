// Owns merchant-scoped reads: get one resource by id and list a merchant's resources newest-first.
// A resource of another merchant is returned as absent, exactly like an unknown id.
import { BatchGetCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type ListedKind, listPartitions } from "./keys.js";
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

/**
 * One page of a merchant's resources of `kind`, newest first, after `startingAfter` if given.
 * gsi1 projects keys only, so balance updates and status changes never write the index (no hot
 * index partition per merchant); the page's items are then read from the table in one
 * BatchGetItem, which also makes lists strongly consistent with the items they show. A kind spread
 * over several index partitions (payments) is read with one Query per partition, in parallel: the
 * newest `limit + 1` of the union are among the newest `limit + 1` of each.
 */
export async function listOwned(
  store: LedgerStore,
  merchantId: string,
  kind: ListedKind,
  limit: number,
  startingAfter?: string,
): Promise<Page> {
  const answers = await Promise.all(
    listPartitions(merchantId, kind).map((partition) =>
      store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          IndexName: "gsi1",
          // Ids sort by time and are unique, so "after this id" is a key condition in any partition.
          KeyConditionExpression: startingAfter ? "gsi1pk = :pk AND gsi1sk < :after" : "gsi1pk = :pk",
          ExpressionAttributeValues: {
            ":pk": partition,
            ...(startingAfter ? { ":after": startingAfter } : {}),
          },
          ScanIndexForward: false,
          // One extra key tells whether another page exists without a second query.
          Limit: limit + 1,
        }),
      ),
    ),
  );
  const newest = answers
    .flatMap((answer) => answer.Items ?? [])
    .sort((a, b) => (String(a.gsi1sk) < String(b.gsi1sk) ? 1 : -1));
  const keys = newest.slice(0, limit).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  const found = keys.length > 0 ? await getKeys(store, keys) : new Map<string, Item>();
  const items = keys.map((key) => found.get(key.pk)).filter((item): item is Item => item !== undefined);
  return { items, hasMore: newest.length > limit };
}
