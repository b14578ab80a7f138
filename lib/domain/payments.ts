// Owns the payment aggregate and the rules that decide a payment's fate from the two accounts it
// touches. Pure: the ledger supplies the accounts, this module supplies the decision.

import { type MessageRef, messageRef } from "../i18n/message-ref.js";
import { type Currency, MAX_BALANCE } from "../money/index.js";
import type { PaymentFailureCode, PaymentResource, PaymentStatus } from "../schemas/payments.js";
import type { Account, AccountType } from "./accounts.js";
import { type PaymentFx, toPaymentFxResource } from "./fx.js";
import { isLiveOwner } from "./modes.js";
import { CARRIES_NOTHING, type Carried, carriedBy, type RiskDecision } from "./risk/evaluate.js";
import { type PaymentRisk, toPaymentRiskResource } from "./risk/score.js";

export type Channel = "ledger" | "bank";

export interface Payment {
  id: string;
  merchantId: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  source: string;
  destination: string;
  channel: Channel | null;
  failureCode: PaymentFailureCode | null;
  description: string | null;
  metadata: Record<string, string>;
  batchId: string | null;
  /** Minor units refunded so far; never above `amount` (lib/domain/refunds.ts). */
  amountRefunded: number;
  /** The bank's return code when a settled payout came back (status `returned`). */
  returnCode: string | null;
  /** A batch item's index in its batch (chunk × 25 + position), so a return can find its result. */
  batchItemIndex: number | null;
  /** A converted payment: `amount`/`currency` are the source side, this says what arrived. */
  fx: PaymentFx | null;
  /** The risk check's score and the rules it found near or broken (lib/domain/risk). */
  risk: PaymentRisk;
  createdAt: number;
}

