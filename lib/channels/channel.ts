// Owns the channel port: a channel makes one attempt at a payment with optimistic conditions and
// either finishes it or reports that a condition failed, leaving the verdict to the router.
import type { Channel, Payment, PaymentOrder } from "../domain/payments.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import type { RiskWrite } from "../ledger/risk-counters.js";

export type ChannelAttempt =
  /** The payment reached a terminal state (succeeded, or failed at the rail) and is recorded. */
  | { done: true; payment: Payment }
  /** A condition on the accounts failed; nothing was written. */
  | { done: false };

export interface PaymentChannel {
  readonly name: Channel;
  attempt(order: PaymentOrder, claim: IdempotencyClaim | undefined): Promise<ChannelAttempt>;
}

/** The risk counters and guards the source's debit carries, when the router checked rules. */
export function riskWriteOf(order: PaymentOrder): RiskWrite | undefined {
  return order.risk ? { ...order.risk, nowMs: order.now } : undefined;
}
