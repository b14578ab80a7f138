// Owns the event log in the ledger: `putEvent` is the one write every state-changing transaction
// adds (one Put, a fresh item, so it never contends with anything), and the merchant-scoped reads
// of GET /v1/events.
//
// Ordering without a counter: an event's sort key is its id, time-ordered and stamped right before
// its transaction is sent; transact() refuses to send a transaction whose event is older than the
// commit window (EVENT_COMMIT_WINDOW_MS). So no event with a stamp older than "now - window" can
// still appear. The list only shows events stamped before now - EVENT_LIST_DELAY_MS (window + clock-skew
// margin), read with strongly consistent Queries: everything at or below that horizon is already
// committed and visible, and a reader paging forward never sees an event appear behind its cursor,
// even when transactions commit out of order.
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type PayrailEvent, typeMatches } from "../domain/events.js";
import { idAfterTime, idTimeMs, isPayrailId, newId } from "../domain/ids.js";
import type { EventType } from "../schemas/events.js";
import { eventKey, eventObjectPartition, eventPartitions } from "./keys.js";
import { getItems } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import type { TransactItem } from "./transact.js";

/** Events are kept 30 days (DynamoDB TTL deletes them after that, never before). */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;

/** A transaction carrying an event is not sent once its event is older than this (transact.ts). */
export const EVENT_COMMIT_WINDOW_MS = 4_000;

/** The list shows events stamped at least this long ago: the commit window plus 1 s of clock skew. */
export const EVENT_LIST_DELAY_MS = EVENT_COMMIT_WINDOW_MS + 1_000;

/** The Put that records `event`: add it to the transaction that makes the change it describes. */
export function putEvent(table: string, event: PayrailEvent): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: eventItem(event),
      // Event ids are fresh and random; this only guards against ever overwriting one.
      ConditionExpression: "attribute_not_exists(sk)",
    },
  };
}

export function eventItem(event: PayrailEvent): Item {
  const objectId = event.object.id;
  return {
    ...eventKey(event.merchantId, event.id),
    ...(typeof objectId === "string" && isPayrailId(objectId)
      ? { gsi6pk: eventObjectPartition(event.merchantId, objectId), gsi1sk: event.id }
      : {}),
    merchant_id: event.merchantId,
    type: event.type,
    created_at: event.createdAt,
    livemode: event.livemode,
    object: event.object,
    expires_at: event.createdAt + EVENT_RETENTION_SECONDS,
  };
}

export function eventFrom(item: Item): PayrailEvent {
  return {
    id: String(item.sk),
    merchantId: String(item.merchant_id),
    type: item.type as EventType,
    createdAt: Number(item.created_at),
    livemode: item.livemode === true,
    object: (item.object as Record<string, unknown>) ?? {},
  };
}

/** The time of the event a transaction carries, if it carries one (for the commit window). */
export function eventStampMs(items: readonly TransactItem[]): number | undefined {
  let oldest: number | undefined;
  for (const item of items) {
    const sk = item.Put?.Item?.sk;
    if (typeof sk === "string" && sk.startsWith("evt_")) {
      const ms = idTimeMs(sk);
      oldest = oldest === undefined ? ms : Math.min(oldest, ms);
    }
  }
  return oldest;
}

/**
 * The same transaction with each event given a fresh id stamped from `nowMs` (and its key and
 * creation time with it), for a retry that would otherwise send an event older than the commit
 * window. Events keep their offsets from the oldest one: a transaction that records two changes in
 * order (`batch.created`, then `batch.requires_approval` 1 ms later) lists them in that order after
 * a restamp too (one shared stamp would order them by the ids' random part).
 */
export function restampEvents(items: readonly TransactItem[], nowMs: number): TransactItem[] {
  const oldest = eventStampMs(items) ?? nowMs;
  return items.map((item) => {
    const sk = item.Put?.Item?.sk;
    if (!item.Put?.Item || typeof sk !== "string" || !sk.startsWith("evt_")) return item;
    const stamp = nowMs + (idTimeMs(sk) - oldest);
    const event = {
      ...eventFrom(item.Put.Item),
      id: newId("event", stamp),
      createdAt: Math.floor(stamp / 1000),
    };
    return { Put: { ...item.Put, Item: { ...item.Put.Item, ...eventItem(event) } } };
  });
}

