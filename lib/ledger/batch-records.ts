// Owns the mapping between batches, their chunks and counter shards and their DynamoDB items.
//   header   pk=bat_…  sk=batch        the batch; gsi1 lists it, gsi2 holds it while it needs work
//   chunk    pk=bat_…#00042  sk=chunk  up to 25 items and, once processed, their results
//   counter  pk=bat_…  sk=count#07     the tally of the chunks whose index % 16 is 7
import type { BatchApproval, KeyRef } from "../domain/approvals.js";
import type { BatchFx } from "../domain/batch-fx.js";
import type { Batch, BatchChunk, BatchTally, ChunkItem, ItemResult } from "../domain/batches.js";
import type { Currency } from "../money/index.js";
import { batchChunkKey, filterKeys, itemKey, listKeys, SK } from "./keys.js";
import type { Item } from "./records.js";

export function batchHeaderItem(batch: Batch): Item {
  return {
    ...itemKey(batch.id, SK.batch),
    ...listKeys(batch.merchantId, "batch", batch.id),
    ...filterKeys(batch.merchantId, "batch", batch.id, { status: batch.status, source: batch.source }),
    merchant_id: batch.merchantId,
    status: batch.status,
    source: batch.source,
    currency: batch.currency,
    scheduled_at: batch.scheduledAt,
    description: batch.description,
    metadata: batch.metadata,
    item_count: batch.itemCount,
    amount_total: batch.amountTotal,
    chunk_count: batch.chunkCount,
    failure_code: batch.failureCode,
    final: batch.final ? tallyItem(batch.final) : null,
    created_at: batch.createdAt,
    completed_at: batch.completedAt,
    released_at_ms: batch.releasedAtMs,
    ...(batch.fx ? { fx: batchFxItem(batch.fx) } : {}),
    ...(batch.createdBy ? { created_by: keyRefItem(batch.createdBy) } : {}),
    ...(batch.approval ? { approval: approvalItem(batch.approval) } : {}),
  };
}

export function keyRefItem(ref: KeyRef): Item {
  return { api_key: ref.apiKey, name: ref.name };
}

function keyRefFrom(item: Item | undefined | null): KeyRef | null {
  if (!item || typeof item.api_key !== "string") return null;
  return { apiKey: item.api_key, name: typeof item.name === "string" ? item.name : null };
}

export function approvalItem(approval: BatchApproval): Item {
  return {
    status: approval.status,
    required_because: approval.requiredBecause,
    decided_by: approval.decidedBy ? keyRefItem(approval.decidedBy) : null,
    decided_at: approval.decidedAt,
    reason: approval.reason,
  };
}

function approvalFrom(item: Item): BatchApproval {
  return {
    status: item.status as BatchApproval["status"],
    requiredBecause: (item.required_because as BatchApproval["requiredBecause"]) ?? [],
    decidedBy: keyRefFrom(item.decided_by as Item | null),
    decidedAt: item.decided_at == null ? null : Number(item.decided_at),
    reason: (item.reason as string | null) ?? null,
  };
}

function batchFxItem(fx: BatchFx): Item {
  return { totals: fx.totals, rates: fx.rates, fee_basis_points: fx.feeBasisPoints };
}

function batchFxFrom(item: Item): BatchFx {
  return {
    totals: (item.totals as BatchFx["totals"]) ?? {},
    rates: (item.rates as BatchFx["rates"]) ?? null,
    feeBasisPoints: item.fee_basis_points == null ? null : Number(item.fee_basis_points),
  };
}