export interface PaymentOrder {
  id: string;
  merchantId: string;
  source: string;
  destination: string;
  amount: number;
  currency: string;
  description?: string | undefined;
  metadata?: Record<string, string> | undefined;
  batchId?: string | undefined;
  batchItemIndex?: number | undefined;
  /** An FX quote to convert at (lib/fx/pay.ts). */
  quote?: string | undefined;
  /** Convert at the current rate when the destination holds another currency. */
  convert?: boolean | undefined;
  /** What the risk check decided; the debit carries its guards (lib/domain/risk/evaluate.ts). */
  risk?: (Carried & { assessment: PaymentRisk }) | undefined;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * The order as the risk engine judged it: a pass's guards and counters for its debit, or nothing
 * for one a rule refused (it is recorded failed or parked, never debited as it stands), and the
 * assessment either way.
 */
export function judgedOrder(
  order: PaymentOrder,
  decision: Extract<RiskDecision, { kind: "pass" | "broken" }>,
): PaymentOrder {
  const carried = decision.kind === "pass" ? carriedBy(decision) : CARRIES_NOTHING;
  return { ...order, risk: { ...carried, assessment: decision.risk } };
}

/** The channel that serves a destination: wallets settle inside the ledger, banks over the rail. */
export function channelFor(destinationType: AccountType): Channel {
  return destinationType === "bank" ? "bank" : "ledger";
}

export function paymentFrom(order: PaymentOrder, status: PaymentStatus, channel: Channel | null): Payment {
  return {
    id: order.id,
    merchantId: order.merchantId,
    status,
    amount: order.amount,
    currency: order.currency,
    source: order.source,
    destination: order.destination,
    channel,
    failureCode: null,
    description: order.description ?? null,
    metadata: order.metadata ?? {},
    batchId: order.batchId ?? null,
    amountRefunded: 0,
    returnCode: null,
    batchItemIndex: order.batchItemIndex ?? null,
    fx: null,
    risk: order.risk?.assessment ?? NO_RISK,
    createdAt: Math.floor(order.now / 1000),
  };
}

export function failed(payment: Payment, code: PaymentFailureCode): Payment {
  return { ...payment, status: "failed", failureCode: code };
}

export const FAILURE_MESSAGES: Record<PaymentFailureCode, string> = {
  insufficient_funds: "The source wallet does not hold enough funds for this payment.",
  channel_declined: "The destination bank declined the payment.",
  account_not_found: "The destination account does not exist.",
  currency_mismatch: "The destination account holds another currency.",
  balance_limit_exceeded: "The destination account cannot hold a larger balance.",
  batch_failed: "The batch could not be funded, so this item was not paid.",
  processing_error: "The item could not be processed after repeated attempts.",
  amount_too_large: "Converted at the batch's locked rate, the item would cost more than 10^12 minor units.",
  amount_limit_exceeded: "The payment is larger than a risk rule allows for one payment.",
  daily_limit_exceeded: "The payment would take the source wallet past its daily outflow limit.",
  monthly_limit_exceeded: "The payment would take the source wallet past its monthly outflow limit.",
  velocity_limit_exceeded: "The source wallet has made as many payments this minute as a risk rule allows.",
  new_destination_limit: "The destination was first paid too recently for a payment of this size.",
  destination_blocked: "The destination is on a risk rule's deny list.",
  review_declined: "The payment was declined in review.",
};

/** The assessment of a payment no rule came near. */
export const NO_RISK: PaymentRisk = { score: 0, rules: [] };

/** What the destination receives: the converted amount of a converted payment, else the amount. */
export function creditedAmount(payment: Pick<Payment, "amount" | "fx">): number {
  return payment.fx ? payment.fx.destinationAmount : payment.amount;
}

/** The currency the destination receives: a converted payment's destination currency, else its own. */
export function creditedCurrency(payment: Pick<Payment, "currency" | "fx">): string {
  return payment.fx ? payment.fx.destinationCurrency : payment.currency;
}

/** Sandbox return codes (ACH-style) and what they mean. */
export const RETURN_CODES: Record<string, string> = {
  R03: "No account / unable to locate account",
};

/** Why a payment that failed its optimistic ledger transaction did so, decided from fresh reads. */
export type PaymentVerdict =
  | { kind: "not_found"; param: "source" | "destination"; id: string }
  | { kind: "invalid"; code: string; param: string; message: string | MessageRef }
  | { kind: "dispatch"; channel: Channel }
  | { kind: "decline"; code: PaymentFailureCode }
  /** Every condition holds now: the failure was a race, run the transaction again. */
  | { kind: "retry" };

function visible(account: Account | undefined, merchantId: string): account is Account {
  // Another merchant's account is indistinguishable from a missing one.
  return account !== undefined && account.merchantId === merchantId;
}

/** Problems only the source account reveals, shared by real-time payments and batches. */
export type SourceVerdict =
  | { kind: "ok" }
  | { kind: "not_found" }
  | { kind: "invalid"; code: string; param: string; message: string | MessageRef };

/** Money leaves only a visible wallet holding the order's currency. */
export function judgeSourceWallet(
  merchantId: string,
  currency: string,
  source: Account | undefined,
): SourceVerdict {
  if (!visible(source, merchantId)) return { kind: "not_found" };
  if (source.type !== "wallet") {
    return {
      kind: "invalid",
      code: "source_not_wallet",
      param: "source",
      message: "The source must be a wallet.",
    };
  }
  if (source.currency !== currency) {
    return {
      kind: "invalid",
      code: "currency_mismatch",
      param: "currency",
      message: messageRef("currency_mismatch.source", { held: source.currency, currency }),
    };
  }
  return { kind: "ok" };
}

/**
 * Decides what to do with a payment given the current state of its accounts. `expectedChannel`
 * is the channel whose transaction just failed, so a bank destination found on the ledger path
 * means "dispatch to the bank channel" rather than an error.
 */
export function judgePayment(
  order: Pick<PaymentOrder, "merchantId" | "source" | "destination" | "amount" | "currency">,
  source: Account | undefined,
  destination: Account | undefined,
  expectedChannel: Channel,
): PaymentVerdict {
  const sourceVerdict = judgeSourceWallet(order.merchantId, order.currency, source);
  if (sourceVerdict.kind === "not_found" || !source)
    return { kind: "not_found", param: "source", id: order.source };
  if (!visible(destination, order.merchantId)) {
    return { kind: "not_found", param: "destination", id: order.destination };
  }
  if (sourceVerdict.kind === "invalid") return sourceVerdict;
  if (destination.currency !== order.currency) {
    return {
      kind: "invalid",
      code: "currency_mismatch",
      param: "currency",
      message: messageRef("currency_mismatch.destination", {
        held: destination.currency,
        currency: order.currency,
      }),
    };
  }
  const channel = channelFor(destination.type);
  if (channel !== expectedChannel) return { kind: "dispatch", channel };
  if (source.balance < order.amount) return { kind: "decline", code: "insufficient_funds" };
  if (destination.balance > MAX_BALANCE - order.amount)
    return { kind: "decline", code: "balance_limit_exceeded" };
  return { kind: "retry" };
}

export function toPaymentResource(payment: Payment): PaymentResource {
  return {
    id: payment.id,
    object: "payment",
    livemode: isLiveOwner(payment.merchantId),
    status: payment.status,
    amount: payment.amount,
    // Validated as a Currency on the way in; stored and read back as a plain string.
    currency: payment.currency as Currency,
    source: payment.source,
    destination: payment.destination,
    channel: payment.channel,
    failure_code: payment.failureCode,
    description: payment.description,
    metadata: payment.metadata,
    batch: payment.batchId,
    amount_refunded: payment.amountRefunded,
    return_code: payment.returnCode,
    created_at: payment.createdAt,
    // Present on converted payments only, so same-currency answers keep their shape.
    ...(payment.fx ? { fx: toPaymentFxResource(payment.fx) } : {}),
    risk: toPaymentRiskResource(payment.risk),
  };
}
