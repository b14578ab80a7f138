// Owns the hold use cases: place, capture, void, and the scheduler's expiry sweep. The ledger's
// conditions decide; when one fails, fresh reads say why (404/400/402/409) or that an earlier
// attempt of this very call committed and its answer was lost (then that result is reported).
import {
  type Hold,
  type HoldOrder,
  inactiveReason,
  isActive,
  placeHold,
  toHoldResource,
} from "../domain/holds.js";
import {
  failed,
  judgeSourceWallet,
  type Payment,
  paymentFrom,
  toPaymentResource,
} from "../domain/payments.js";
import { carriedBy, evaluateRisk, type RiskDecision } from "../domain/risk/evaluate.js";
import { applicableRules } from "../domain/risk/rules.js";
import {
  HoldDeclinedError,
  HoldNotActiveError,
  InvalidRequestError,
  PaymentFailedError,
  ResourceMissingError,
} from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { foldPendingCredits } from "../ledger/credits.js";
import {
  CAPTURE_ITEMS,
  captureHoldTx,
  findExpiredHolds,
  findHold,
  PLACE_ITEMS,
  placeHoldTx,
  readHold,
  releaseHoldTx,
} from "../ledger/holds.js";
import { type IdempotencyClaim, replayIfClaimed } from "../ledger/idempotency.js";
import { itemKey, SK } from "../ledger/keys.js";
import { declineError, recordDeclinedPayment } from "../ledger/payments.js";
import { getKeys } from "../ledger/reads.js";
import { accountFrom, type LedgerStore } from "../ledger/records.js";
import { assessRisk, factsFrom } from "../risk/assess.js";
import type { RiskRuleCache } from "../risk/rule-cache.js";

const created = (hold: Hold) => ({ statusCode: 201, body: toHoldResource(hold) });
const updated = (hold: Hold) => ({ statusCode: 200, body: toHoldResource(hold) });

export async function createHold(
  store: LedgerStore,
  order: HoldOrder,
  claim: IdempotencyClaim | undefined,
): Promise<Hold> {
  if (order.source === order.destination) {
    throw new InvalidRequestError("same_account", "The source and destination must differ.", {
      param: "destination",
    });
  }
  const hold = placeHold(order);
  let outcome = await placeHoldTx(store, hold, claim, created(hold));
  // Credits that arrived while the source was hot wait as pending entries: fold them and try again.
  if (!outcome.ok && outcome.failed[PLACE_ITEMS.source] && (await foldPendingCredits(store, hold.source)))
    outcome = await placeHoldTx(store, hold, claim, created(hold));
  if (outcome.ok) return hold;
  const items = await getKeys(store, [
    itemKey(hold.id, SK.hold),
    itemKey(hold.source, SK.account),
    itemKey(hold.destination, SK.account),
  ]);
  if (items.get(hold.id)) return hold; // an earlier attempt of this call committed
  const sourceItem = items.get(hold.source);
  const source = sourceItem ? accountFrom(sourceItem) : undefined;
  const verdict = judgeSourceWallet(order.merchantId, order.currency, source);
  if (verdict.kind === "not_found") throw new ResourceMissingError("account", hold.source, "source");
  if (verdict.kind === "invalid")
    throw new InvalidRequestError(verdict.code, verdict.message, { param: verdict.param });
  const destinationItem = items.get(hold.destination);
  const destination = destinationItem ? accountFrom(destinationItem) : undefined;
  if (!destination || destination.merchantId !== order.merchantId)
    throw new ResourceMissingError("account", hold.destination, "destination");
  if (destination.type !== "wallet")
    throw new InvalidRequestError("destination_not_wallet", "A hold's destination must be a wallet.", {
      param: "destination",
    });
  if (destination.currency !== order.currency)
    throw new InvalidRequestError(
      "currency_mismatch",
      messageRef("currency_mismatch.hold_destination", {
        held: destination.currency,
        currency: order.currency,
      }),
      { param: "currency" },
    );
  if (outcome.failed[PLACE_ITEMS.source] && source && source.balance < hold.amount)
    throw new HoldDeclinedError(
      "insufficient_funds",
      "The source wallet's available balance does not cover the hold.",
    );
  // Every condition holds on a fresh read: a lost race with a concurrent change; the client retries.
  throw new HoldDeclinedError(
    "insufficient_funds",
    "The source wallet's available balance does not cover the hold.",
  );
}

async function activeHold(
  store: LedgerStore,
  id: string,
  merchantId: string,
  nowSec: number,
  claim: IdempotencyClaim | undefined,
): Promise<Hold> {
  const hold = await findHold(store, id, merchantId);
  if (!hold) throw new ResourceMissingError("hold", id, "id");
  if (!isActive(hold, nowSec)) await refuse(store, hold, nowSec, claim);
  return hold;
}

/**
 * Answers 409 for a hold that accepts nothing else, expiring it first if its time has passed. A
 * retry of the very request that moved it (same Idempotency-Key) is answered as the first time.
 */
async function refuse(
  store: LedgerStore,
  hold: Hold,
  nowSec: number,
  claim: IdempotencyClaim | undefined,
): Promise<never> {
  if (claim) await replayIfClaimed(store.dynamo, store.table, claim);
  let shown = hold;
  if (hold.status === "held" && hold.expiresAt <= nowSec) {
    await releaseHoldTx(store, hold, "expired", nowSec, "expiry", undefined, undefined);
    shown = (await findHold(store, hold.id, hold.merchantId)) ?? hold;
  }
  throw new HoldNotActiveError(inactiveReason(hold, nowSec), toHoldResource(shown));
}

