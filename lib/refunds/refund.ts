// Owns refunding a payment: read the payment once, decide the refund (lib/domain/refunds.ts), then
// one transaction whose conditions are the invariants (refunds never exceed the payment, the
// destination never goes below zero). When a condition fails, fresh reads decide between a recorded
// decline (402), a refusal (400/409), or another attempt after a lost race.
import {
  failedRefund,
  judgeRefund,
  planRefund,
  REFUND_FAILURE_MESSAGES,
  type Refund,
  type RefundOrder,
  toRefundResource,
} from "../domain/refunds.js";
import {
  InvalidRequestError,
  PaymentNotRefundableError,
  RefundFailedError,
  ResourceMissingError,
  ServiceUnavailableError,
  toErrorBody,
} from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { foldPendingCredits } from "../ledger/credits.js";
import type { IdempotencyClaim, StoredResponse } from "../ledger/idempotency.js";
import { itemKey, SK } from "../ledger/keys.js";
import { findPayment } from "../ledger/payments.js";
import { getKeys } from "../ledger/reads.js";
import { accountFrom, type LedgerStore } from "../ledger/records.js";
import { commitRefund, REFUND_ITEMS, recordFailedRefund, refundFrom } from "../ledger/refunds.js";

/** Lost races in a row after which the caller is told to retry (each attempt wrote nothing). */
const MAX_ATTEMPTS = 8;

function declineError(refund: Refund): RefundFailedError {
  const code = refund.failureCode ?? "insufficient_funds";
  return new RefundFailedError(code, REFUND_FAILURE_MESSAGES[code], toRefundResource(refund));
}

function answerFor(refund: Refund, requestId: string): StoredResponse {
  return refund.status === "succeeded"
    ? { statusCode: 201, body: toRefundResource(refund) }
    : { statusCode: 402, body: toErrorBody(declineError(refund), requestId) };
}

/** The refund as committed by an earlier attempt of this call whose answer was lost. */
function reported(refund: Refund): Refund {
  if (refund.status === "failed") throw declineError(refund);
  return refund;
}

/**
 * Refunds (part of) a payment and returns the succeeded refund. A refund the destination cannot
 * fund is recorded and thrown as RefundFailedError (402); an unknown payment is 404, one that
 * cannot be refunded 409, an amount above what is left 400, all with nothing written.
 */
export async function executeRefund(
  store: LedgerStore,
  order: RefundOrder,
  claim: IdempotencyClaim | undefined,
): Promise<Refund> {
  let folded = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const payment = await findPayment(store, order.paymentId, order.merchantId);
    if (!payment) throw new ResourceMissingError("payment", order.paymentId, "payment");
    const plan = planRefund(order, payment);
    if (plan.kind === "not_refundable") throw new PaymentNotRefundableError(plan.reason);
    if (plan.kind === "exceeds") {
      throw new InvalidRequestError(
        "refund_exceeds_payment",
        messageRef("refund_exceeds_payment.detail", { rest: plan.rest }),
        { param: "amount" },
      );
    }
    const { refund } = plan;
    let outcome: Awaited<ReturnType<typeof commitRefund>>;
    try {
      outcome = await commitRefund(
        store,
        refund,
        payment.amount,
        claim,
        answerFor(refund, claim?.requestId ?? ""),
      );
    } catch (error) {
      // Lost every conflict retry on a busy payment (many refunds at once): nothing was written,
      // so reading the payment again and retrying is safe.
      if (error instanceof ServiceUnavailableError) continue;
      throw error;
    }
    if (outcome.ok) return refund;
    const items = await getKeys(store, [
      itemKey(refund.id, SK.refund),
      itemKey(refund.from, SK.account),
      itemKey(refund.to, SK.account),
    ]);
    const committed = items.get(refund.id);
    if (committed) return reported(refundFrom(committed));
    // The payment changed under us (another refund took the room): plan again from a fresh read.
    if (outcome.failed[REFUND_ITEMS.payment]) continue;
    const from = items.get(refund.from);
    const to = items.get(refund.to);
    const verdict = judgeRefund(
      refund,
      from ? accountFrom(from) : undefined,
      to ? accountFrom(to) : undefined,
    );
    if (verdict.kind === "decline") {
      // Credits that reached the refunding wallet while it was hot wait as pending entries: they
      // are its money too. Fold them in once and try again before declining.
      if (verdict.code === "insufficient_funds" && !folded) {
        folded = true;
        if (await foldPendingCredits(store, refund.from)) continue;
      }
      const declined = failedRefund(refund, verdict.code);
      const recorded = await recordFailedRefund(
        store,
        declined,
        claim,
        answerFor(declined, claim?.requestId ?? ""),
      );
      if (!recorded.ok) {
        const again = await getKeys(store, [itemKey(refund.id, SK.refund)]);
        const earlier = again.get(refund.id);
        if (earlier) return reported(refundFrom(earlier));
      }
      throw declineError(declined);
    }
  }
  throw new ServiceUnavailableError(
    "The refund could not be completed under contention; retry with the same Idempotency-Key.",
  );
}
