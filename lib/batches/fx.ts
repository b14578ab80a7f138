// Owns the release step of a cross-currency batch: one rate per currency pair, asked of the rate
// source once and locked for all the batch's items, and the exact source total they cost at those
// rates (each item's cost rounded once, lib/domain/batch-fx.ts). The release's reservation then
// stores the rates and the total with the debit, in one transaction: a release that fails before it
// stored nothing, and the next one locks afresh.
import type { BatchFx } from "../domain/batch-fx.js";
import { itemCost, itemCurrencies } from "../domain/batch-fx.js";
import type { Batch, ChunkItem } from "../domain/batches.js";
import { RateUnavailableError } from "../fx/rate-source.js";
import { readChunks } from "../ledger/batches.js";
import { formatRate, sumAmounts } from "../money/index.js";
import type { BatchDeps } from "./deps.js";

/** The batch with one rate per currency pair, asked of the rate source now. */
async function withRates(deps: BatchDeps, batch: Batch, nowMs: number): Promise<Batch> {
  const fx = batch.fx as BatchFx;
  if (!deps.fx) throw new RateUnavailableError("no rate source is configured for cross-currency batches");
  const rates: NonNullable<BatchFx["rates"]> = {};
  for (const currency of itemCurrencies(batch.currency, fx)) {
    rates[currency] = formatRate(await deps.fx.rates.rate(batch.currency, currency, nowMs));
  }
  return { ...batch, fx: { ...fx, rates, feeBasisPoints: Number(deps.fx.feeBasisPoints) } };
}

export async function lockBatchRates(deps: BatchDeps, batch: Batch, nowMs: number): Promise<Batch> {
  const locked = await withRates(deps, batch, nowMs);
  // Every item's cost, read once at release (a cross-currency batch reads its chunks here; a
  // single-currency batch never does).
  const { chunks } = await readChunks(deps.store, batch, undefined, batch.chunkCount);
  const costs = chunks.flatMap((chunk) => chunk.items.map((item) => itemCost(locked, item).cost));
  return { ...locked, amountTotal: sumAmounts(costs) };
}

/**
 * What a cross-currency batch's items would cost at the current rates, for the funding check when a
 * batch is accepted and its `amounts.total` until release (which locks the rates that count).
 */
export async function estimateBatchTotal(
  deps: BatchDeps,
  batch: Batch,
  items: readonly ChunkItem[],
  nowMs: number,
): Promise<number> {
  const locked = await withRates(deps, batch, nowMs);
  return sumAmounts(items.map((item) => itemCost(locked, item).cost));
}