export async function captureHold(
  store: LedgerStore,
  input: { holdId: string; merchantId: string; amount: number | undefined; paymentId: string; nowMs: number },
  claim: IdempotencyClaim | undefined,
  rules?: RiskRuleCache,
): Promise<Hold> {
  const nowSec = Math.floor(input.nowMs / 1000);
  const hold = await activeHold(store, input.holdId, input.merchantId, nowSec, claim);
  const amount = input.amount ?? hold.amount;
  if (amount > hold.amount)
    throw new InvalidRequestError(
      "capture_exceeds_hold",
      messageRef("capture_exceeds_hold.detail", { amount: hold.amount }),
      { param: "amount" },
    );
  const payment: Payment = paymentFrom(
    {
      id: input.paymentId,
      merchantId: hold.merchantId,
      source: hold.source,
      destination: hold.destination,
      amount,
      currency: hold.currency,
      description: hold.description ?? undefined,
      metadata: { ...hold.metadata, hold: hold.id },
      now: input.nowMs,
    },
    "succeeded",
    "ledger",
  );
  const captured: Hold = { ...hold, status: "captured", amountCaptured: amount, paymentId: payment.id };
  // The capture pays like any payment, so the same rules decide. A capture cannot wait for review
  // (the hold already reserved the money and has its own expiry): a review rule declines it too.
  const applicable = rules ? applicableRules(await rules.forOwner(hold.merchantId), payment) : [];
  const subject = { source: hold.source, destination: hold.destination, amount, nowMs: input.nowMs };
  let decision = await assessRisk(store, applicable, subject);
  let outcome: Awaited<ReturnType<typeof captureHoldTx>> = { ok: false, failed: [] };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (decision.kind === "broken") return refuseCapture(store, payment, decision, claim);
    if (decision.kind !== "pass") throw new Error("risk engine asked for a read after one");
    const assessed: Payment = { ...payment, risk: decision.risk };
    const risk = { ...carriedBy(decision), nowMs: input.nowMs };
    outcome = await captureHoldTx(store, hold, assessed, nowSec, claim, updated(captured), risk);
    if (outcome.ok) return captured;
    if (!outcome.failed[CAPTURE_ITEMS.source]) break;
    // A guard failed (the fast path's, or others used the room): decide on the exact counters.
    const items = await getKeys(store, [
      itemKey(hold.source, SK.account),
      itemKey(hold.destination, SK.account),
    ]);
    decision = evaluateRisk(
      applicable,
      factsFrom(subject, items.get(hold.source), items.get(hold.destination)),
    );
  }
  const now = await readHold(store, hold.id);
  if (now?.status === "captured" && now.paymentId === payment.id) return now; // our own lost answer
  if (outcome.failed[CAPTURE_ITEMS.hold] && now) await refuse(store, now, nowSec, claim);
  // The destination refused the credit (balance ceiling): nothing moved, the hold stays held and
  // the payment shown is the one that would have been made (it is not recorded).
  throw new PaymentFailedError(
    "balance_limit_exceeded",
    "The destination account cannot hold a larger balance.",
    toPaymentResource({ ...payment, status: "failed", failureCode: "balance_limit_exceeded" }),
  );
}

export async function voidHold(
  store: LedgerStore,
  input: { holdId: string; merchantId: string; requestId: string; nowMs: number },
  claim: IdempotencyClaim | undefined,
): Promise<Hold> {
  const nowSec = Math.floor(input.nowMs / 1000);
  const hold = await activeHold(store, input.holdId, input.merchantId, nowSec, claim);
  const voided: Hold = { ...hold, status: "voided" };
  const outcome = await releaseHoldTx(store, hold, "voided", nowSec, input.requestId, claim, updated(voided));
  if (outcome.ok) return voided;
  const now = await readHold(store, hold.id);
  if (now?.status === "voided" && now.releasedBy === input.requestId) return now; // our own lost answer
  return refuse(store, now ?? hold, nowSec, claim);
}

/** The scheduler's sweep: every hold past its expiry is released, once (conditional on `held`). */
export async function expireDueHolds(store: LedgerStore, nowMs: number): Promise<{ expired: number }> {
  const nowSec = Math.floor(nowMs / 1000);
  let expired = 0;
  for (const id of await findExpiredHolds(store, nowSec)) {
    const hold = await readHold(store, id);
    if (hold?.status !== "held") continue;
    const outcome = await releaseHoldTx(store, hold, "expired", nowSec, "expiry", undefined, undefined);
    if (outcome.ok) expired++;
  }
  return { expired };
}

/** A capture that breaks a rule is recorded as a failed payment (402); the hold stays held. */
async function refuseCapture(
  store: LedgerStore,
  payment: Payment,
  decision: Extract<RiskDecision, { kind: "broken" }>,
  claim: IdempotencyClaim | undefined,
): Promise<never> {
  const declined = failed({ ...payment, risk: decision.risk }, decision.code);
  await recordDeclinedPayment(store, declined, claim);
  throw declineError(declined);
}
