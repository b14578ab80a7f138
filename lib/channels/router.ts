// Owns real-time payment dispatch: pick the channel that serves the destination, attempt it
// optimistically (no read before write), and on a failed condition read the accounts once to
// decide: another channel, a 404/400, a recorded decline (402), or a retry after a lost race.
import {
  type Channel,
  failed,
  judgedOrder,
  judgePayment,
  type Payment,
  type PaymentOrder,
  paymentFrom,
} from "../domain/payments.js";
import type { RiskDecision } from "../domain/risk/evaluate.js";
import { evaluateRisk } from "../domain/risk/evaluate.js";
import { applicableRules, type RiskRule } from "../domain/risk/rules.js";
import { InvalidRequestError, ResourceMissingError, ServiceUnavailableError } from "../errors.js";
import type { FxDeps } from "../fx/deps.js";
import { executeFxPayment } from "../fx/pay.js";
import { foldPendingCredits } from "../ledger/credits.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import { itemKey, SK } from "../ledger/keys.js";
import { declineError, recordDeclinedPayment } from "../ledger/payments.js";
import { getKeys } from "../ledger/reads.js";
import { accountFrom, type LedgerStore, paymentFrom as paymentFromItem } from "../ledger/records.js";
import { assessRisk, factsFrom } from "../risk/assess.js";
import { parkForReview } from "../risk/review.js";
import type { RiskRuleCache } from "../risk/rule-cache.js";
import type { AccountDirectory } from "./account-directory.js";
import type { BankChannel } from "./bank-channel.js";
import type { PaymentChannel } from "./channel.js";

export interface PaymentRouter {
  store: LedgerStore;
  directory: AccountDirectory;
  channels: { ledger: PaymentChannel; bank: BankChannel };
  /** Told of every payment that reached a recorded state (metrics); must not throw. */
  observe?: (payment: Payment) => void;
  /** Rates and terms for converted payments; without it a currency difference is refused. */
  fx?: FxDeps;
  /** The merchants' risk rules; without it no rule applies. */
  risk?: RiskRuleCache;
}

/** Lost races in a row after which the caller is told to retry (each attempt wrote nothing). */
const MAX_ATTEMPTS = 5;

/**
 * Executes a payment to a terminal state and returns it when it succeeded. A declined payment is
 * recorded and thrown as PaymentFailedError; bad references throw 404/400 with nothing written.
 */
export async function executePayment(
  router: PaymentRouter,
  input: PaymentOrder,
  claim: IdempotencyClaim | undefined,
): Promise<Payment> {
  let order = input;
  if (order.source === order.destination) {
    throw new InvalidRequestError("same_account", "The source and destination must differ.", {
      param: "destination",
    });
  }
  // A payment that asks to convert reads its accounts first (the conversion needs both currencies);
  // between accounts of one currency it is then an ordinary payment.
  if (router.fx && (order.quote !== undefined || order.convert === true)) {
    const converted = await executeFxPayment(
      {
        store: router.store,
        fx: router.fx,
        bank: router.channels.bank,
        risk: router.risk,
        observe: router.observe,
      },
      order,
      claim,
    );
    if (converted.kind === "done") return converted.payment;
  }
  const rules: RiskRule[] = router.risk
    ? applicableRules(await router.risk.forOwner(order.merchantId), order)
    : [];
  const subject = {
    source: order.source,
    destination: order.destination,
    amount: order.amount,
    nowMs: order.now,
  };
  const first = await assessRisk(router.store, rules, subject);
  if (first.kind === "broken") return refuseByRule(router, order, first, claim);
  if (first.kind === "pass") order = judgedOrder(order, first);
  const known = router.directory.get(order.destination);
  let channel: Channel = known?.type === "bank" ? "bank" : "ledger";
  let folded = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const outcome = await router.channels[channel].attempt(order, claim);
    if (outcome.done) {
      router.observe?.(outcome.payment);
      if (outcome.payment.status === "failed") throw declineError(outcome.payment);
      return outcome.payment;
    }
    const { committed, source, destination } = await readOrder(router, order);
    // An earlier attempt committed but its answer was lost (timeout, SDK retry): the payment exists,
    // and that is the truth to report, not a failure.
    if (committed) {
      router.observe?.(committed);
      if (committed.status === "failed") throw declineError(committed);
      return committed;
    }
    if (destination && destination.merchant_id === order.merchantId)
      router.directory.remember(accountFrom(destination));
    const verdict = judgeRead(order, source, destination, channel);
    if (rules.length > 0) {
      // The accounts are read now: decide on the exact counters (the fast path's guard may be what
      // failed) and carry the exact limits from here on.
      const exact = evaluateRisk(rules, factsFrom(subject, source, destination));
      if (exact.kind === "broken")
        return refuseByRule(router, { ...order, risk: undefined }, exact, claim, channelOf(destination));
      if (exact.kind === "pass") order = judgedOrder(order, exact);
    }
    switch (verdict.kind) {
      case "dispatch":
        channel = verdict.channel;
        break;
      case "decline": {
        // Credits that arrived while the wallet was hot wait as pending entries: they are the
        // payer's money too. Fold them in once and try again before declining.
        if (verdict.code === "insufficient_funds" && !folded) {
          folded = true;
          if (await foldPendingCredits(router.store, order.source)) break;
        }
        const declined = failed(paymentFrom(order, "failed", channel), verdict.code);
        await recordDeclinedPayment(router.store, declined, claim);
        router.observe?.(declined);
        throw declineError(declined);
      }
      case "retry":
        break;
    }
  }
  throw new ServiceUnavailableError(
    "The payment could not be completed under contention; retry with the same Idempotency-Key.",
  );
}