export async function findEvent(
  store: LedgerStore,
  merchantId: string,
  id: string,
): Promise<PayrailEvent | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: eventKey(merchantId, id), ConsistentRead: true }),
  );
  return Item ? eventFrom(Item) : undefined;
}

export interface EventsQuery {
  /** An exact type, `*`, or a family wildcard (`payment.*`). */
  type: string | undefined;
  /** Only the events about this object (its id), read from the object's own index partition. */
  object?: string | undefined;
  limit: number;
  startingAfter: string | undefined;
  /** Only events stamped before this instant are listed (the read horizon). */
  horizonMs: number;
}

/**
 * One page of a merchant's events, oldest first, after `startingAfter`, up to the read horizon.
 * Each of the 16 partitions is queried in parallel, ascending; the oldest `limit + 1` of the union
 * are among the oldest `limit + 1` matching events of each partition.
 */
export async function listEvents(
  store: LedgerStore,
  merchantId: string,
  query: EventsQuery,
): Promise<{ events: PayrailEvent[]; hasMore: boolean }> {
  const upper = idAfterTime("event", query.horizonMs - 1);
  const lower = query.startingAfter ?? "evt_";
  const pages = query.object
    ? [await readObjectEvents(store, eventObjectPartition(merchantId, query.object), lower, upper, query)]
    : await Promise.all(
        eventPartitions(merchantId).map((partition) => readPartition(store, partition, lower, upper, query)),
      );
  const merged = pages
    .flat()
    .filter((event) => event.id !== query.startingAfter)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { events: merged.slice(0, query.limit), hasMore: merged.length > query.limit };
}

async function readPartition(
  store: LedgerStore,
  partition: string,
  lower: string,
  upper: string,
  query: EventsQuery,
): Promise<PayrailEvent[]> {
  const found: PayrailEvent[] = [];
  let start: Record<string, unknown> | undefined;
  // With a type filter DynamoDB applies Limit before the filter, so a partition is read on until
  // it yields limit + 1 matches (plus the cursor itself) or ends.
  do {
    const page = await store.dynamo.send(
      new QueryCommand({
        TableName: store.table,
        // BETWEEN is inclusive: the cursor itself is dropped by the caller; `upper` sorts after
        // every id stamped before the horizon and before every id stamped at or after it.
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :lower AND :upper",
        ExpressionAttributeValues: { ":pk": partition, ":lower": lower, ":upper": upper },
        ConsistentRead: true,
        Limit: query.limit + 2,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const event = eventFrom(item);
      if (query.type === undefined || typeMatches(query.type, event.type)) found.push(event);
    }
    start = page.LastEvaluatedKey;
  } while (start && found.length < query.limit + 2);
  return found;
}

/**
 * The events about one object, from its gsi6 partition (keys only), then read from the table. An
 * index is eventually consistent, so an event can show here a moment after the read horizon passed
 * it; readers who must never miss one page the unfiltered list, which reads the table itself.
 */
async function readObjectEvents(
  store: LedgerStore,
  partition: string,
  lower: string,
  upper: string,
  query: EventsQuery,
): Promise<PayrailEvent[]> {
  const keys: { pk: string; sk: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.dynamo.send(
      new QueryCommand({
        TableName: store.table,
        IndexName: "gsi6",
        KeyConditionExpression: "gsi6pk = :pk AND gsi1sk BETWEEN :lower AND :upper",
        ExpressionAttributeValues: { ":pk": partition, ":lower": lower, ":upper": upper },
        Limit: query.limit + 2,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) keys.push({ pk: String(item.pk), sk: String(item.sk) });
    start = page.LastEvaluatedKey;
  } while (start && keys.length < query.limit + 2 + (query.type ? 100 : 0));
  const items = keys.length > 0 ? await getItems(store, keys) : [];
  return items
    .map(eventFrom)
    .filter((event) => query.type === undefined || typeMatches(query.type, event.type))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
