// Owns the review use cases: park a payment a `review` rule stopped, approve it (paid through the
// same engine: the decline rules are checked again on the exact counters, and the debit's guards
// enforce them) or decline it. A refused transition answers 409 `payment_not_in_review` with the
// payment as it stands; a retry of the request that moved it (same Idempotency-Key) is answered as
// the first time.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { BankChannel } from "../channels/bank-channel.js";
import { failed, type Payment, toPaymentResource } from "../domain/payments.js";
import { carriedBy, evaluateRisk } from "../domain/risk/evaluate.js";
import { applicableRules } from "../domain/risk/rules.js";
import { PaymentNotInReviewError, ResourceMissingError, ServiceUnavailableError } from "../errors.js";
import { foldPendingCredits } from "../ledger/credits.js";
import { type IdempotencyClaim, replayIfClaimed } from "../ledger/idempotency.js";
import { itemKey, SK } from "../ledger/keys.js";
import {
  declinedResponse,
  declineError,
  recordDeclinedPayment,
  succeededResponse,
} from "../ledger/payments.js";
import { getKeys } from "../ledger/reads.js";
import { type LedgerStore, paymentFrom } from "../ledger/records.js";
import {
  APPROVE_ITEMS,
  approveBankPaymentTx,
  approvePaymentTx,
  PARK_ITEMS,
  parkPaymentTx,
  releaseReviewTx,
} from "../ledger/reviews.js";
import { factsFrom } from "./assess.js";
import type { RiskRuleCache } from "./rule-cache.js";

/** The answer to the payment request that a review rule parked: 202, it is not final yet. */
const parkedResponse = (payment: Payment) => ({ statusCode: 202, body: toPaymentResource(payment) });

/**
 * Parks `payment` (status requires_review) with its amount reserved on the source. A source that
 * cannot fund it records the payment failed with `insufficient_funds` instead (returned failed).
 */
export async function parkForReview(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
): Promise<Payment> {
  let outcome = await parkPaymentTx(store, payment, claim, parkedResponse(payment));
  if (!outcome.ok && outcome.failed[PARK_ITEMS.source] && (await foldPendingCredits(store, payment.source)))
    outcome = await parkPaymentTx(store, payment, claim, parkedResponse(payment));
  if (outcome.ok) return payment;
  const existing = await readReviewed(store, payment.id);
  if (existing) return existing.payment; // an earlier attempt of this call committed
  if (outcome.failed[PARK_ITEMS.source]) {
    const declined = failed({ ...payment, status: "failed" }, "insufficient_funds");
    await recordDeclinedPayment(store, declined, claim);
    return declined;
  }
  throw new ServiceUnavailableError(
    "The payment could not be parked for review; retry with the same Idempotency-Key.",
  );
}

