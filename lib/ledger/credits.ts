// Owns crediting accounts under contention. A credit can never overdraw, so it need not update the
// account item inside the paying transaction: when the account is hot (another transaction is
// writing it, DynamoDB cancels ours with TransactionConflict), the credit is written instead as an
// entry of its own next to the account, `pk=<account>, sk=credit#<what paid>`, in the same
// transaction as the payment. Nobody else writes that key, so it never conflicts.
//
// Pending entries are folded into the balance (one transaction: the balance grows by their sum and
// they are deleted) before anything reads or spends the balance: GET /v1/accounts and the accounts
// list fold first, and a debit refused for insufficient funds folds and tries again. So for the payee
// the money is there as soon as the payment succeeded; at every instant
//   sum of balances + sum of pending entries + money held by processing payments and batches
// is what was topped up (and paid out to banks).
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { AccountType } from "../domain/accounts.js";
import { MAX_BALANCE } from "../money/index.js";
import { itemKey, SK } from "./keys.js";
import type { LedgerStore } from "./records.js";
import { type TransactItem, type TransactOptions, transact } from "./transact.js";

export const PENDING_CREDIT_PREFIX = "credit#";

/** A credit to one account inside a larger transaction. */
export interface Credit {
  account: string;
  merchantId: string;
  amount: number;
  /** What the credit's in-place conditions check besides the owner; absent for refunds to the source. */
  expect?: { type: AccountType; currency: string };
  /** Unique per account: the id of what pays (payment, top-up, batch chunk, refund). */
  entry: string;
  /** A payment to the account (not a top-up or refund): stamps its first-paid time once. */
  paid?: boolean;
}