/** The order's two accounts and its payment (if an earlier attempt recorded it), in one read. */
async function readOrder(router: PaymentRouter, order: PaymentOrder) {
  const items = await getKeys(router.store, [
    itemKey(order.source, SK.account),
    itemKey(order.destination, SK.account),
    itemKey(order.id, SK.payment),
  ]);
  const committed = items.get(order.id);
  return {
    committed: committed ? paymentFromItem(committed) : undefined,
    source: items.get(order.source),
    destination: items.get(order.destination),
  };
}

/** The order judged on the accounts read; a bad reference answers 404/400 with nothing written. */
function judgeRead(
  order: PaymentOrder,
  source: Record<string, unknown> | undefined,
  destination: Record<string, unknown> | undefined,
  channel: Channel,
) {
  const verdict = judgePayment(
    order,
    source ? accountFrom(source) : undefined,
    destination ? accountFrom(destination) : undefined,
    channel,
  );
  if (verdict.kind === "not_found") throw new ResourceMissingError("account", verdict.id, verdict.param);
  if (verdict.kind === "invalid")
    throw new InvalidRequestError(verdict.code, verdict.message, { param: verdict.param });
  return verdict;
}

function channelOf(destination: Record<string, unknown> | undefined): Channel {
  return destination?.type === "bank" ? "bank" : "ledger";
}

/**
 * A rule is broken. Bad references still answer 404/400 with nothing written (the accounts are
 * read if they were not yet); then a `decline` rule records the payment failed with the rule's code
 * (402), a `review` rule parks it in `requires_review` with its amount reserved.
 */
async function refuseByRule(
  router: PaymentRouter,
  order: PaymentOrder,
  decision: Extract<RiskDecision, { kind: "broken" }>,
  claim: IdempotencyClaim | undefined,
  knownChannel?: Channel,
): Promise<Payment> {
  let channel = knownChannel;
  if (!channel) {
    const { committed, source, destination } = await readOrder(router, order);
    if (committed) {
      if (committed.status === "failed") throw declineError(committed);
      return committed;
    }
    channel = channelOf(destination);
    judgeRead(order, source, destination, channel);
  }
  const assessed = judgedOrder(order, decision);
  if (decision.action === "review") {
    const parked = await parkForReview(
      router.store,
      paymentFrom(assessed, "requires_review", channel),
      claim,
    );
    if (parked.status !== "failed") {
      router.observe?.(parked);
      return parked;
    }
    router.observe?.(parked);
    throw declineError(parked);
  }
  const declined = failed(paymentFrom(assessed, "failed", channel), decision.code);
  await recordDeclinedPayment(router.store, declined, claim);
  router.observe?.(declined);
  throw declineError(declined);
}
