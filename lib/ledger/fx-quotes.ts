// Owns the FX quote items: storing a quote, reading it, and the transaction item that uses it up.
// A quote is used by writing the payment's id into it on condition that it is still unused and
// unexpired, inside the payment's own transaction: two payments racing for one quote end with
// exactly one of them committed, and an expired quote moves nothing.
import type { FxQuote } from "../domain/fx.js";
import type { Currency } from "../money/index.js";
import { commitWithIdempotency } from "./commit.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { itemKey, SK } from "./keys.js";
import { getOwned, isOwnWrite } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import type { TransactItem } from "./transact.js";

/** Quotes are kept 30 days after they expire (the table's TTL), then DynamoDB deletes them. */
const KEEP_SECONDS = 30 * 86_400;

function quoteItem(quote: FxQuote): Item {
  return {
    ...itemKey(quote.id, SK.quote),
    merchant_id: quote.merchantId,
    source_currency: quote.sourceCurrency,
    destination_currency: quote.destinationCurrency,
    rate: quote.rate,
    source_amount: quote.sourceAmount,
    destination_amount: quote.destinationAmount,
    fee: quote.fee,
    converted: quote.converted,
    remainder: quote.remainder,
    payment_id: null,
    // Not `expires_at`: that is the table's TTL attribute, and DynamoDB would delete the quote.
    quote_expires_at: quote.expiresAt,
    expires_at: quote.expiresAt + KEEP_SECONDS,
    created_at: quote.createdAt,
  };
}

export function quoteFromItem(item: Item): FxQuote {
  return {
    id: String(item.pk),
    merchantId: String(item.merchant_id),
    sourceCurrency: item.source_currency as Currency,
    destinationCurrency: item.destination_currency as Currency,
    rate: String(item.rate),
    sourceAmount: Number(item.source_amount),
    destinationAmount: Number(item.destination_amount),
    fee: Number(item.fee),
    converted: Number(item.converted),
    remainder: Number(item.remainder),
    paymentId: (item.payment_id as string | null) ?? null,
    expiresAt: Number(item.quote_expires_at),
    createdAt: Number(item.created_at),
  };
}

export async function insertQuote(
  store: LedgerStore,
  quote: FxQuote,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<void> {
  const put: TransactItem = {
    // A fresh random id never exists; the condition only guards against an id collision.
    Put: { TableName: store.table, Item: quoteItem(quote), ConditionExpression: "attribute_not_exists(pk)" },
  };
  const outcome = await commitWithIdempotency(store, [put], claim, response);
  if (outcome.ok) return;
  if (await isOwnWrite(store, quote.id, SK.quote, quote.merchantId, quote.createdAt)) return;
  throw new Error(`quote id collision: ${quote.id}`);
}

export async function findQuote(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<FxQuote | undefined> {
  const item = await getOwned(store, id, SK.quote, merchantId);
  return item ? quoteFromItem(item) : undefined;
}

/** Uses the quote up for `paymentId`, inside the payment's transaction. */
export function useQuote(table: string, quote: FxQuote, paymentId: string, nowMs: number): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: itemKey(quote.id, SK.quote),
      UpdateExpression: "SET payment_id = :payment",
      // Usable once (no payment yet) and only before it expires: the same test as judgeQuoteUse,
      // made again at commit so a race or a slow request cannot use a quote twice or late.
      ConditionExpression:
        "merchant_id = :merchant AND attribute_type(payment_id, :null) AND quote_expires_at > :now",
      ExpressionAttributeValues: {
        ":payment": paymentId,
        ":merchant": quote.merchantId,
        ":null": "NULL",
        ":now": Math.floor(nowMs / 1000),
      },
    },
  };
}