async function readReviewed(
  store: LedgerStore,
  id: string,
): Promise<{ payment: Payment; reviewedBy: string | null } | undefined> {
  const { Item } = await store.dynamo.send(
    new GetCommand({ TableName: store.table, Key: itemKey(id, SK.payment), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { payment: paymentFrom(Item), reviewedBy: (Item.reviewed_by as string | null) ?? null };
}

async function parkedPayment(
  store: LedgerStore,
  id: string,
  merchantId: string,
  claim: IdempotencyClaim | undefined,
): Promise<Payment> {
  const found = await readReviewed(store, id);
  if (!found || found.payment.merchantId !== merchantId) throw new ResourceMissingError("payment", id, "id");
  if (found.payment.status !== "requires_review") await refuse(store, found.payment, claim);
  return found.payment;
}

async function refuse(
  store: LedgerStore,
  payment: Payment,
  claim: IdempotencyClaim | undefined,
): Promise<never> {
  if (claim) await replayIfClaimed(store.dynamo, store.table, claim);
  throw new PaymentNotInReviewError(
    `The payment is ${payment.status}; only a payment in requires_review can be approved or declined.`,
    toPaymentResource(payment),
  );
}

/** After a lost race: our own earlier commit (its answer lost) is the result, anything else a 409. */
async function settledBy(
  store: LedgerStore,
  id: string,
  requestId: string,
  claim: IdempotencyClaim | undefined,
): Promise<Payment> {
  const now = await readReviewed(store, id);
  if (!now) throw new ServiceUnavailableError("The payment could not be read; retry.");
  if (now.payment.status !== "requires_review" && now.reviewedBy === requestId) return now.payment;
  return refuse(store, now.payment, claim);
}

export interface ReviewInput {
  paymentId: string;
  merchantId: string;
  requestId: string;
  nowMs: number;
}

const MAX_ATTEMPTS = 5;

/**
 * Approves a parked payment. The decline rules are evaluated again on the exact counters (a read:
 * approvals are rare); one broken fails the payment with its code and releases the reservation
 * (402), else the reservation is paid to the destination under the rules' guards.
 */
export async function approveReview(
  store: LedgerStore,
  rules: RiskRuleCache,
  input: ReviewInput,
  claim: IdempotencyClaim | undefined,
  /** Pays out an approved bank payout from its reservation. */
  bank: Pick<BankChannel, "payReserved">,
): Promise<Payment> {
  const payment = await parkedPayment(store, input.paymentId, input.merchantId, claim);
  const declineRules = applicableRules(await rules.forOwner(payment.merchantId), payment).filter(
    (rule) => rule.action === "decline",
  );
  const subject = {
    source: payment.source,
    destination: payment.destination,
    amount: payment.amount,
    nowMs: input.nowMs,
  };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const items = await getKeys(store, [
      itemKey(payment.source, SK.account),
      itemKey(payment.destination, SK.account),
    ]);
    const decision = evaluateRisk(
      declineRules,
      factsFrom(subject, items.get(payment.source), items.get(payment.destination)),
    );
    if (decision.kind === "broken") {
      const declined = failed(payment, decision.code);
      const outcome = await releaseReviewTx(
        store,
        payment,
        declined,
        input.requestId,
        claim,
        declinedResponse(declined, claim?.requestId ?? input.requestId),
      );
      const result = outcome.ok ? declined : await settledBy(store, payment.id, input.requestId, claim);
      if (result.status === "failed") throw declineError(result);
      return result;
    }
    if (decision.kind !== "pass") throw new Error("risk engine asked for a read after one");
    const risk = { ...carriedBy(decision), nowMs: input.nowMs };
    if (payment.channel === "bank") {
      const processing: Payment = { ...payment, status: "processing" };
      const outcome = await approveBankPaymentTx(
        store,
        payment,
        processing,
        risk,
        input.requestId,
        claim,
        Math.floor(input.nowMs / 1000),
      );
      // Our own earlier attempt may have approved it, its answer lost: a payout still processing
      // is sent now (sends are idempotent by payment id, and finishing is conditional on it).
      const approved = outcome.ok
        ? processing
        : outcome.failed[APPROVE_ITEMS.payment]
          ? await settledBy(store, payment.id, input.requestId, claim)
          : undefined;
      if (approved) {
        const final =
          approved.status === "processing" ? await bank.payReserved(approved, claim, 200) : approved;
        if (final.status === "failed") throw declineError(final);
        return final;
      }
      if (!outcome.ok && outcome.failed[APPROVE_ITEMS.source]) continue;
      throw new ServiceUnavailableError(
        "The approval could not be completed; retry with the same Idempotency-Key.",
      );
    }
    const approved: Payment = { ...payment, status: "succeeded" };
    const outcome = await approvePaymentTx(
      store,
      payment,
      approved,
      risk,
      input.requestId,
      claim,
      succeededResponse(approved),
    );
    if (outcome.ok) return approved;
    // The payment moved (a decline won, or our own earlier attempt): report it.
    if (outcome.failed[APPROVE_ITEMS.payment]) return settledBy(store, payment.id, input.requestId, claim);
    // A guard failed because other payments used the room meanwhile: decide again on fresh counters.
    if (outcome.failed[APPROVE_ITEMS.source]) continue;
    throw new ServiceUnavailableError(
      "The destination could not be credited; retry with the same Idempotency-Key.",
    );
  }
  throw new ServiceUnavailableError("The approval could not be completed under contention; retry.");
}

/** Declines a parked payment: it fails with `review_declined` and its reservation is released. */
export async function declineReview(
  store: LedgerStore,
  input: ReviewInput,
  claim: IdempotencyClaim | undefined,
): Promise<Payment> {
  const payment = await parkedPayment(store, input.paymentId, input.merchantId, claim);
  const declined = failed(payment, "review_declined");
  const outcome = await releaseReviewTx(store, payment, declined, input.requestId, claim, {
    statusCode: 200,
    body: toPaymentResource(declined),
  });
  if (outcome.ok) return declined;
  return settledBy(store, payment.id, input.requestId, claim);
}
