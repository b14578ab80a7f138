// Owns the refund aggregate and its rules: which payments can be refunded, how much is left to
// refund, and why a refund whose transaction failed did so. Pure: the ledger supplies the payment
// and the accounts, this module supplies the decision. A refund is terminal when written
// (`succeeded` or `failed`); a payment's refunds together never exceed its amount.
import { MAX_BALANCE } from "../money/index.js";
import type { RefundFailureCode, RefundReason, RefundResource, RefundStatus } from "../schemas/refunds.js";
import type { Account } from "./accounts.js";
import { isLiveOwner } from "./modes.js";
import type { Payment } from "./payments.js";

export interface Refund {
  id: string;
  merchantId: string;
  paymentId: string;
  status: RefundStatus;
  amount: number;
  currency: string;
  /** The payment's destination, debited by the refund. */
  from: string;
  /** The payment's source, credited by the refund. */
  to: string;
  failureCode: RefundFailureCode | null;
  reason: RefundReason | null;
  metadata: Record<string, string>;
  createdAt: number;
  /**
   * A converted payment's refund: `amount` (source currency) goes back to the source, and the
   * destination gives back what that bought at the payment's locked rate (see `lockedRateShare`).
   */
  fx?: RefundFx | null;
}

export interface RefundFx {
  rate: string;
  destinationCurrency: string;
  /** Debited from the payment's destination, in its currency. */
  destinationAmount: number;
  /** The payment's refunded total (source currency) this refund was planned against. */
  refundedBefore: number;
}

/**
 * The destination's share of a refund at the locked rate, cumulative so that rounding never adds
 * up: after refunds totalling R of a payment that debited `a` and delivered `b`, the destination
 * has given back exactly floor(R × b / a), so a full refund gives back all of b (and the source
 * gets all of a, fee included). Rounded down: what rounding leaves over is the house's.
 */
export function lockedRateShare(
  fx: { sourceAmount: number; destinationAmount: number },
  refundedBefore: number,
  amount: number,
): number {
  const a = BigInt(fx.sourceAmount);
  const b = BigInt(fx.destinationAmount);
  const after = (BigInt(refundedBefore + amount) * b) / a;
  const before = (BigInt(refundedBefore) * b) / a;
  return Number(after - before);
}

/** What the refund takes from the payment's destination, in its currency. */
export function refundDebit(refund: Pick<Refund, "amount" | "fx">): number {
  return refund.fx ? refund.fx.destinationAmount : refund.amount;
}

export interface RefundOrder {
  id: string;
  merchantId: string;
  paymentId: string;
  /** Absent: the whole unrefunded rest of the payment. */
  amount?: number | undefined;
  reason?: RefundReason | undefined;
  metadata?: Record<string, string> | undefined;
  /** Milliseconds since the epoch. */
  now: number;
}

export const REFUND_FAILURE_MESSAGES: Record<RefundFailureCode, string> = {
  insufficient_funds: "The payment's destination wallet no longer holds enough funds for this refund.",
  balance_limit_exceeded: "The payment's source wallet cannot hold a larger balance.",
};

/** What may still be refunded of a payment. */
export function refundableRest(payment: Pick<Payment, "amount" | "amountRefunded">): number {
  return payment.amount - payment.amountRefunded;
}

export type RefundPlan =
  | { kind: "refund"; refund: Refund }
  /** Only a succeeded wallet-to-wallet payment can be pulled back; bank payouts are returned by the bank. */
  | { kind: "not_refundable"; reason: string }
  | { kind: "exceeds"; rest: number };

/** Decides the refund an order asks for against the payment as last read. */
export function planRefund(order: RefundOrder, payment: Payment): RefundPlan {
  if (payment.status !== "succeeded") {
    return { kind: "not_refundable", reason: `A payment in status '${payment.status}' cannot be refunded.` };
  }
  if (payment.channel !== "ledger") {
    return {
      kind: "not_refundable",
      reason: "A bank payout cannot be refunded: the money has left payrail; the bank may return it.",
    };
  }
  const rest = refundableRest(payment);
  const amount = order.amount ?? rest;
  if (rest === 0 || amount > rest) return { kind: "exceeds", rest };
  return {
    kind: "refund",
    refund: {
      id: order.id,
      merchantId: order.merchantId,
      paymentId: payment.id,
      status: "succeeded",
      amount,
      currency: payment.currency,
      from: payment.destination,
      to: payment.source,
      failureCode: null,
      reason: order.reason ?? null,
      metadata: order.metadata ?? {},
      createdAt: Math.floor(order.now / 1000),
      ...(payment.fx
        ? {
            fx: {
              rate: payment.fx.rate,
              destinationCurrency: payment.fx.destinationCurrency,
              destinationAmount: lockedRateShare(payment.fx, payment.amountRefunded, amount),
              refundedBefore: payment.amountRefunded,
            },
          }
        : {}),
    },
  };
}

/** Why a refund's transaction failed, decided from fresh reads of its accounts. */
export type RefundVerdict = { kind: "decline"; code: RefundFailureCode } | { kind: "retry" };

export function judgeRefund(
  refund: Pick<Refund, "amount" | "fx">,
  from: Account | undefined,
  to: Account | undefined,
): RefundVerdict {
  if (!from || from.balance < refundDebit(refund)) return { kind: "decline", code: "insufficient_funds" };
  if (!to || to.balance > MAX_BALANCE - refund.amount)
    return { kind: "decline", code: "balance_limit_exceeded" };
  return { kind: "retry" };
}

export function failedRefund(refund: Refund, code: RefundFailureCode): Refund {
  return { ...refund, status: "failed", failureCode: code };
}

export function toRefundResource(refund: Refund): RefundResource {
  return {
    id: refund.id,
    object: "refund",
    livemode: isLiveOwner(refund.merchantId),
    payment: refund.paymentId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    failure_code: refund.failureCode,
    reason: refund.reason,
    metadata: refund.metadata,
    created_at: refund.createdAt,
    ...(refund.fx
      ? {
          fx: {
            rate: refund.fx.rate,
            destination_currency: refund.fx.destinationCurrency,
            destination_amount: refund.fx.destinationAmount,
          },
        }
      : {}),
  };
}
