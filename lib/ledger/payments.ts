// Owns the payment transactions. Each function is one TransactWriteItems whose conditions encode
// the invariants: no overdraft, each payment recorded once, each state change made once.
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { newEvent } from "../domain/events.js";
import type { ListRequest } from "../domain/lists.js";
import {
  creditedAmount,
  creditedCurrency,
  FAILURE_MESSAGES,
  type Payment,
  toPaymentResource,
} from "../domain/payments.js";
import { PaymentFailedError, toErrorBody } from "../errors.js";
import { debitWallet } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { type Credit, crediting } from "./credits.js";
import { putEvent } from "./events.js";
import { houseEntries } from "./fx-house.js";
import {
  completeRecord,
  type IdempotencyClaim,
  putInProgressRecord,
  rejectClaimedKey,
  type StoredResponse,
} from "./idempotency.js";
import {
  filterKeys,
  itemKey,
  processingPaymentsPartition,
  processingPaymentsPartitions,
  SK,
} from "./keys.js";
import { getOwned, listOwned } from "./reads.js";
import { type LedgerStore, paymentFrom, paymentItem } from "./records.js";
import type { RiskWrite } from "./risk-counters.js";
import { type TransactItem, type TransactOptions, transact } from "./transact.js";

export function succeededResponse(payment: Payment): StoredResponse {
  return { statusCode: 201, body: toPaymentResource(payment) };
}

export function declineError(payment: Payment): PaymentFailedError {
  const code = payment.failureCode ?? "processing_error";
  return new PaymentFailedError(code, FAILURE_MESSAGES[code], toPaymentResource(payment));
}

export function declinedResponse(payment: Payment, requestId: string): StoredResponse {
  return { statusCode: 402, body: toErrorBody(declineError(payment), requestId) };
}

/** The event a payment's transaction records: payment.succeeded, payment.failed or payment.processing. */
export function paymentEvent(table: string, payment: Payment): TransactItem {
  return putEvent(
    table,
    newEvent(`payment.${payment.status}`, payment.merchantId, toPaymentResource(payment)),
  );
}

export function putNewPayment(
  table: string,
  payment: Payment,
  extra: Record<string, unknown> = {},
): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: { ...paymentItem(payment), ...extra },
      // Payment ids are unique: a second write of the same payment must fail, not overwrite.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/**
 * The whole ledger-channel payment: debit, credit and record in one round trip. The credit updates
 * the destination in place unless the destination is hot; then it is a pending entry (credits.ts).
 */
export async function commitLedgerPayment(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
  risk?: RiskWrite,
): Promise<boolean> {
  const { items, options } = await ledgerPaymentWrites(store, payment, risk);
  const outcome = await commitWithIdempotency(store, items, claim, succeededResponse(payment), options);
  return outcome.ok;
}

/**
 * The transaction of a ledger payment: debit, credit (or a pending credit entry for a hot payee),
 * the payment and its event. Exported for the event-cost benchmark, which sends it with and
 * without its last item (scripts/bench/event-cost.ts).
 */
export async function ledgerPaymentWrites(
  store: LedgerStore,
  payment: Payment,
  risk?: RiskWrite,
): Promise<{ items: TransactItem[]; options: TransactOptions }> {
  const { table } = store;
  const credit: Credit = {
    account: payment.destination,
    merchantId: payment.merchantId,
    amount: payment.amount,
    expect: { type: "wallet", currency: payment.currency },
    entry: payment.id,
    paid: true,
  };
  const { items: credits, options } = await crediting(store, new Map([[1, credit]]));
  const items = [
    debitWallet(table, payment.source, payment.merchantId, payment.amount, payment.currency, risk),
    credits.get(1) as TransactItem,
    putNewPayment(table, payment),
    paymentEvent(table, payment),
  ];
  return { items, options };
}

/** Records a payment that was refused before any money moved (e.g. insufficient funds). */
export async function recordDeclinedPayment(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
): Promise<void> {
  const response = declinedResponse(payment, claim?.requestId ?? "");
  await commitWithIdempotency(
    store,
    [putNewPayment(store.table, payment), paymentEvent(store.table, payment)],
    claim,
    response,
  );
}

/**
 * Bank channel, step 1: move the amount out of the wallet into the payment (a reservation) and
 * claim the idempotency key as in progress. The payment joins the work index so a crash before
 * step 3 is found and resolved by the recovery sweeper.
 */
/**
 * Holds a bank payout's money: the source wallet is debited what the payout costs it (a converted
 * payout's source amount) and the payment is written `processing`. `extra` joins the same
 * transaction (a converted payout's quote, used up here so it pays exactly one payout).
 */
export async function reserveBankPayment(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
  extra: readonly TransactItem[] = [],
  risk?: RiskWrite,
): Promise<boolean> {
  const { table } = store;
  const items: TransactItem[] = [
    debitWallet(table, payment.source, payment.merchantId, payment.amount, payment.currency, risk),
    {
      ConditionCheck: {
        TableName: table,
        Key: itemKey(payment.destination, SK.account),
        // The destination must still be this merchant's bank account in the currency it is paid.
        ConditionExpression: "merchant_id = :merchant AND #type = :bank AND currency = :currency",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":merchant": payment.merchantId,
          ":bank": "bank",
          ":currency": creditedCurrency(payment),
        },
      },
    },
    putNewPayment(table, payment, {
      gsi2pk: processingPaymentsPartition(payment.id),
      gsi2sk: `${payment.createdAt}#${payment.id}`,
      idempotency_key: claim?.key,
    }),
    paymentEvent(table, payment),
    ...extra,
  ];
  if (claim) items.push(putInProgressRecord(claim, payment.id, table));
  const outcome = await transact(store.dynamo, items);
  if (outcome.ok) return true;
  // The payment id is this request's own: if it exists, an earlier attempt of this very call
  // committed and its answer was lost (the SDK retried). The reservation is ours; carry on.
  if (outcome.failed[2] && (await paymentExists(store, payment.id))) return true;
  if (claim && outcome.failed[items.length - 1]) await rejectClaimedKey(store.dynamo, table, claim);
  return false;
}

