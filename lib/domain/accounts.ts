// Owns the account aggregate: what is stored, how it is shown, and the rules a payment checks
// against it. Wallets hold money; bank accounts are external payout destinations whose balance
// is the total paid out to them.
import type { Currency } from "../money/index.js";
import type { AccountResource, CreateAccountRequest } from "../schemas/accounts.js";
import type { AccountIdentifierKind, BankDetails, HolderType, NationalField } from "./bank-details/index.js";
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
  /** Unix seconds of the first payment to it (null: never paid); read by new-destination rules. */
  firstPaidAt?: number | null;
  name: string | null;
  metadata: Record<string, string>;
  /** The last four digits, the only part of the number the API ever answers. */
  bankLast4: string | null;
  /**
   * The full account identifier (account number, IBAN or CLABE): a real rail needs it to pay.
   * Stored (DynamoDB encrypts at rest), never answered, never logged; null for wallets and for bank
   * accounts opened before it was kept.
   */
  bankNumber: string | null;
  /** What the rail routes on: the national routing fields joined (US: the routing number), or the BIC. */
  bankRouting: string | null;
  /** The public bank details (no account number); null for wallets. */
  bank: AccountBank | null;
  createdAt: number;
}

/** A bank account's details as kept: everything but the account identifier, of which only last4. */
export interface AccountBank {
  country: string;
  identifier: AccountIdentifierKind;
  routing: Partial<Record<NationalField, string>>;
  bic: string | null;
  holderName: string | null;
  holderType: HolderType | null;
}

/** The bank details of an account stored before international details existed: a US account. */
export function legacyUsBank(routingNumber: string | null): AccountBank {
  return {
    country: "US",
    identifier: "account_number",
    routing: routingNumber ? { routing_number: routingNumber } : {},
    bic: null,
    holderName: null,
    holderType: null,
  };
}

function keptBank(details: BankDetails): AccountBank {
  const { accountIdentifier: _full, ...kept } = details;
  return kept;
}

/** The rail's routing key: the national routing fields in scheme order ("12345-003"), else the BIC. */
function railRouting(details: BankDetails): string {
  const national = Object.values(details.routing).join("-");
  return national || details.bic || details.country;
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
    bankLast4: request.bank ? request.bank.accountIdentifier.slice(-4) : null,
    bankNumber: request.bank?.accountIdentifier ?? null,
    bankRouting: request.bank ? railRouting(request.bank) : null,
    bank: request.bank ? keptBank(request.bank) : null,
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
    bank: account.bank && account.bankLast4 ? bankResource(account.bank, account.bankLast4) : null,
    created_at: account.createdAt,
  };
}

function bankResource(bank: AccountBank, last4: string): NonNullable<AccountResource["bank"]> {
  return {
    country: bank.country,
    identifier: bank.identifier,
    last4,
    ...bank.routing,
    bic: bank.bic,
    holder_name: bank.holderName,
    holder_type: bank.holderType,
  };
}
