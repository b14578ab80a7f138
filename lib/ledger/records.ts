// Owns the mapping between domain aggregates and their DynamoDB items (snake_case attributes).
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type Account, type AccountBank, legacyUsBank } from "../domain/accounts.js";
import type { PaymentFx } from "../domain/fx.js";
import { NO_RISK, type Payment } from "../domain/payments.js";
import type { PaymentRisk, RuleOutcome } from "../domain/risk/score.js";
import type { Currency } from "../money/index.js";
import { filterKeys, itemKey, listKeys, SK } from "./keys.js";

/** What every ledger module needs: the client and the table. */
export interface LedgerStore {
  dynamo: DynamoDBDocumentClient;
  table: string;
}

export type Item = Record<string, unknown>;

export function accountItem(account: Account): Item {
  return {
    ...itemKey(account.id, SK.account),
    ...listKeys(account.merchantId, "account", account.id),
    merchant_id: account.merchantId,
    type: account.type,
    currency: account.currency,
    balance: account.balance,
    name: account.name,
    metadata: account.metadata,
    bank_last4: account.bankLast4,
    bank_account_number: account.bankNumber,
    bank_routing: account.bankRouting,
    ...(account.bank ? { bank_details: bankDetailsItem(account.bank) } : {}),
    created_at: account.createdAt,
  };
}

export function accountFrom(item: Item): Account {
  return {
    id: String(item.pk),
    merchantId: String(item.merchant_id),
    type: item.type === "bank" ? "bank" : "wallet",
    currency: item.currency as Currency,
    balance: Number(item.balance),
    held: Number(item.held ?? 0),
    firstPaidAt: item.first_paid_at == null ? null : Number(item.first_paid_at),
    name: (item.name as string | null) ?? null,
    metadata: (item.metadata as Record<string, string>) ?? {},
    bankLast4: (item.bank_last4 as string | null) ?? null,
    bankNumber: (item.bank_account_number as string | null) ?? null,
    bankRouting: (item.bank_routing as string | null) ?? null,
    bank: bankFrom(item),
    createdAt: Number(item.created_at),
  };
}

/** The public bank details (never the account number: only last4 is stored, as bank_last4). */
function bankDetailsItem(bank: AccountBank): Item {
  return {
    country: bank.country,
    identifier: bank.identifier,
    routing: bank.routing,
    bic: bank.bic,
    holder_name: bank.holderName,
    holder_type: bank.holderType,
  };
}

function bankFrom(item: Item): AccountBank | null {
  if (item.type !== "bank") return null;
  const details = item.bank_details as Item | undefined;
  // Accounts opened before international details were US account + routing number.
  if (!details) return legacyUsBank((item.bank_routing as string | null) ?? null);
  return {
    country: String(details.country),
    identifier: details.identifier as AccountBank["identifier"],
    routing: (details.routing as AccountBank["routing"]) ?? {},
    bic: (details.bic as string | null) ?? null,
    holderName: (details.holder_name as string | null) ?? null,
    holderType: (details.holder_type as AccountBank["holderType"]) ?? null,
  };
}

export function paymentItem(payment: Payment): Item {
  return {
    ...itemKey(payment.id, SK.payment),
    ...listKeys(payment.merchantId, "payment", payment.id),
    ...filterKeys(payment.merchantId, "payment", payment.id, {
      status: payment.status,
      source: payment.source,
      destination: payment.destination,
      batch: payment.batchId,
    }),
    merchant_id: payment.merchantId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    source: payment.source,
    destination: payment.destination,
    channel: payment.channel,
    failure_code: payment.failureCode,
    description: payment.description,
    metadata: payment.metadata,
    batch_id: payment.batchId,
    amount_refunded: payment.amountRefunded,
    return_code: payment.returnCode,
    batch_item_index: payment.batchItemIndex,
    created_at: payment.createdAt,
    ...(payment.fx ? { fx: fxItem(payment.fx) } : {}),
    // Only when something was found, so payments no rule came near keep their item size.
    ...(payment.risk.score > 0 || payment.risk.rules.length > 0 ? { risk: payment.risk } : {}),
  };
}

function fxItem(fx: PaymentFx): Item {
  return {
    rate: fx.rate,
    source_currency: fx.sourceCurrency,
    source_amount: fx.sourceAmount,
    destination_currency: fx.destinationCurrency,
    destination_amount: fx.destinationAmount,
    fee: fx.fee,
    converted: fx.converted,
    remainder: fx.remainder,
    quote_id: fx.quoteId,
  };
}

function fxFrom(item: Item): PaymentFx {
  return {
    rate: String(item.rate),
    sourceCurrency: item.source_currency as Currency,
    sourceAmount: Number(item.source_amount),
    destinationCurrency: item.destination_currency as Currency,
    destinationAmount: Number(item.destination_amount),
    fee: Number(item.fee),
    converted: Number(item.converted),
    remainder: Number(item.remainder),
    quoteId: (item.quote_id as string | null) ?? null,
  };
}

export function paymentFrom(item: Item): Payment {
  return {
    id: String(item.pk),
    merchantId: String(item.merchant_id),
    status: item.status as Payment["status"],
    amount: Number(item.amount),
    currency: String(item.currency),
    source: String(item.source),
    destination: String(item.destination),
    channel: (item.channel as Payment["channel"]) ?? null,
    failureCode: (item.failure_code as Payment["failureCode"]) ?? null,
    description: (item.description as string | null) ?? null,
    metadata: (item.metadata as Record<string, string>) ?? {},
    batchId: (item.batch_id as string | null) ?? null,
    amountRefunded: Number(item.amount_refunded ?? 0),
    returnCode: (item.return_code as string | null) ?? null,
    batchItemIndex: item.batch_item_index == null ? null : Number(item.batch_item_index),
    fx: item.fx ? fxFrom(item.fx as Item) : null,
    risk: item.risk ? riskFrom(item.risk as Item) : NO_RISK,
    createdAt: Number(item.created_at),
  };
}

function riskFrom(item: Item): PaymentRisk {
  const rules = (item.rules as Item[] | undefined) ?? [];
  return {
    score: Number(item.score ?? 0),
    rules: rules.map(
      (rule): RuleOutcome => ({
        rule: String(rule.rule),
        type: rule.type as RuleOutcome["type"],
        action: rule.action as RuleOutcome["action"],
        outcome: rule.outcome as RuleOutcome["outcome"],
        used: Number(rule.used),
        limit: Number(rule.limit),
      }),
    ),
  };
}
