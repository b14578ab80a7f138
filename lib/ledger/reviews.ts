// Owns the transactions of a payment held for review (a `review` risk rule):
//   requires_review → succeeded (approve, to a wallet) | processing (approve, a bank payout, which
//   the bank channel then sends from the reservation) | failed with `review_declined` (decline)
// Parking reserves the amount on the source the way a hold does (out of `balance`, into `held`), so
// approving can never overdraw it; each transition is conditional on the payment still being in
// `requires_review`, so approve and decline racing each other end with exactly one winner, and the
// reservation is paid on or released once. Each writes its event in its own transaction.
import type { Payment } from "../domain/payments.js";
import { endReservation, reserveOnWallet } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { crediting } from "./credits.js";
import {
  type IdempotencyClaim,
  putInProgressRecord,
  rejectClaimedKey,
  type StoredResponse,
} from "./idempotency.js";
import { filterKeys, itemKey, processingPaymentsPartition, SK } from "./keys.js";
import { paymentEvent, putNewPayment } from "./payments.js";
import type { LedgerStore } from "./records.js";
import type { RiskWrite } from "./risk-counters.js";
import { type TransactItem, transact } from "./transact.js";

export const PARK_ITEMS = { source: 0, destination: 1, payment: 2 } as const;

/** Reserves the amount on the source, checks the destination, records the parked payment. */
export function parkPaymentTx(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
) {
  const { table } = store;
  const items: TransactItem[] = [
    reserveOnWallet(table, payment),
    {
      ConditionCheck: {
        TableName: table,
        Key: itemKey(payment.destination, SK.account),
        // What approval pays must still be there: this merchant's wallet (credited in the ledger)
        // or bank account (paid out by the rail) in the payment's currency.
        ConditionExpression: "merchant_id = :merchant AND #type = :type AND currency = :currency",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":merchant": payment.merchantId,
          ":type": payment.channel === "bank" ? "bank" : "wallet",
          ":currency": payment.currency,
        },
      },
    },
    putNewPayment(table, payment),
    paymentEvent(table, payment),
  ];
  return commitWithIdempotency(store, items, claim, response);
}

/** The payment leaves `requires_review` for `to`; only a parked payment moves, once. */
function leaveReview(
  table: string,
  payment: Payment,
  to: Payment,
  requestId: string,
  /** More attributes the same update sets (names as they are, values by placeholder). */
  also: Record<string, unknown> = {},
): TransactItem {
  const extra = Object.keys(also);
  return {
    Update: {
      TableName: table,
      Key: itemKey(payment.id, SK.payment),
      UpdateExpression: `SET #status = :to, gsi3pk = :statusPk, failure_code = :code, reviewed_by = :request${extra
        .map((name) => `, ${name} = :also_${name}`)
        .join("")}`,
      ConditionExpression: "merchant_id = :merchant AND #status = :review",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":to": to.status,
        ":statusPk": filterKeys(payment.merchantId, "payment", payment.id, { status: to.status }).gsi3pk,
        ":code": to.failureCode,
        ":request": requestId,
        ":merchant": payment.merchantId,
        ":review": "requires_review",
        ...Object.fromEntries(extra.map((name) => [`:also_${name}`, also[name]])),
      },
    },
  };
}

export const APPROVE_ITEMS = { payment: 0, source: 1, destination: 2 } as const;

/**
 * Approves: the reservation leaves `held` and is paid to the destination (in place, or as a pending
 * entry when it is hot); the source's outflow counters count it, under the decline rules' guards.
 */
export async function approvePaymentTx(
  store: LedgerStore,
  payment: Payment,
  approved: Payment,
  risk: RiskWrite,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
) {
  const { table } = store;
  const { items: credit, options } = await crediting(
    store,
    new Map([
      [
        APPROVE_ITEMS.destination,
        {
          account: payment.destination,
          merchantId: payment.merchantId,
          amount: payment.amount,
          expect: { type: "wallet" as const, currency: payment.currency },
          entry: payment.id,
          paid: true,
        },
      ],
    ]),
  );
  const items: TransactItem[] = [
    leaveReview(table, payment, approved, requestId),
    // The reservation is paid: `balance` lost it at parking, the day counts it.
    endReservation(table, payment, 0, { amount: payment.amount, risk }),
    credit.get(APPROVE_ITEMS.destination) as TransactItem,
    paymentEvent(table, approved),
  ];
  return commitWithIdempotency(store, items, claim, response, options);
}

/**
 * Approves a parked bank payout: it becomes `processing` with the reservation debited for good
 * (out of `held`; `balance` already lost it at parking), exactly where a bank payment stands after
 * its reserve, so the bank channel sends it and settles or reverses it, and recovery finishes it if
 * that is interrupted: it joins the processing index as of now (recovery waits before reversing a
 * payout the rail has not heard of, counted from the approval, not the parking). The approval's
 * Idempotency-Key is claimed in progress here and completed with the outcome.
 */
export async function approveBankPaymentTx(
  store: LedgerStore,
  payment: Payment,
  processing: Payment,
  risk: RiskWrite,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  nowSec: number,
) {
  const { table } = store;
  const items: TransactItem[] = [
    leaveReview(table, payment, processing, requestId, {
      gsi2pk: processingPaymentsPartition(payment.id),
      gsi2sk: `${nowSec}#${payment.id}`,
      ...(claim ? { idempotency_key: claim.key } : {}),
    }),
    // The reservation is paid: `balance` lost it at parking, the day counts it.
    endReservation(table, payment, 0, { amount: payment.amount, risk }),
    paymentEvent(table, processing),
  ];
  if (claim) items.push(putInProgressRecord(claim, payment.id, table));
  const outcome = await transact(store.dynamo, items);
  if (!outcome.ok && claim && outcome.failed[items.length - 1])
    await rejectClaimedKey(store.dynamo, table, claim);
  return outcome;
}

/** Declines (by the merchant, or a decline rule found at approval): the reservation goes back. */
export function releaseReviewTx(
  store: LedgerStore,
  payment: Payment,
  failedPayment: Payment,
  requestId: string,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
) {
  const { table } = store;
  const items: TransactItem[] = [
    leaveReview(table, payment, failedPayment, requestId),
    endReservation(table, payment, payment.amount),
    paymentEvent(table, failedPayment),
  ];
  return commitWithIdempotency(store, items, claim, response);
}
