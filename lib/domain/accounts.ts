// Owns the account aggregate: what is stored, how it is shown, and the rules a payment checks
// against it. Wallets hold money; bank accounts are external payout destinations whose balance
// is the total paid out to them.
import type { Currency } from "../money/index.js";
import type { AccountResource, CreateAccountRequest } from "../schemas/accounts.js";
import { newId } from "./ids.js";
import { isLiveOwner } from "./modes.js";

export type AccountType = "wallet" | "bank";

export interface Account {
  id: string;
  merchantId: string;
  type: AccountType;
  currency: Currency;
  /** What may be spent: the stored balance, holds already taken out (see `held`). */
  balance: number;
  /** The sum of this wallet's active holds; the balance shown to clients is balance + held. */
  held: number;
  name: string | null;
  metadata: Record<string, string>;
  /** The last four digits, the only part of the number the API ever answers. */
  bankLast4: string | null;
  /**
   * The full account number: a real rail needs it to pay. Stored (DynamoDB encrypts at rest), never
   * answered, never logged; null for wallets and for bank accounts opened before it was kept.
   */
  bankNumber: string | null;
  bankRouting: string | null;
  createdAt: number;
}

export function openAccount(merchantId: string, request: CreateAccountRequest, now: number): Account {
  return {
    id: newId("account", now),
    merchantId,
    type: request.type,
    currency: request.currency,
    balance: 0,
    held: 0,
    name: request.name ?? null,
    metadata: request.metadata ?? {},
    bankLast4: request.bank ? request.bank.account_number.slice(-4) : null,
    bankNumber: request.bank?.account_number ?? null,
    bankRouting: request.bank?.routing_number ?? null,
    createdAt: Math.floor(now / 1000),
  };
}

export function toAccountResource(account: Account): AccountResource {
  return {
    id: account.id,
    object: "account",
    livemode: isLiveOwner(account.merchantId),
    type: account.type,
    currency: account.currency,
    balance: account.balance + account.held,
    available: account.balance,
    name: account.name,
    metadata: account.metadata,
    bank: account.bankLast4 ? { last4: account.bankLast4, routing_number: account.bankRouting ?? "" } : null,
    created_at: account.createdAt,
  };
}
