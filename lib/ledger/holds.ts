// Owns the hold transactions. A hold moves its amount out of the source's spendable `balance` into
// its `held` total (so the shown balance, balance + held, is unchanged and nothing else can spend
// it); capture pays the captured part on and releases the rest, void and expiry release it all.
// Every transition is conditional on the hold still being `held`: capture, void and expiry racing
// each other end with exactly one winner, and the money moves once.
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { newEvent } from "../domain/events.js";
import type { Hold } from "../domain/holds.js";
import { toHoldResource } from "../domain/holds.js";
import type { ListRequest } from "../domain/lists.js";
import type { Payment } from "../domain/payments.js";
import { endReservation, reserveOnWallet } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { crediting } from "./credits.js";
import { putEvent } from "./events.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { itemKey, listKeys, SK, WORK, workSortKey } from "./keys.js";
import { paymentEvent } from "./payments.js";
import { getOwned, listOwned } from "./reads.js";
import { type Item, type LedgerStore, paymentItem } from "./records.js";
import type { RiskWrite } from "./risk-counters.js";
import type { TransactItem } from "./transact.js";

function holdItem(hold: Hold): Item {
  return {
    ...itemKey(hold.id, SK.hold),
    ...listKeys(hold.merchantId, "hold", hold.id),
    merchant_id: hold.merchantId,
    status: hold.status,
    amount: hold.amount,
    amount_captured: hold.amountCaptured,
    currency: hold.currency,
    source: hold.source,
    destination: hold.destination,
    payment_id: hold.paymentId,
    description: hold.description,
    metadata: hold.metadata,
    // Not `expires_at`: that is the table's TTL attribute, and DynamoDB would delete the hold.
    hold_expires_at: hold.expiresAt,
    created_at: hold.createdAt,
    // The expiry sweeper's queue, by expiry time; every transition out of `held` removes it.
    gsi2pk: WORK.heldHolds,
    gsi2sk: workSortKey(hold.expiresAt, hold.id),
  };
}

export function holdFrom(item: Item): Hold {
  return {
    id: String(item.pk),
    merchantId: String(item.merchant_id),
    status: item.status as Hold["status"],
    amount: Number(item.amount),
    amountCaptured: Number(item.amount_captured ?? 0),
    currency: String(item.currency),
    source: String(item.source),
    destination: String(item.destination),
    paymentId: (item.payment_id as string | null) ?? null,
    description: (item.description as string | null) ?? null,
    metadata: (item.metadata as Record<string, string>) ?? {},
    expiresAt: Number(item.hold_expires_at),
    createdAt: Number(item.created_at),
  };
}

export const PLACE_ITEMS = { source: 0, destination: 1, hold: 2 } as const;

/** Reserves the amount on the source and records the hold, in one transaction. */
export function placeHoldTx(
  store: LedgerStore,
  hold: Hold,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
) {
  const { table } = store;
  const items: TransactItem[] = [
    reserveOnWallet(table, hold),
    {
      ConditionCheck: {
        TableName: table,
        Key: itemKey(hold.destination, SK.account),
        // A capture credits the destination inside the ledger: it must be this merchant's wallet.
        ConditionExpression: "merchant_id = :merchant AND #type = :wallet AND currency = :currency",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":merchant": hold.merchantId,
          ":wallet": "wallet",
          ":currency": hold.currency,
        },
      },
    },
    // Hold ids are this request's own: an existing one means an earlier attempt committed.
    { Put: { TableName: table, Item: holdItem(hold), ConditionExpression: "attribute_not_exists(pk)" } },
    holdEvent(table, hold),
  ];
  return commitWithIdempotency(store, items, claim, response);
}

/** The hold leaves `held`; only a held hold moves, so of racing transitions exactly one commits. */
function leaveHeld(
  table: string,
  hold: Hold,
  set: string,
  values: Record<string, unknown>,
  expiry: "before" | "after",
  nowSec: number,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: itemKey(hold.id, SK.hold),
      UpdateExpression: `SET #status = :to, ${set} REMOVE gsi2pk, gsi2sk`,
      // Capture and void only before the expiry, the sweeper's expiry only after it.
      ConditionExpression: `merchant_id = :merchant AND #status = :held AND hold_expires_at ${expiry === "before" ? ">" : "<="} :now`,
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ...values, ":merchant": hold.merchantId, ":held": "held", ":now": nowSec },
    },
  };
}

