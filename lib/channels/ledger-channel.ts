// Owns the ledger channel: wallet-to-wallet payments settled inside payrail in one transaction.
import { type PaymentOrder, paymentFrom } from "../domain/payments.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import { commitLedgerPayment } from "../ledger/payments.js";
import type { LedgerStore } from "../ledger/records.js";
import { type ChannelAttempt, type PaymentChannel, riskWriteOf } from "./channel.js";

export function ledgerChannel(store: LedgerStore): PaymentChannel {
  return {
    name: "ledger",
    async attempt(order: PaymentOrder, claim: IdempotencyClaim | undefined): Promise<ChannelAttempt> {
      const payment = paymentFrom(order, "succeeded", "ledger");
      const committed = await commitLedgerPayment(store, payment, claim, riskWriteOf(order));
      return committed ? { done: true, payment } : { done: false };
    },
  };
}