/** Credits the account item in place: conditions on owner, type, currency and the balance ceiling. */
export function creditInPlace(table: string, credit: Credit): TransactItem {
  const values: Record<string, unknown> = { ":amount": credit.amount, ":merchant": credit.merchantId };
  let condition = "merchant_id = :merchant";
  if (credit.expect) {
    condition += " AND #type = :type AND currency = :currency AND balance <= :ceiling";
    values[":type"] = credit.expect.type;
    values[":currency"] = credit.expect.currency;
    values[":ceiling"] = MAX_BALANCE - credit.amount;
  }
  // When the account was first paid, kept once: new-destination risk rules read it.
  if (credit.paid) values[":paidAt"] = Math.floor(Date.now() / 1000);
  return {
    Update: {
      TableName: table,
      Key: itemKey(credit.account, SK.account),
      UpdateExpression: `SET balance = balance + :amount${credit.paid ? ", first_paid_at = if_not_exists(first_paid_at, :paidAt)" : ""}`,
      ConditionExpression: condition,
      ...(credit.expect ? { ExpressionAttributeNames: { "#type": "type" } } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

/** The same credit as a pending entry of its own (checked against the account before, see below). */
export function pendingCredit(table: string, credit: Credit, nowMs: number): TransactItem {
  return {
    Put: {
      TableName: table,
      Item: {
        pk: credit.account,
        sk: `${PENDING_CREDIT_PREFIX}${credit.entry}`,
        merchant_id: credit.merchantId,
        amount: credit.amount,
        created_at_ms: nowMs,
        ...(credit.paid ? { paid: true } : {}),
      },
      // One entry per payer and account: a second write of it is the same transaction again.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
}

/** Accounts seen contended recently, per container: their credits go straight to pending entries. */
const HOT_FOR_MS = 30_000;
const MAX_TRACKED = 10_000;
const hotUntil = new Map<string, number>();
/** Owner, type and currency never change: one read per container is as good as a condition. */
const facts = new Map<string, { merchantId: string; type: AccountType; currency: string }>();

function markHot(account: string, nowMs: number): void {
  if (hotUntil.size >= MAX_TRACKED) hotUntil.delete(hotUntil.keys().next().value as string);
  hotUntil.set(account, nowMs + HOT_FOR_MS);
}

function isHot(account: string, nowMs: number): boolean {
  const until = hotUntil.get(account);
  if (until === undefined) return false;
  if (until > nowMs) return true;
  hotUntil.delete(account);
  return false;
}

/**
 * Whether a pending entry may stand in for the in-place credit: the account exists and its owner,
 * type and currency are what the in-place conditions require. The balance ceiling is checked when
 * the entry is folded.
 */
async function creditable(store: LedgerStore, credit: Credit): Promise<boolean> {
  let known = facts.get(credit.account);
  if (!known) {
    const { Item } = await store.dynamo.send(
      new GetCommand({
        TableName: store.table,
        Key: itemKey(credit.account, SK.account),
        ProjectionExpression: "merchant_id, #type, currency",
        ExpressionAttributeNames: { "#type": "type" },
        ConsistentRead: true,
      }),
    );
    if (!Item) return false;
    known = {
      merchantId: String(Item.merchant_id),
      type: Item.type === "bank" ? "bank" : "wallet",
      currency: String(Item.currency),
    };
    if (facts.size >= MAX_TRACKED) facts.delete(facts.keys().next().value as string);
    facts.set(credit.account, known);
  }
  if (known.merchantId !== credit.merchantId) return false;
  return !credit.expect || (known.type === credit.expect.type && known.currency === credit.expect.currency);
}

/**
 * Builds the credit items of a transaction (in place, or pending for accounts known to be hot) and
 * the option that switches a credit to its pending entry when it was the contended item.
 * `credits` maps a position in the transaction to the credit written there.
 */
export async function crediting(
  store: LedgerStore,
  credits: ReadonlyMap<number, Credit>,
  nowMs = Date.now(),
): Promise<{ items: Map<number, TransactItem>; options: TransactOptions }> {
  const items = new Map<number, TransactItem>();
  const pending = new Set<number>();
  for (const [position, credit] of credits) {
    if (isHot(credit.account, nowMs) && (await creditable(store, credit))) {
      items.set(position, pendingCredit(store.table, credit, nowMs));
      pending.add(position);
    } else items.set(position, creditInPlace(store.table, credit));
  }
  const options: TransactOptions = {
    async onConflict(conflicted, current) {
      let next: TransactItem[] | undefined;
      for (const [position, credit] of credits) {
        if (!conflicted[position] || pending.has(position)) continue;
        markHot(credit.account, Date.now());
        // An account that is not what the credit requires keeps its in-place credit, whose
        // condition then fails and says why.
        if (!(await creditable(store, credit))) continue;
        next ??= [...current];
        next[position] = pendingCredit(store.table, credit, nowMs);
        pending.add(position);
      }
      return next;
    },
  };
  return { items, options };
}

/** At most 99 entries and the account in one fold transaction (100 actions). */
const FOLD_BATCH = 99;

/**
 * Folds an account's pending credit entries into its balance. Each fold is one transaction
 * (balance + sum, entries deleted, each on condition it still exists, so two folders never apply
 * an entry twice). A fold the ceiling refuses leaves the entries pending. True when entries were
 * folded, by this call or by another folder (or an earlier attempt of this one whose answer was
 * lost) that took entries this call had seen: either way the balance may have grown, so a debit
 * refused for insufficient funds is worth trying again.
 */
export async function foldPendingCredits(store: LedgerStore, account: string): Promise<boolean> {
  let folded = false;
  for (let round = 0; round < 1_000; round++) {
    const { Items = [] } = await store.dynamo.send(
      new QueryCommand({
        TableName: store.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :credit)",
        ExpressionAttributeValues: { ":pk": account, ":credit": PENDING_CREDIT_PREFIX },
        ConsistentRead: true,
        Limit: FOLD_BATCH,
      }),
    );
    if (Items.length === 0) return folded;
    folded = true;
    const sum = Items.reduce((total, item) => total + Number(item.amount), 0);
    // The first payment among the entries stamps the account's first-paid time, if none yet.
    const paidMs = Items.filter((item) => item.paid).map((item) => Number(item.created_at_ms));
    const paidAt = paidMs.length > 0 ? Math.floor(Math.min(...paidMs) / 1000) : undefined;
    const outcome = await transact(store.dynamo, [
      {
        Update: {
          TableName: store.table,
          Key: itemKey(account, SK.account),
          UpdateExpression: `SET balance = balance + :sum${paidAt === undefined ? "" : ", first_paid_at = if_not_exists(first_paid_at, :paidAt)"}`,
          // The ceiling the in-place credits check, applied to what arrived while the account was hot.
          ConditionExpression: "attribute_exists(pk) AND balance <= :ceiling",
          ExpressionAttributeValues: {
            ":sum": sum,
            ":ceiling": MAX_BALANCE - sum,
            ...(paidAt === undefined ? {} : { ":paidAt": paidAt }),
          },
        },
      },
      ...Items.map(
        (item): TransactItem => ({
          Delete: {
            TableName: store.table,
            Key: { pk: item.pk, sk: item.sk },
            ConditionExpression: "attribute_exists(pk)",
          },
        }),
      ),
    ]);
    // The ceiling refused: nothing was folded by this transaction.
    if (!outcome.ok && outcome.failed[0]) return round > 0;
    // Otherwise folded, or another folder took some of these entries first: read what is left.
  }
  return folded;
}
