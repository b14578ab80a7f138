// Owns the account items in the ledger: opening accounts, funding wallets (top-ups) and reading.
import type { Account } from "../domain/accounts.js";
import { MAX_BALANCE } from "../money/index.js";
import { commitWithIdempotency } from "./commit.js";
import type { IdempotencyClaim, StoredResponse } from "./idempotency.js";
import { itemKey, SK } from "./keys.js";
import { getOwned, listOwned, type Page } from "./reads.js";
import { accountFrom, accountItem, type LedgerStore } from "./records.js";
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
  if (!outcome.ok) throw new Error(`account id collision: ${account.id}`);
}

export async function findAccount(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Account | undefined> {
  const item = await getOwned(store, id, SK.account, merchantId);
  return item ? accountFrom(item) : undefined;
}

export async function listAccounts(
  store: LedgerStore,
  merchantId: string,
  limit: number,
  startingAfter?: string,
): Promise<{ accounts: Account[]; hasMore: boolean }> {
  const page: Page = await listOwned(store, merchantId, "account", limit, startingAfter);
  return { accounts: page.items.map(accountFrom), hasMore: page.hasMore };
}

/** Debits a wallet; the condition is the ledger's `debits_must_not_exceed_credits` flag. */
export function debitWallet(
  table: string,
  accountId: string,
  merchantId: string,
  amount: number,
  currency: string,
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: itemKey(accountId, SK.account),
      UpdateExpression: "SET balance = balance - :amount",
      // Ownership, type and currency are checked here rather than read first, so a payment costs one
      // round trip; `balance >= :amount` is what keeps every wallet at or above zero.
      ConditionExpression:
        "merchant_id = :merchant AND #type = :wallet AND currency = :currency AND balance >= :amount",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: {
        ":amount": amount,
        ":merchant": merchantId,
        ":wallet": "wallet",
        ":currency": currency,
      },
    },
  };
}

/** Credits an account of the given type, refusing balances beyond MAX_BALANCE so sums stay exact. */
export function creditAccount(
  table: string,
  accountId: string,
  merchantId: string,
  amount: number,
  currency: string,
  type: "wallet" | "bank",
): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: itemKey(accountId, SK.account),
      UpdateExpression: "SET balance = balance + :amount",
      ConditionExpression:
        "merchant_id = :merchant AND #type = :type AND currency = :currency AND balance <= :ceiling",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: {
        ":amount": amount,
        ":merchant": merchantId,
        ":type": type,
        ":currency": currency,
        ":ceiling": MAX_BALANCE - amount,
      },
    },
  };
}
