// Owns load generation with latency recorded in HDR histograms. In the open loop each virtual
// client sends on a fixed schedule and latency is measured from when a request was *due*, not when
// it was sent, so a slow answer that delays the next request counts against the system (no
// coordinated omission, as in wrk2). The service time (from send to answer) is kept beside it: a
// large gap between the two means requests queued behind a stall.
import { performance } from "node:perf_hooks";
import * as hdr from "hdr-histogram-js";

export interface LatencySummary {
  /** Requests answered (errors included). */
  requests: number;
  /** Calls that threw or answered something other than success. */
  errors: number;
  /** Answers per second over the run. */
  perSecond: number;
  /** Milliseconds, from due time (open loop) or send time (closed loop). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Milliseconds from send to answer, the same percentiles (no queueing at the client). */
  service: { p50: number; p90: number; p99: number; max: number };
}

/** One call of the system under test: true on success. A throw counts as an error. */
export type BenchCall = (client: number) => Promise<boolean>;

type Histogram = ReturnType<typeof histogram>;

function histogram() {
  // Microseconds, 1 µs to 120 s, 3 significant digits.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

const ms = (us: number) => Math.round(us) / 1000;

function percentiles(h: Histogram) {
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}

/**
 * Collects the latencies of one workload, possibly over several runs (the benchmark interleaves
 * short runs of a workload and its floors, so a burst of load from elsewhere hits all of them).
 */
export class LatencyRecorder {
  private readonly latency = histogram();
  private readonly service = histogram();
  private errors = 0;
  private seconds = 0;

  record(dueMs: number, sentMs: number, answeredMs: number, ok: boolean): void {
    this.latency.recordValue(Math.max(1, Math.round((answeredMs - dueMs) * 1000)));
    this.service.recordValue(Math.max(1, Math.round((answeredMs - sentMs) * 1000)));
    if (!ok) this.errors++;
  }

  addElapsed(seconds: number): void {
    this.seconds += seconds;
  }

  summary(): LatencySummary {
    return {
      requests: this.latency.totalCount,
      errors: this.errors,
      perSecond: this.seconds > 0 ? Math.round((this.latency.totalCount / this.seconds) * 10) / 10 : 0,
      ...percentiles(this.latency),
      service: percentiles(this.service),
    };
  }

  destroy(): void {
    this.latency.destroy();
    this.service.destroy();
  }
}

async function succeeded(call: BenchCall, client: number): Promise<boolean> {
  try {
    return await call(client);
  } catch {
    return false;
  }
}

/** Closed loop: `concurrency` clients back to back, to find the sustainable rate. */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  call: BenchCall,
): Promise<LatencySummary> {
  const recorder = new LatencyRecorder();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      while (performance.now() - start < durationMs) {
        const sent = performance.now();
        const ok = await succeeded(call, client);
        recorder.record(sent, sent, performance.now(), ok);
      }
    }),
  );
  recorder.addElapsed((performance.now() - start) / 1000);
  const summary = recorder.summary();
  recorder.destroy();
  return summary;
}

/**
 * Open loop at `ratePerSecond` spread evenly over `concurrency` clients for `durationMs`, recorded
 * into `recorder`. A client has at most one request in flight, so at most `concurrency` are
 * outstanding at once; a late answer makes the client's next request late, and that lateness is
 * part of the next request's latency.
 */
export async function openLoop(
  concurrency: number,
  ratePerSecond: number,
  durationMs: number,
  call: BenchCall,
  recorder: LatencyRecorder,
): Promise<void> {
  const interval = (1000 * concurrency) / ratePerSecond;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      // Stagger clients so their schedules interleave evenly.
      let due = start + (interval * client) / concurrency;
      while (due - start < durationMs) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sent = performance.now();
        const ok = await succeeded(call, client);
        recorder.record(due, sent, performance.now(), ok);
        due += interval;
      }
    }),
  );
  recorder.addElapsed((performance.now() - start) / 1000);
}
