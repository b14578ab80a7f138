import { riskWriteOf } from "../../lib/channels/channel.js";
import { newId } from "../../lib/domain/ids.js";
import { judgedOrder, paymentFrom } from "../../lib/domain/payments.js";
import { evaluateRisk } from "../../lib/domain/risk/evaluate.js";
import { commitLedgerPayment } from "../../lib/ledger/payments.js";
import type { LedgerStore } from "../../lib/ledger/records.js";
import { emulateConflicts, readCounts, resetCounts } from "../local/dynamo-counter.js";
import type { GcSummary } from "./gc-log.js";
import { type BenchCall, closedLoop, LatencyRecorder, type LatencySummary, openLoop } from "./open-loop.js";
import type { BenchTenant } from "./tenant.js";

export interface RealtimeOptions {
  concurrency: number;
  /** Open-loop time per workload, split over `rounds` slices. */
  durationMs: number;
  rounds: number;
  warmupMs: number;
  /** Offered rate as a fraction of the payments' closed-loop capacity at this concurrency. */
  load: number;
}

/** Where a call's time went, milliseconds (from Server-Timing): medians, and p99 of each phase. */
export interface TimeSplit {
  /** Parse, authenticate, validate (the handler before its work). */
  request: number;
  /** The work: for a payment, its one DynamoDB transaction as the handler saw it. */
  channel: number;
  /** Shaping the answer and the middlewares after the work. */
  response: number;
  /** Send-to-answer time minus the three: serverless-offline, HTTP and the client. */
  outside: number;
  p99: { request: number; channel: number; response: number; outside: number };
}

export interface RealtimeFigures {
  concurrency: number;
  /** Closed-loop payments per second at this concurrency (the most it sustains). */
  capacity: number;
  /** Offered rate of the open-loop runs, per second. */
  rate: number;
  payment: LatencySummary;
  noop: LatencySummary;
  /** The payment's transaction through the counting pass-through, as the handler sends it locally. */
  rawViaCounter: LatencySummary;
  /** The payment's transaction straight to DynamoDB Local. */
  rawDirect: LatencySummary;
  paymentSplit: TimeSplit;
  noopSplit: TimeSplit;
  /** serverless-offline's GC pauses over the whole measurement (warm-up and capacity probe included). */
  offlineGc?: GcSummary;
}

export interface RequestCountFigures {
  samples: number;
  /** DynamoDB requests by operation, per call (the same for every sample, or `varied` says so). */
  fresh: Record<string, number>;
  replay: Record<string, number>;
  declined: Record<string, number>;
  varied: string[];
}

class SplitRecorder {
  private readonly samples: Record<"request" | "channel" | "response" | "outside", number[]> = {
    request: [],
    channel: [],
    response: [],
    outside: [],
  };

  /** Records one answer's Server-Timing (`request;dur=1.2, channel;dur=3.4, response;dur=0.1`). */
  record(serverTiming: string | undefined, serviceMs: number): void {
    if (!serverTiming) return;
    const phases = Object.fromEntries(
      serverTiming.split(",").map((part) => {
        const [name, duration] = part.trim().split(";dur=");
        return [name, Number(duration)];
      }),
    );
    const inside = (phases.request ?? 0) + (phases.channel ?? 0) + (phases.response ?? 0);
    this.samples.request.push(phases.request ?? 0);
    this.samples.channel.push(phases.channel ?? 0);
    this.samples.response.push(phases.response ?? 0);
    this.samples.outside.push(serviceMs - inside);
  }

  summary(): TimeSplit {
    const at = (values: number[], fraction: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      const value = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
      return Math.round(value * 1000) / 1000;
    };
    const { request, channel, response, outside } = this.samples;
    return {
      request: at(request, 0.5),
      channel: at(channel, 0.5),
      response: at(response, 0.5),
      outside: at(outside, 0.5),
      p99: {
        request: at(request, 0.99),
        channel: at(channel, 0.99),
        response: at(response, 0.99),
        outside: at(outside, 0.99),
      },
    };
  }
}

/**
 * The payment's own transaction, straight to `store` with the SDK: client i pays within pair i. The
 * exact one the router sends: judged by the risk engine as a payment of a merchant without rules is
 * (nothing read), so its debit carries the same outflow counters' clauses.
 */
export function rawPayment(
  store: LedgerStore,
  merchantId: string,
  pairs: readonly { source: string; destination: string }[],
): BenchCall {
  return async (client) => {
    const now = Date.now();
    const pair = pairs[client]!;
    const asked = { id: newId("payment", now), merchantId, now, ...pair, amount: 1, currency: "USD" };
    const decision = evaluateRisk([], { amount: 1, destination: pair.destination, nowMs: now });
    if (decision.kind !== "pass")
      throw new Error(`bench: no rules, yet the risk engine said ${decision.kind}`);
    const order = judgedOrder(asked, decision);
    return commitLedgerPayment(
      store,
      paymentFrom(order, "succeeded", "ledger"),
      undefined,
      riskWriteOf(order),
    );
  };
}

