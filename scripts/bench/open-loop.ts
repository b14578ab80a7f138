// Owns open-loop load generation with latency recorded in an HDR histogram. Each virtual client
// sends on a fixed schedule; latency is measured from when a request was *due*, not when it was
// sent, so a slow answer that delays the next request counts against the system (no coordinated
// omission, as in wrk2).
import { performance } from "node:perf_hooks";
import * as hdr from "hdr-histogram-js";

export interface LatencySummary {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function histogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

function summarize(h: ReturnType<typeof histogram>, errors: number, seconds: number): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    requests: h.totalCount,
    errors,
    perSecond: Math.round((h.totalCount / seconds) * 10) / 10,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}

/** Closed loop: `concurrency` clients back to back, to find the sustainable rate. */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  call: (client: number) => Promise<boolean>,
): Promise<LatencySummary> {
  const h = histogram();
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (performance.now() - start < durationMs) {
        const t0 = performance.now();
        const ok = await call(client);
        if (!ok) errors++;
        h.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      }
    }),
  );
  return summarize(h, errors, (performance.now() - start) / 1000);
}

/** Open loop at `ratePerSecond` spread over `concurrency` clients for `durationMs`. */
export async function openLoop(
  concurrency: number,
  ratePerSecond: number,
  durationMs: number,
  call: (client: number) => Promise<boolean>,
): Promise<LatencySummary> {
  const h = histogram();
  let errors = 0;
  const interval = (1000 * concurrency) / ratePerSecond;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      // Stagger clients so their schedules interleave evenly.
      let due = start + (interval * client) / concurrency;
      while (due - start < durationMs) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const ok = await call(client);
        if (!ok) errors++;
        h.recordValue(Math.max(1, Math.round((performance.now() - due) * 1000)));
        due += interval;
      }
    }),
  );
  return summarize(h, errors, (performance.now() - start) / 1000);
}
