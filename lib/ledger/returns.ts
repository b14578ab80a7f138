// Owns the transaction that applies a bank's return of a payout it had accepted: the payment moves
// succeeded → returned, the money goes back to the source wallet, the bank account's paid-out total
// shrinks, and for a batch item its result and the batch's returned count and amount change, all in
// one TransactWriteItems. The payment's status condition makes a return apply exactly once, however
// often the rail reports it.
import { CHUNK_SIZE } from "../domain/batches.js";
import { creditedAmount, type Payment } from "../domain/payments.js";
import { putHouseEntry } from "./fx-house.js";
import { batchChunkKey, itemKey, SK } from "./keys.js";
import { paymentEvent } from "./payments.js";
import type { LedgerStore } from "./records.js";
import { type TransactItem, transact } from "./transact.js";

function batchItemWrites(table: string, payment: Payment): TransactItem[] {
  if (payment.batchId === null || payment.batchItemIndex === null) return [];
  const chunk = Math.floor(payment.batchItemIndex / CHUNK_SIZE);
  const position = payment.batchItemIndex % CHUNK_SIZE;
  return [
    {
      Update: {
        TableName: table,
        Key: itemKey(payment.batchId, SK.batch),
        // One header per batch, written only by returns here: returns are rare, so no hot key.
        UpdateExpression: "ADD returned_count :one, amount_returned :amount",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":one": 1, ":amount": payment.amount },
      },
    },
    {
      Update: {
        TableName: table,
        Key: batchChunkKey(payment.batchId, chunk),
        UpdateExpression: `SET results[${position}].#status = :returned`,
        // The item's result was written succeeded with its payment; it changes once, with it.
        ConditionExpression: `results[${position}].#status = :succeeded AND results[${position}].payment = :payment`,
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":returned": "returned",
          ":succeeded": "succeeded",
          ":payment": payment.id,
        },
      },
    },
  ];
}

function houseReversal(table: string, payment: Payment, nowSec: number): TransactItem[] {
  const fx = payment.fx;
  if (!fx) return [];
  const entry = `${payment.id}#return`;
  return [
    putHouseEntry(
      table,
      {
        merchantId: payment.merchantId,
        currency: fx.sourceCurrency,
        entry,
        amount: -fx.sourceAmount,
        fee: -fx.fee,
        remainder: -fx.remainder,
      },
      nowSec,
    ),
    putHouseEntry(
      table,
      {
        merchantId: payment.merchantId,
        currency: fx.destinationCurrency,
        entry,
        amount: fx.destinationAmount,
      },
      nowSec,
    ),
  ];
}

/** Applies the return of `payment`; false when a condition failed (already returned, not settled yet). */
export async function applyPayoutReturn(
  store: LedgerStore,
  payment: Payment,
  returnCode: string,
  nowSec: number,
): Promise<boolean> {
  const { table } = store;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: table,
        Key: itemKey(payment.id, SK.payment),
        UpdateExpression: "SET #status = :returned, return_code = :code, returned_at = :now",
        // Exactly once: only a settled bank payout can come back, and it comes back once.
        ConditionExpression: "#status = :succeeded AND channel = :bank",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":returned": "returned",
          ":succeeded": "succeeded",
          ":bank": "bank",
          ":code": returnCode,
          ":now": nowSec,
        },
      },
    },
    {
      Update: {
        TableName: table,
        Key: itemKey(payment.source, SK.account),
        UpdateExpression: "SET balance = balance + :amount",
        // No ceiling: this money left this wallet with the payout, so returning it must not fail.
        ConditionExpression: "merchant_id = :merchant",
        ExpressionAttributeValues: { ":amount": payment.amount, ":merchant": payment.merchantId },
      },
    },
    {
      Update: {
        TableName: table,
        Key: itemKey(payment.destination, SK.account),
        UpdateExpression: "SET balance = balance - :amount",
        // A bank account's balance is what was paid out to it, this payout included (in its own
        // currency: a converted payout's destination amount).
        ConditionExpression: "merchant_id = :merchant AND balance >= :amount",
        ExpressionAttributeValues: { ":amount": creditedAmount(payment), ":merchant": payment.merchantId },
      },
    },
    ...batchItemWrites(table, payment),
    // A converted payout comes back at its locked rate: the source gets its whole source amount
    // back and the house reverses both of its entries, so each currency still balances.
    ...(payment.fx ? houseReversal(table, payment, nowSec) : []),
    paymentEvent(table, { ...payment, status: "returned", returnCode }),
  ];
  const outcome = await transact(store.dynamo, items);
  return outcome.ok;
}
