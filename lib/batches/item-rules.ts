// Owns which risk rules a batch's items answer to: the owner's rules for the batch's source and
// currency, from the per-container cache (a chunk's consumer and the dead-letter drain read the
// same set, so a chunk ends the same whichever pays it).
import type { Batch } from "../domain/batches.js";
import { applicableRules, type RiskRule } from "../domain/risk/rules.js";
import type { BatchDeps } from "./deps.js";

export async function itemRules(
  deps: BatchDeps,
  batch: Pick<Batch, "merchantId" | "source" | "currency">,
  nowMs = Date.now(),
): Promise<{ rules: RiskRule[]; nowMs: number } | undefined> {
  if (!deps.risk) return undefined;
  const rules = applicableRules(await deps.risk.forOwner(batch.merchantId), batch);
  return rules.length > 0 ? { rules, nowMs } : undefined;
}
