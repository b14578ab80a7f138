// Owns the throughput samples of batches this tab has watched: each poll of a batch records how many
// items were done at that moment, so the detail page can chart items/s over time. Kept in memory for
// the tab's life (a batch's items carry no per-item timestamps finer than a second).
import type { Batch } from "./payrail.js";

export interface Sample {
  /** Milliseconds since the epoch, when the answer arrived. */
  at: number;
  done: number;
}

const samples = new Map<string, Sample[]>();

export function recordBatch(batch: Batch, at = Date.now()): void {
  const list = samples.get(batch.id) ?? [];
  const done = batch.counts.succeeded + batch.counts.failed;
  const last = list.at(-1);
  if (last && last.done === done && list.length > 1 && list.at(-2)?.done === done) {
    last.at = at; // a flat stretch keeps two points, not one per poll
  } else {
    list.push({ at, done });
  }
  samples.set(batch.id, list);
}

/** Items per second between consecutive samples, stamped at the end of each interval (seconds). */
export function throughputOf(batchId: string): { times: number[]; rates: number[] } {
  const list = samples.get(batchId) ?? [];
  const times: number[] = [];
  const rates: number[] = [];
  for (let i = 1; i < list.length; i++) {
    const previous = list[i - 1]!;
    const current = list[i]!;
    const seconds = (current.at - previous.at) / 1000;
    if (seconds <= 0) continue;
    times.push(current.at / 1000);
    rates.push((current.done - previous.done) / seconds);
  }
  return { times, rates };
}