export const CAPTURE_ITEMS = { hold: 0, source: 1, destination: 2, payment: 3 } as const;

/** hold.created, hold.captured, hold.voided or hold.expired, in the transition's own transaction. */
function holdEvent(table: string, hold: Hold): TransactItem {
  const type = hold.status === "held" ? "hold.created" : (`hold.${hold.status}` as const);
  return putEvent(table, newEvent(type, hold.merchantId, toHoldResource(hold)));
}

/** Captures `payment.amount` of the hold: pays it to the destination, releases the rest. */
export async function captureHoldTx(
  store: LedgerStore,
  hold: Hold,
  payment: Payment,
  nowSec: number,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
  risk?: RiskWrite,
) {
  const { table } = store;
  // The destination is credited like any payee: in place, or as a pending entry when it is hot.
  const { items: credit, options } = await crediting(
    store,
    new Map([
      [
        CAPTURE_ITEMS.destination,
        {
          account: hold.destination,
          merchantId: hold.merchantId,
          amount: payment.amount,
          expect: { type: "wallet" as const, currency: hold.currency },
          entry: payment.id,
          paid: true,
        },
      ],
    ]),
  );
  const captured: Hold = {
    ...hold,
    status: "captured",
    amountCaptured: payment.amount,
    paymentId: payment.id,
  };
  const items: TransactItem[] = [
    leaveHeld(
      table,
      hold,
      "amount_captured = :captured, payment_id = :payment",
      { ":to": "captured", ":captured": payment.amount, ":payment": payment.id },
      "before",
      nowSec,
    ),
    // What the capture did not take goes back to what the source may spend; what it pays counts
    // into the source's outflow windows, under the risk rules' guards.
    endReservation(
      table,
      hold,
      hold.amount - payment.amount,
      risk ? { amount: payment.amount, risk } : undefined,
    ),
    credit.get(CAPTURE_ITEMS.destination) as TransactItem,
    {
      Put: { TableName: table, Item: paymentItem(payment), ConditionExpression: "attribute_not_exists(pk)" },
    },
    holdEvent(table, captured),
    paymentEvent(table, payment),
  ];
  return commitWithIdempotency(store, items, claim, response, options);
}

/**
 * Voids (by the merchant, before expiry) or expires (by the sweeper, after it) a hold, releasing
 * all of it. `requestId` is kept on the hold so a retried void recognises its own earlier commit.
 */
export function releaseHoldTx(
  store: LedgerStore,
  hold: Hold,
  to: "voided" | "expired",
  nowSec: number,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse | undefined,
) {
  const items: TransactItem[] = [
    leaveHeld(
      store.table,
      hold,
      "released_by = :request, released_at = :now",
      { ":to": to, ":request": requestId },
      to === "voided" ? "before" : "after",
      nowSec,
    ),
    endReservation(store.table, hold, hold.amount),
    holdEvent(store.table, { ...hold, status: to }),
  ];
  return commitWithIdempotency(
    store,
    items,
    response ? claim : undefined,
    response ?? { statusCode: 200, body: null },
  );
}

export async function readHold(
  store: LedgerStore,
  id: string,
): Promise<(Hold & { releasedBy: string | null }) | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(id, SK.hold), ConsistentRead: true }),
  );
  return Item ? { ...holdFrom(Item), releasedBy: (Item.released_by as string | null) ?? null } : undefined;
}

export async function findHold(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Hold | undefined> {
  const item = await getOwned(store, id, SK.hold, merchantId);
  return item ? holdFrom(item) : undefined;
}

export async function listHolds(
  store: LedgerStore,
  merchantId: string,
  request: ListRequest<never>,
): Promise<{ holds: Hold[]; hasMore: boolean }> {
  const page = await listOwned(store, merchantId, "hold", request);
  return { holds: page.items.map(holdFrom), hasMore: page.hasMore };
}

/** Ids of holds still held whose expiry is at or before `nowSec`. */
export async function findExpiredHolds(store: LedgerStore, nowSec: number): Promise<string[]> {
  const { Items = [] } = await store.dynamo.send(
    new QueryCommand({
      TableName: store.table,
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :work AND gsi2sk < :bound",
      ExpressionAttributeValues: { ":work": WORK.heldHolds, ":bound": workSortKey(nowSec + 1, "") },
      Limit: 100,
    }),
  );
  return Items.map((item) => String(item.pk));
}