export async function measureRealtime(
  tenant: BenchTenant,
  stores: { direct: LedgerStore; viaCounter: LedgerStore; counterUrl?: string },
  options: RealtimeOptions,
): Promise<RealtimeFigures> {
  const { concurrency } = options;
  // One wallet pair per client, so clients measure the API rather than contention on one item.
  const pairs = await Promise.all(
    Array.from({ length: concurrency }, () => tenant.walletPair(1_000_000_000)),
  );
  // Server-Timing is only collected during the measured runs, not the warm-up.
  let splits: { payment: SplitRecorder; noop: SplitRecorder } | undefined;
  const pay: BenchCall = async (client) => {
    const pair = pairs[client]!;
    const sent = performance.now();
    const answer = await tenant.post("/v1/payments", { ...pair, amount: 1, currency: "USD" });
    splits?.payment.record(answer.serverTiming, performance.now() - sent);
    return answer.status === 201;
  };
  const noop: BenchCall = async () => {
    const sent = performance.now();
    const answer = await tenant.get("/v1/ping");
    splits?.noop.record(answer.serverTiming, performance.now() - sent);
    return answer.status === 200;
  };
  const workloads = {
    payment: pay,
    noop,
    rawViaCounter: rawPayment(stores.viaCounter, tenant.merchantId, pairs),
    rawDirect: rawPayment(stores.direct, tenant.merchantId, pairs),
  };

  // Warm every path (JIT in DynamoDB Local's JVM and in the handlers, keep-alive sockets).
  for (const call of Object.values(workloads)) await closedLoop(concurrency, options.warmupMs, call);
  const capacity = await closedLoop(concurrency, options.warmupMs, pay);
  const rate = Math.max(1, Math.floor(capacity.perSecond * options.load));

  const recorders = Object.fromEntries(
    Object.keys(workloads).map((name) => [name, new LatencyRecorder()]),
  ) as Record<keyof typeof workloads, LatencyRecorder>;
  splits = { payment: new SplitRecorder(), noop: new SplitRecorder() };
  const slice = options.durationMs / options.rounds;
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, call] of Object.entries(workloads)) {
      // The raw floor through the pass-through is DynamoDB Local's own answer: conflicts off (its
      // pairs are distinct, so they would not conflict, but the floor should not even look).
      const raw = name === "rawViaCounter" && stores.counterUrl;
      if (raw) await emulateConflicts(stores.counterUrl as string, false);
      await openLoop(concurrency, rate, slice, call, recorders[name as keyof typeof workloads]);
      if (raw) await emulateConflicts(stores.counterUrl as string, true);
    }
  }
  const summary = (name: keyof typeof workloads) => {
    const result = recorders[name].summary();
    recorders[name].destroy();
    return result;
  };
  return {
    concurrency,
    capacity: capacity.perSecond,
    rate,
    payment: summary("payment"),
    noop: summary("noop"),
    rawViaCounter: summary("rawViaCounter"),
    rawDirect: summary("rawDirect"),
    paymentSplit: splits.payment.summary(),
    noopSplit: splits.noop.summary(),
  };
}

/**
 * DynamoDB requests per call, counted at the pass-through in front of DynamoDB Local (every request
 * a handler makes goes through it). Nothing else talks to DynamoDB meanwhile: the scheduler is off
 * and no batch is in flight.
 */
export async function countRequests(
  tenant: BenchTenant,
  counterUrl: string,
  samples = 5,
): Promise<RequestCountFigures> {
  const pair = await tenant.walletPair(1_000);
  const body = { ...pair, amount: 1, currency: "USD" };
  // Warm the container, its key cache and its account directory.
  await tenant.post("/v1/payments", body);
  const measure = async (what: string, expected: number, send: () => Promise<{ status: number }>) => {
    await resetCounts(counterUrl);
    const answer = await send();
    if (answer.status !== expected) throw new Error(`bench: ${what} answered ${answer.status}`);
    return (await readCounts(counterUrl)).operations;
  };
  const seen: Record<"fresh" | "replay" | "declined", Record<string, number>[]> = {
    fresh: [],
    replay: [],
    declined: [],
  };
  for (let i = 0; i < samples; i++) {
    const key = `bench-${Date.now()}-${i}`;
    seen.fresh.push(await measure("fresh payment", 201, () => tenant.post("/v1/payments", body, key)));
    seen.replay.push(await measure("replay", 201, () => tenant.post("/v1/payments", body, key)));
    seen.declined.push(
      await measure("declined payment", 402, () =>
        tenant.post("/v1/payments", { ...body, amount: 1_000_000 }, `${key}-declined`),
      ),
    );
  }
  const varied = Object.entries(seen)
    .filter(([, runs]) => new Set(runs.map((run) => JSON.stringify(sorted(run)))).size > 1)
    .map(([name]) => name);
  return { samples, fresh: seen.fresh[0]!, replay: seen.replay[0]!, declined: seen.declined[0]!, varied };
}

function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
