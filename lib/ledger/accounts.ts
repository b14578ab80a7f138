// Owns the account items in the ledger: opening accounts, debiting wallets and reading accounts.
// Reads fold pending credit entries first (credits.ts), so a balance read includes every credit
// that has succeeded.
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Account } from "../domain/accounts.js";
import type { ListRequest } from "../domain/lists.js";
import { commitWithIdempotency } from "./commit.js";
import { foldPendingCredits, PENDING_CREDIT_PREFIX } from "./credits.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { itemKey, SK } from "./keys.js";
import { getKeys, getOwned, isOwnWrite, listOwned } from "./reads.js";
import { accountFrom, accountItem, type LedgerStore } from "./records.js";
import { type RiskWrite, riskClauses, withRiskClauses } from "./risk-counters.js";
import type { TransactItem } from "./transact.js";

export async function insertAccount(
  store: LedgerStore,
  account: Account,
  claim: IdempotencyClaim | undefined,
  response: StoredResponse,
): Promise<void> {
  const put: TransactItem = {
    // A fresh random id never exists; the condition only guards against an id collision.
    Put: {
      TableName: store.table,
      Item: accountItem(account),
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
  const outcome = await commitWithIdempotency(store, [put], claim, response);
  if (outcome.ok) return;
  // The id is fresh, so an item under it is this request's own write whose answer was lost.
  if (await isOwnWrite(store, account.id, SK.account, account.merchantId, account.createdAt)) return;
  throw new Error(`account id collision: ${account.id}`);
}

/**
 * One account with every succeeded credit in its balance. One strongly consistent Query reads the
 * account and tells whether pending entries exist (they sort after it: `account` < `credit#…`);
 * only then are they folded and the account read again.
 */
export async function findAccount(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Account | undefined> {
  const { Items = [] } = await store.dynamo.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :account AND :credits",
      ExpressionAttributeValues: {
        ":pk": id,
        ":account": SK.account,
        ":credits": `${PENDING_CREDIT_PREFIX}\uffff`,
      },
      ConsistentRead: true,
      Limit: 2,
    }),
  );
  const item = Items[0];
  if (item?.sk !== SK.account || item.merchant_id !== merchantId) return undefined;
  if (Items.length === 1) return accountFrom(item);
  await foldPendingCredits(store, id);
  const again = await getOwned(store, id, SK.account, merchantId);
  return again ? accountFrom(again) : undefined;
}

/** Folds the pending credits of the accounts that have any; returns the ids that had some. */
async function foldPending(store: LedgerStore, ids: readonly string[]): Promise<string[]> {
  const pending = await Promise.all(
    ids.map(async (id) => {
      const { Items = [] } = await store.dynamo.send(
        new QueryCommand({
          TableName: store.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :credit)",
          ExpressionAttributeValues: { ":pk": id, ":credit": PENDING_CREDIT_PREFIX },
          ProjectionExpression: "pk",
          ConsistentRead: true,
          Limit: 1,
        }),
      );
      return Items.length > 0;
    }),
  );
  const folded = ids.filter((_id, i) => pending[i]);
  await Promise.all(folded.map((id) => foldPendingCredits(store, id)));
  return folded;
}

export async function listAccounts(
  store: LedgerStore,
  merchantId: string,
  request: ListRequest<never>,
): Promise<{ accounts: Account[]; hasMore: boolean }> {
  const page = await listOwned(store, merchantId, "account", request);
  const folded = await foldPending(
    store,
    page.items.map((item) => String(item.pk)),
  );
  if (folded.length === 0) return { accounts: page.items.map(accountFrom), hasMore: page.hasMore };
  const fresh = await getKeys(
    store,
    folded.map((id) => itemKey(id, SK.account)),
  );
  const items = page.items.map((item) => fresh.get(String(item.pk)) ?? item);
  return { accounts: items.map(accountFrom), hasMore: page.hasMore };
}

/** An amount reserved on a source wallet: a hold, or a payment parked for review. */
export interface Reservation {
  source: string;
  merchantId: string;
  amount: number;
}

/**
 * Reserves on a wallet: the amount leaves `balance` (what may be spent) for `held`, under the same
 * no-overdraft condition as a payment's debit.
 */
export function reserveOnWallet(
  table: string,
  reservation: Reservation & { currency: string },
): TransactItem {
  const { source, merchantId, amount, currency } = reservation;
  return spendFromWallet(table, source, merchantId, amount, currency, ["held :amount"]);
}

/**
 * Ends a reservation: `held` loses all of it and `balance` gets `returned` back (all of it when it
 * is released, what a capture left, nothing when it is paid). What is `spent` counts into the
 * wallet's outflow windows under the risk rules' guards, as a debit's amount does. No ceiling: the
 * money was this wallet's, and `held` only ever loses what the reservation added.
 */
export function endReservation(
  table: string,
  reservation: Reservation,
  returned: number,
  spent?: { amount: number; risk: RiskWrite },
): TransactItem {
  const clauses = spent ? riskClauses(spent.amount, spent.risk) : undefined;
  return {
    Update: {
      TableName: table,
      Key: itemKey(reservation.source, SK.account),
      UpdateExpression: withRiskClauses(
        { set: returned > 0 ? ["balance = balance + :returned"] : [], add: ["held :unheld"] },
        clauses,
      ),
      ConditionExpression: ["merchant_id = :merchant", ...(clauses?.conditions ?? [])].join(" AND "),
      ...(clauses ? { ExpressionAttributeNames: clauses.names } : {}),
      ExpressionAttributeValues: {
        ...clauses?.values,
        ...(returned > 0 ? { ":returned": returned } : {}),
        ":unheld": -reservation.amount,
        ":merchant": reservation.merchantId,
      },
    },
  };
}

/**
 * Debits a wallet; the condition is the ledger's `debits_must_not_exceed_credits` flag. With
 * `risk`, the same update counts the payment into the wallet's outflow windows and carries the
 * risk rules' guards as conditions (risk-counters.ts).
 */
export function debitWallet(
  table: string,
  accountId: string,
  merchantId: string,
  amount: number,
  currency: string,
  risk?: RiskWrite,
): TransactItem {
  return spendFromWallet(table, accountId, merchantId, amount, currency, [], risk);
}

/** `amount` leaves the wallet's `balance` (and `add` says where else it goes), never below zero. */
function spendFromWallet(
  table: string,
  accountId: string,
  merchantId: string,
  amount: number,
  currency: string,
  add: string[],
  risk?: RiskWrite,
): TransactItem {
  const clauses = risk ? riskClauses(amount, risk) : undefined;
  return {
    Update: {
      TableName: table,
      Key: itemKey(accountId, SK.account),
      UpdateExpression: withRiskClauses({ set: ["balance = balance - :amount"], add }, clauses),
      // Ownership, type and currency are checked here rather than read first, so a payment costs one
      // round trip; `balance >= :amount` is what keeps every wallet at or above zero.
      ConditionExpression: [
        "merchant_id = :merchant AND #type = :wallet AND currency = :currency AND balance >= :amount",
        ...(clauses?.conditions ?? []),
      ].join(" AND "),
      ExpressionAttributeNames: { "#type": "type", ...clauses?.names },
      ExpressionAttributeValues: {
        ":amount": amount,
        ":merchant": merchantId,
        ":wallet": "wallet",
        ":currency": currency,
        ...clauses?.values,
      },
    },
  };
}