export function batchFrom(item: Item): Batch {
  return {
    id: String(item.pk),
    merchantId: String(item.merchant_id),
    status: item.status as Batch["status"],
    source: String(item.source),
    currency: item.currency as Currency,
    scheduledAt: item.scheduled_at == null ? null : Number(item.scheduled_at),
    description: (item.description as string | null) ?? null,
    metadata: (item.metadata as Record<string, string>) ?? {},
    itemCount: Number(item.item_count),
    amountTotal: Number(item.amount_total),
    chunkCount: Number(item.chunk_count),
    failureCode: (item.failure_code as Batch["failureCode"]) ?? null,
    final: item.final ? tallyFrom(item.final as Item) : null,
    returned: { count: Number(item.returned_count ?? 0), amount: Number(item.amount_returned ?? 0) },
    createdAt: Number(item.created_at),
    completedAt: item.completed_at == null ? null : Number(item.completed_at),
    releasedAtMs: item.released_at_ms == null ? null : Number(item.released_at_ms),
    fx: item.fx ? batchFxFrom(item.fx as Item) : null,
    createdBy: keyRefFrom(item.created_by as Item | undefined),
    approval: item.approval ? approvalFrom(item.approval as Item) : null,
  };
}

export function tallyItem(tally: BatchTally): Item {
  return {
    processed: tally.processed,
    succeeded: tally.succeeded,
    failed: tally.failed,
    amount_succeeded: tally.amountSucceeded,
    amount_failed: tally.amountFailed,
    ...(tally.byCurrency ? { by_currency: tally.byCurrency } : {}),
  };
}

export function tallyFrom(item: Item): BatchTally {
  return {
    processed: Number(item.processed ?? 0),
    succeeded: Number(item.succeeded ?? 0),
    failed: Number(item.failed ?? 0),
    amountSucceeded: Number(item.amount_succeeded ?? 0),
    amountFailed: Number(item.amount_failed ?? 0),
    ...(item.by_currency
      ? { byCurrency: item.by_currency as BatchTally["byCurrency"] }
      : byCurrencyCounters(item)),
  };
}

/** A chunk counter's per-currency amounts, kept as flat `cur_<code>_s|f` attributes (ADD-able). */
function byCurrencyCounters(item: Item): Pick<BatchTally, "byCurrency"> {
  let byCurrency: BatchTally["byCurrency"];
  for (const [name, value] of Object.entries(item)) {
    const match = /^cur_([A-Z]{3})_([sf])$/.exec(name);
    if (!match) continue;
    byCurrency ??= {};
    const own = byCurrency[match[1] as string] ?? { succeeded: 0, failed: 0 };
    if (match[2] === "s") own.succeeded += Number(value);
    else own.failed += Number(value);
    byCurrency[match[1] as string] = own;
  }
  return byCurrency ? { byCurrency } : {};
}

export function chunkItem(chunk: BatchChunk): Item {
  return {
    ...batchChunkKey(chunk.batchId, chunk.index),
    batch_id: chunk.batchId,
    merchant_id: chunk.merchantId,
    chunk_index: chunk.index,
    items: chunk.items.map((item) => ({
      id: item.id,
      destination: item.destination,
      amount: item.amount,
      description: item.description,
      ...(item.currency ? { currency: item.currency } : {}),
    })),
  };
}

export function resultsItem(results: readonly ItemResult[]): Item[] {
  return results.map((result) => ({
    status: result.status,
    failure_code: result.failureCode,
    payment: result.paymentId,
  }));
}

export function chunkFrom(item: Item): BatchChunk {
  const results = item.results as Item[] | undefined;
  return {
    batchId: String(item.batch_id),
    index: Number(item.chunk_index),
    merchantId: String(item.merchant_id),
    items: ((item.items as Item[]) ?? []).map(
      (raw): ChunkItem => ({
        id: String(raw.id),
        destination: String(raw.destination),
        amount: Number(raw.amount),
        description: (raw.description as string | null) ?? null,
        currency: (raw.currency as Currency | undefined) ?? null,
      }),
    ),
    results: results
      ? results.map(
          (raw): ItemResult => ({
            status: raw.status === "succeeded" || raw.status === "returned" ? raw.status : "failed",
            failureCode: (raw.failure_code as ItemResult["failureCode"]) ?? null,
            paymentId: (raw.payment as string | null) ?? null,
          }),
        )
      : null,
    processedAt: item.processed_at == null ? null : Number(item.processed_at),
  };
}
