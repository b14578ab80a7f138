// Owns writing top-ups: the wallet credit and the top-up record in one transaction.
import { newEvent } from "../domain/events.js";
import { type Topup, toTopupResource } from "../domain/topups.js";
import { InvalidRequestError, ResourceMissingError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { MAX_BALANCE } from "../money/index.js";
import { findAccount } from "./accounts.js";
import { commitWithIdempotency } from "./commit.js";
import { crediting } from "./credits.js";
import { putEvent } from "./events.js";
import type { IdempotencyClaim } from "./idempotency.js";
import { itemKey, listKeys, SK } from "./keys.js";
import { getOwned, isOwnWrite } from "./reads.js";
import type { Item, LedgerStore } from "./records.js";
import type { TransactItem } from "./transact.js";

function topupItem(topup: Topup): Item {
  return {
    ...itemKey(topup.id, SK.topup),
    ...listKeys(topup.merchantId, "topup", topup.id),
    merchant_id: topup.merchantId,
    account: topup.account,
    amount: topup.amount,
    currency: topup.currency,
    metadata: topup.metadata,
    created_at: topup.createdAt,
  };
}

/** The writes of a top-up: the wallet credit, the top-up record and its event. */
async function topupWrites(store: LedgerStore, topup: Topup) {
  const { items: credits, options } = await crediting(
    store,
    new Map([
      [
        0,
        {
          account: topup.account,
          merchantId: topup.merchantId,
          amount: topup.amount,
          expect: { type: "wallet", currency: topup.currency },
          entry: topup.id,
        },
      ],
    ]),
  );
  const credit = credits.get(0) as TransactItem;
  const put = {
    Put: { TableName: store.table, Item: topupItem(topup), ConditionExpression: "attribute_not_exists(pk)" },
  };
  const resource = toTopupResource(topup);
  const event = putEvent(store.table, newEvent("topup.succeeded", topup.merchantId, resource));
  return { items: [credit, put, event], options, resource };
}

export async function recordTopup(
  store: LedgerStore,
  topup: Topup,
  claim: IdempotencyClaim | undefined,
): Promise<void> {
  const { items, options, resource } = await topupWrites(store, topup);
  const outcome = await commitWithIdempotency(
    store,
    items,
    claim,
    { statusCode: 201, body: resource },
    options,
  );
  if (outcome.ok) return;
  // The top-up's id is fresh: if it exists, this is our own committed write whose answer was lost.
  if (await isOwnWrite(store, topup.id, SK.topup, topup.merchantId, topup.createdAt)) return;
  await explainCreditFailure(store, topup);
}

/**
 * Records money the bank rail reports as received for a live wallet (an inbound credit: the only
 * way money enters live mode), as a top-up. The rail's reference is claimed in the same
 * transaction (`inbound#<owner>#<reference>`), so a credit reported twice, by an operator or a
 * retried callback, credits once.
 */
export async function recordInboundCredit(
  store: LedgerStore,
  topup: Topup,
  railReference: string,
): Promise<"credited" | "already_credited"> {
  const { items, options, resource } = await topupWrites(store, topup);
  const reference: TransactItem = {
    Put: {
      TableName: store.table,
      Item: {
        ...itemKey(`inbound#${topup.merchantId}#${railReference}`, SK.inboundCredit),
        topup: topup.id,
        created_at: topup.createdAt,
      },
      // The reference is the rail's idempotency key for the credit: recorded once, ever.
      ConditionExpression: "attribute_not_exists(pk)",
    },
  };
  const outcome = await commitWithIdempotency(
    store,
    [...items, reference],
    undefined,
    { statusCode: 201, body: resource },
    options,
  );
  if (outcome.ok) return "credited";
  if (outcome.failed[items.length]) return "already_credited";
  return explainCreditFailure(store, topup);
}

/** The credit's condition failed: read once to say precisely why (only failures pay for this read). */
async function explainCreditFailure(store: LedgerStore, topup: Topup): Promise<never> {
  const account = await findAccount(store, topup.account, topup.merchantId);
  if (!account) throw new ResourceMissingError("account", topup.account, "account");
  if (account.type !== "wallet") {
    throw new InvalidRequestError("account_not_wallet", "Only wallets can be topped up.", {
      param: "account",
    });
  }
  if (account.currency !== topup.currency) {
    throw new InvalidRequestError(
      "currency_mismatch",
      messageRef("currency_mismatch.account", { currency: account.currency }),
      { param: "currency" },
    );
  }
  if (account.balance > MAX_BALANCE - topup.amount) {
    throw new InvalidRequestError("balance_limit_exceeded", "The wallet cannot hold a larger balance.", {
      param: "amount",
    });
  }
  throw new Error(`top-up ${topup.id} failed a condition that holds now`);
}

export async function findTopup(
  store: LedgerStore,
  id: string,
  merchantId: string,
): Promise<Topup | undefined> {
  const item = await getOwned(store, id, SK.topup, merchantId);
  if (!item) return undefined;
  return {
    id,
    merchantId,
    account: String(item.account),
    amount: Number(item.amount),
    currency: String(item.currency),
    metadata: (item.metadata as Record<string, string>) ?? {},
    createdAt: Number(item.created_at),
  };
}
