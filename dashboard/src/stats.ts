// Owns the small statistics the pages show: nearest-rank percentiles and per-minute counts.

/** Nearest-rank percentile of `values` (p in 0..100); undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Counts of `times` (unix seconds) per minute over the `minutes` minutes ending at `now`. */
export function perMinute(times: readonly number[], now: number, minutes: number): number[] {
  const counts = new Array<number>(minutes).fill(0);
  const start = now - minutes * 60;
  for (const time of times) {
    if (time < start || time > now) continue;
    const index = Math.min(minutes - 1, Math.floor((time - start) / 60));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}
