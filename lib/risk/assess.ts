// Owns running the risk engine for one payment: decide from what is known (nothing read on the fast
// path) and, when the engine asks, read the source wallet's counters and/or the destination's
// first-paid time once and decide again. The ledger's conditions then enforce the guards.
import { evaluateRisk, type RiskDecision, type RiskFacts } from "../domain/risk/evaluate.js";
import type { RiskRule } from "../domain/risk/rules.js";
import { sourceCounters, windowsAt } from "../domain/risk/windows.js";
import { itemKey, SK } from "../ledger/keys.js";
import { getKeys } from "../ledger/reads.js";
import type { Item, LedgerStore } from "../ledger/records.js";

export interface RiskSubject {
  source: string;
  destination: string;
  amount: number;
  nowMs: number;
}

/** What the engine learns from the two account items (either may be absent). */
export function factsFrom(
  subject: RiskSubject,
  source: Item | undefined,
  destination: Item | undefined,
): RiskFacts {
  return {
    amount: subject.amount,
    destination: subject.destination,
    nowMs: subject.nowMs,
    ...sourceCounters(source ?? {}, windowsAt(subject.nowMs)),
    destinationFirstPaidAt: destination?.first_paid_at == null ? null : Number(destination.first_paid_at),
  };
}

/** The decision for a payment, reading the accounts only if the engine cannot decide without them. */
export async function assessRisk(
  store: LedgerStore,
  rules: readonly RiskRule[],
  subject: RiskSubject,
): Promise<RiskDecision> {
  const decision = evaluateRisk(rules, {
    amount: subject.amount,
    destination: subject.destination,
    nowMs: subject.nowMs,
  });
  if (decision.kind !== "read") return decision;
  const items = await getKeys(store, [
    itemKey(subject.source, SK.account),
    itemKey(subject.destination, SK.account),
  ]);
  return evaluateRisk(rules, factsFrom(subject, items.get(subject.source), items.get(subject.destination)));
}
