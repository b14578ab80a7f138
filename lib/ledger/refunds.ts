// Owns the refund transaction and refund reads. A refund of a ledger payment is one
// TransactWriteItems: the payment's refunded total grows (never past its amount), the payment's
// destination wallet is debited (never below zero), its source wallet credited, and the refund put
// twice (its own item, and a copy under the payment for listing by payment), with the idempotency
// record. A refund the destination cannot fund is recorded `failed` with its own transaction.
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { newEvent } from "../domain/events.js";
import { type Refund, type RefundFx, refundDebit, toRefundResource } from "../domain/refunds.js";
import type { Currency } from "../money/index.js";
import { debitWallet } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { crediting } from "./credits.js";
import { putEvent } from "./events.js";
import { putHouseEntry } from "./fx-house.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { itemKey, listKeys, PAYMENT_REFUND_PREFIX, paymentRefundKey, SK } from "./keys.js";
import { getOwned, listOwned } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import type { TransactItem } from "./transact.js";

function refundAttributes(refund: Refund): Item {
  return {
    merchant_id: refund.merchantId,
    payment_id: refund.paymentId,
    status: refund.status,
    amount: refund.amount,
    currency: refund.currency,
    from_account: refund.from,
    to_account: refund.to,
    failure_code: refund.failureCode,
    reason: refund.reason,
    metadata: refund.metadata,
    created_at: refund.createdAt,
    ...(refund.fx
      ? {
          fx: {
            rate: refund.fx.rate,
            destination_currency: refund.fx.destinationCurrency,
            destination_amount: refund.fx.destinationAmount,
            refunded_before: refund.fx.refundedBefore,
          },
        }
      : {}),
  };
}

function refundFxFrom(item: Item): RefundFx {
  return {
    rate: String(item.rate),
    destinationCurrency: String(item.destination_currency),
    destinationAmount: Number(item.destination_amount),
    refundedBefore: Number(item.refunded_before),
  };
}

export function refundFrom(item: Item): Refund {
  return {
    id: String(item.refund_id ?? item.pk),
    merchantId: String(item.merchant_id),
    paymentId: String(item.payment_id),
    status: item.status as Refund["status"],
    amount: Number(item.amount),
    currency: String(item.currency),
    from: String(item.from_account),
    to: String(item.to_account),
    failureCode: (item.failure_code as Refund["failureCode"]) ?? null,
    reason: (item.reason as Refund["reason"]) ?? null,
    metadata: (item.metadata as Record<string, string>) ?? {},
    createdAt: Number(item.created_at),
    ...(item.fx ? { fx: refundFxFrom(item.fx as Item) } : {}),
  };
}