async function paymentExists(store: LedgerStore, id: string): Promise<boolean> {
  const { Item } = await store.dynamo.send(
    new GetCommand({
      TableName: store.table,
      Key: itemKey(id, SK.payment),
      ConsistentRead: true,
      ProjectionExpression: "pk",
    }),
  );
  return Item !== undefined;
}

function finishProcessing(table: string, payment: Payment): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: itemKey(payment.id, SK.payment),
      // The payment leaves the processing partition of the status index (gsi3) for its final one.
      UpdateExpression:
        "SET #status = :status, gsi3pk = :statusPk, failure_code = :code REMOVE gsi2pk, gsi2sk",
      // Settle and reverse are mutually exclusive and happen once: only a processing payment moves.
      ConditionExpression: "#status = :processing",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": payment.status,
        ":statusPk": filterKeys(payment.merchantId, "payment", payment.id, { status: payment.status }).gsi3pk,
        ":code": payment.failureCode,
        ":processing": "processing",
      },
    },
  };
}

/**
 * Bank channel, step 3: the rail answered. Accepted: the bank account's paid-out total grows.
 * Declined: the reservation returns to the wallet. Returns false if another actor (the recovery
 * sweeper) already finished this payment.
 */
export async function finishBankPayment(
  store: LedgerStore,
  payment: Payment,
  idempotencyKey: string | undefined,
  requestId: string,
  /** The status code a succeeded payout answers with: 201 for the payment's POST, 200 for an approval. */
  succeededStatus = 201,
): Promise<boolean> {
  const { table } = store;
  // Accepted: the bank account's paid-out total grows (by what it received: a converted payout's
  // destination amount). Declined: the reservation returns to the wallet, with no ceiling (the
  // amount was in this wallet moments ago, so returning it must not fail).
  const credit: Credit =
    payment.status === "succeeded"
      ? {
          account: payment.destination,
          merchantId: payment.merchantId,
          amount: creditedAmount(payment),
          expect: { type: "bank", currency: creditedCurrency(payment) },
          entry: payment.id,
          paid: true,
        }
      : {
          account: payment.source,
          merchantId: payment.merchantId,
          amount: payment.amount,
          entry: `${payment.id}#refund`,
        };
  const { items: credits, options } = await crediting(store, new Map([[1, credit]]));
  const items = [
    finishProcessing(table, payment),
    credits.get(1) as TransactItem,
    paymentEvent(table, payment),
    // A converted payout converts when the rail takes it: until then its money is held in the
    // source currency, and a declined one never touched the house (lib/ledger/fx-house.ts).
    ...(payment.status === "succeeded" && payment.fx
      ? houseEntries(table, payment, payment.id, payment.createdAt)
      : []),
  ];
  if (idempotencyKey) {
    const response =
      payment.status === "succeeded"
        ? { ...succeededResponse(payment), statusCode: succeededStatus }
        : declinedResponse(payment, requestId);
    items.push(completeRecord(payment.merchantId, idempotencyKey, response, table));
  }
  const outcome = await transact(store.dynamo, items, options);
  return outcome.ok;
}

/** The idempotency key a processing bank payment was claimed with, for the recovery path. */
export async function readPaymentForRecovery(
  store: LedgerStore,
  id: string,
): Promise<{ payment: Payment; idempotencyKey: string | undefined } | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(id, SK.payment), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    payment: paymentFrom(Item),
    idempotencyKey: (Item.idempotency_key as string | undefined) ?? undefined,
  };
}

export async function findPayment(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Payment | undefined> {
  const item = await getOwned(store, id, SK.payment, merchantId);
  return item ? paymentFrom(item) : undefined;
}

export async function listPayments(
  store: LedgerStore,
  merchantId: string,
  request: ListRequest<"status" | "source" | "destination" | "batch">,
): Promise<{ payments: Payment[]; hasMore: boolean }> {
  const page = await listOwned(store, merchantId, "payment", request);
  return { payments: page.items.map(paymentFrom), hasMore: page.hasMore };
}

/**
 * Bank payments still processing that were created before `createdBefore` (epoch seconds), a page
 * (at most 100 ids) at a time, oldest first within each shard, through every page of every shard:
 * payouts that cannot finish yet (the rail unreachable for them) never hide the newer ones.
 */
export async function* findStuckPayments(
  store: LedgerStore,
  createdBefore: number,
): AsyncGenerator<string[], void, undefined> {
  for (const partition of processingPaymentsPartitions()) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :work AND gsi2sk < :before",
          ExpressionAttributeValues: { ":work": partition, ":before": `${createdBefore}#` },
          Limit: 100,
          ExclusiveStartKey: start,
        }),
      );
      const ids = (page.Items ?? []).map((item) => String(item.pk));
      if (ids.length > 0) yield ids;
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