/** The refund's own item and the payment's copy of it; both new, both written once. */
function putRefund(table: string, refund: Refund): TransactItem[] {
  return [
    {
      Put: {
        TableName: table,
        Item: {
          ...itemKey(refund.id, SK.refund),
          ...listKeys(refund.merchantId, "refund", refund.id),
          ...refundAttributes(refund),
        },
        // Refund ids are this request's own: if it exists, an earlier attempt of this very call
        // committed and its answer was lost; the caller reports that one instead of writing again.
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: table,
        Item: {
          ...paymentRefundKey(refund.paymentId, refund.id),
          refund_id: refund.id,
          ...refundAttributes(refund),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
  ];
}

/** refund.succeeded or refund.failed, written in the refund's own transaction. */
function refundEvent(table: string, refund: Refund): TransactItem {
  return putEvent(table, newEvent(`refund.${refund.status}`, refund.merchantId, toRefundResource(refund)));
}

/** Index of the refund's own put in the transaction commitRefund builds (see `refundWritten`). */
export const REFUND_ITEMS = { payment: 0, debit: 1, credit: 2, refund: 3 } as const;

export type RefundCommit = { ok: true } | { ok: false; failed: boolean[] };

/** The succeeded refund: refunded total, debit, credit and the refund itself, all or nothing. */
export async function commitRefund(
  store: LedgerStore,
  refund: Refund,
  paymentAmount: number,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<RefundCommit> {
  const { table } = store;
  const { items: credit, options } = await crediting(
    store,
    new Map([
      [
        REFUND_ITEMS.credit,
        {
          account: refund.to,
          merchantId: refund.merchantId,
          amount: refund.amount,
          expect: { type: "wallet", currency: refund.currency },
          entry: refund.id,
        },
      ],
    ]),
  );
  const items: TransactItem[] = [
    {
      Update: {
        TableName: table,
        Key: itemKey(refund.paymentId, SK.payment),
        UpdateExpression: "SET amount_refunded = if_not_exists(amount_refunded, :zero) + :amount",
        // The refunds of a payment never add up to more than it: a refund only commits while what
        // was refunded before leaves room for it. Concurrent refunds each re-check this on commit,
        // so however many race, the total stays within the amount. Only a succeeded ledger payment
        // of this merchant can be refunded.
        // A converted payment's refund was planned against an exact refunded total (its locked-rate
        // share is cumulative), so it commits only while that total is unchanged.
        ConditionExpression:
          "merchant_id = :merchant AND #status = :succeeded AND channel = :ledger AND " +
          "(attribute_not_exists(amount_refunded) OR amount_refunded <= :room)" +
          (refund.fx
            ? refund.fx.refundedBefore === 0
              ? " AND (attribute_not_exists(amount_refunded) OR amount_refunded = :before)"
              : " AND amount_refunded = :before"
            : ""),
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ...(refund.fx ? { ":before": refund.fx.refundedBefore } : {}),
          ":zero": 0,
          ":amount": refund.amount,
          ":room": paymentAmount - refund.amount,
          ":merchant": refund.merchantId,
          ":succeeded": "succeeded",
          ":ledger": "ledger",
        },
      },
    },
    // The money comes back from where it went: the destination wallet (never below zero) ...
    debitWallet(
      table,
      refund.from,
      refund.merchantId,
      refundDebit(refund),
      refund.fx ? refund.fx.destinationCurrency : refund.currency,
    ),
    // ... to the wallet it came from (never above the balance ceiling; a pending entry when that
    // wallet is hot, credits.ts).
    credit.get(REFUND_ITEMS.credit) as TransactItem,
    ...putRefund(table, refund),
    refundEvent(table, refund),
    // A converted payment's refund goes back through the house at the locked rate: the house
    // takes the destination currency back and pays the source currency out.
    ...(refund.fx ? refundHouseEntries(table, refund) : []),
  ];
  return commitWithIdempotency(store, items, claim, response, options);
}

function refundHouseEntries(table: string, refund: Refund): TransactItem[] {
  const fx = refund.fx as RefundFx;
  return [
    putHouseEntry(
      table,
      {
        merchantId: refund.merchantId,
        currency: refund.currency as Currency,
        entry: refund.id,
        amount: -refund.amount,
      },
      refund.createdAt,
    ),
    putHouseEntry(
      table,
      {
        merchantId: refund.merchantId,
        currency: fx.destinationCurrency as Currency,
        entry: refund.id,
        amount: fx.destinationAmount,
      },
      refund.createdAt,
    ),
  ];
}

/** Records a refund that was refused before any money moved (the destination lacks the funds). */
export async function recordFailedRefund(
  store: LedgerStore,
  refund: Refund,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<RefundCommit> {
  return commitWithIdempotency(
    store,
    [...putRefund(store.table, refund), refundEvent(store.table, refund)],
    claim,
    response,
  );
}

export async function findRefund(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Refund | undefined> {
  const item = await getOwned(store, id, SK.refund, merchantId);
  return item ? refundFrom(item) : undefined;
}

export async function listRefunds(
  store: LedgerStore,
  merchantId: string,
  limit: number,
  startingAfter?: string,
): Promise<{ refunds: Refund[]; hasMore: boolean }> {
  const page = await listOwned(store, merchantId, "refund", { limit, window: { startingAfter } });
  return { refunds: page.items.map(refundFrom), hasMore: page.hasMore };
}

/** One payment's refunds, newest first: one Query on the payment's partition (its refund copies). */
export async function listPaymentRefunds(
  store: LedgerStore,
  paymentId: string,
  merchantId: string,
  limit: number,
  startingAfter?: string,
): Promise<{ refunds: Refund[]; hasMore: boolean }> {
  const { Items = [] } = await store.dynamo.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: startingAfter
        ? "pk = :pk AND sk BETWEEN :prefix AND :before"
        : "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: {
        ":pk": paymentId,
        ":prefix": PAYMENT_REFUND_PREFIX,
        // Ids sort by time: everything older than `startingAfter` sorts below its key.
        ...(startingAfter ? { ":before": `${PAYMENT_REFUND_PREFIX}${startingAfter}` } : {}),
      },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit + 2,
    }),
  );
  const refunds = Items.filter(
    (item) => item.merchant_id === merchantId && item.refund_id !== startingAfter,
  ).map(refundFrom);
  return { refunds: refunds.slice(0, limit), hasMore: refunds.length > limit };
}
