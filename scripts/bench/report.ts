// Owns BENCHMARKS.md: the measured figures of one run, each beside its floor with the ratio, the
// targets met or missed, the machine and its load; then the hand-written notes (notes.md beside
// this file), copied as they are so a re-run never loses them.
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../local/project.js";
import type { BatchRun } from "./batch.js";
import { renderHotAccounts } from "./hot-accounts.js";
import type { LatencySummary } from "./open-loop.js";
import type { ForeignLoad } from "./proc-stats.js";
import { total } from "./realtime.js";
import type { BatchPhase, BenchResults, PhaseResources } from "./run.js";

const NOTES = join(PROJECT_ROOT, "scripts", "bench", "notes.md");

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const pct = (n: number) => `${Math.round(n * 100)}%`;
const verdict = (met: boolean) => (met ? "**met**" : "**missed**");

interface Target {
  name: string;
  measured: string;
  floor: string;
  ratio: string;
  met: boolean;
}

function foreign(phase: string, load: ForeignLoad): string {
  const seen = load.seen.length > 0 ? ` (seen: ${load.seen.slice(0, 5).join("; ")})` : "";
  return `${f2(load.othersCores)} cores during the ${phase}${seen}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function peakOf(resources: PhaseResources, name: string): number | undefined {
  return resources.memory.find((m) => m.name === name)?.peakMiB;
}

const OFFLINE = "serverless-offline";
const JVM = "DynamoDB Local (JVM)";

function targets(r: BenchResults): Target[] {
  const list: Target[] = [];
  const c1 = r.realtime.find((figures) => figures.concurrency === 1);
  if (c1) {
    const floor = c1.noop.p50 + c1.rawViaCounter.p50;
    list.push({
      name: "Real-time p50 at concurrency 1 within 1 ms of no-op p50 + raw transaction p50",
      measured: `${f2(c1.payment.p50)} ms (service time p50 ${f2(c1.payment.service.p50)} ms)`,
      floor: `${f2(c1.noop.p50)} + ${f2(c1.rawViaCounter.p50)} = ${f2(floor)} ms (limit ${f2(floor + 1)} ms)`,
      ratio: `${f2(c1.payment.p50 / floor)}× (${c1.payment.p50 - floor >= 0 ? "+" : ""}${f2(c1.payment.p50 - floor)} ms)`,
      met: c1.payment.p50 <= floor + 1,
    });
  }
  const c16 = r.realtime.find((figures) => figures.concurrency === 16);
  if (c16) {
    list.push({
      name: "Real-time p99 under 3× p50 at concurrency 16",
      measured: `p99 ${f2(c16.payment.p99)} ms`,
      floor: `3 × p50 ${f2(c16.payment.p50)} = ${f2(3 * c16.payment.p50)} ms`,
      ratio: `p99 = ${f2(c16.payment.p99 / c16.payment.p50)}× p50 (floors' own: no-op ${f2(c16.noop.p99 / c16.noop.p50)}×, transaction ${f2(c16.rawViaCounter.p99 / c16.rawViaCounter.p50)}×, direct ${f2(c16.rawDirect.p99 / c16.rawDirect.p50)}×)`,
      met: c16.payment.p99 < 3 * c16.payment.p50,
    });
  }
  const fresh = total(r.counts.fresh);
  list.push({
    name: "Exactly 1 DynamoDB request for a successful ledger payment",
    measured: `${fresh} (${describeCounts(r.counts.fresh)})`,
    floor: "1",
    ratio: `${fresh}×`,
    met: fresh === 1 && r.counts.varied.length === 0,
  });
  const ratio = r.batch.run.itemsPerSecond / r.batch.raw.itemsPerSecond;
  list.push({
    name: `${int(r.batch.run.items)}-item batch at ≥ 60% of raw transactional write throughput`,
    measured: `${int(r.batch.run.itemsPerSecond)} items/s${samplesNote(r.batch)}`,
    floor: `${int(r.batch.raw.itemsPerSecond)} items/s raw`,
    ratio: pct(ratio),
    met: ratio >= 0.6,
  });
  const sustained = r.big.run.itemsPerSecond / r.batch.run.itemsPerSecond;
  list.push({
    name: `${int(r.big.run.items)} items at no lower rate than ${int(r.batch.run.items)}`,
    measured: `${int(r.big.run.itemsPerSecond)} items/s`,
    floor: `${int(r.batch.run.itemsPerSecond)} items/s`,
    ratio: pct(sustained),
    met: sustained >= 1,
  });
  // The handlers' process is what a Lambda container would hold; DynamoDB Local stores the data in
  // memory and the bench process holds the emulated queue and the load generator (both in the table).
  {
    const small = peakOf(r.batch.resources, OFFLINE);
    const large = peakOf(r.big.resources, OFFLINE);
    if (small !== undefined && large !== undefined)
      list.push({
        name: `Flat memory: serverless-offline (the handlers) peak RSS over ${int(r.big.run.items)} items within 20% of its peak over ${int(r.batch.run.items)}`,
        measured: `${f1(large)} MiB`,
        floor: `${f1(small)} MiB`,
        ratio: `${f2(large / small)}×`,
        met: large <= small * 1.2,
      });
  }
  const post = r.batch.run.postMs[0] ?? Number.NaN;
  list.push({
    name: `POST of ${int(r.batch.run.items)} items answered in < 1 s (nothing else running)`,
    measured: `${int(post)} ms`,
    floor: "1,000 ms",
    ratio: `${f2(post / 1000)}×`,
    met: post < 1000,
  });
  const busiest = Math.max(...r.big.run.postMs);
  list.push({
    name: `… and while earlier batches are being paid (slowest of the large run's ${r.big.run.batches} POSTs)`,
    measured: `${int(busiest)} ms (median ${int(median(r.big.run.postMs))} ms)`,
    floor: "1,000 ms",
    ratio: `${f2(busiest / 1000)}×`,
    met: busiest < 1000,
  });
  return list;
}

/** " (median of 3 runs: a, b, c items/s)" when the phase was run more than once. */
function samplesNote(phase: BatchPhase): string {
  const samples = phase.samples ?? [];
  return samples.length > 1
    ? ` (median of ${samples.length} runs: ${samples.map((value) => int(value)).join(", ")} items/s)`
    : "";
}

/** When each batch of the large run completed, and the rate between consecutive completions. */
function batchCadence(run: BatchRun): string {
  const done = [...run.completedAtMs].sort((a, b) => a - b);
  const perBatch = run.items / run.batches;
  const rates = done.slice(1).map((at, i) => perBatch / ((at - (done[i] ?? 0)) / 1000));
  if (rates.length === 0) return "";
  const half = Math.floor(rates.length / 2);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return `Linearity inside the large run: its batches completed at ${done.map((at) => f1(at / 1000)).join(", ")} s after the first POST (one after another: the consumers take chunks roughly in queue order). Between consecutive completions the rate was ${rates.map((rate) => int(rate)).join(", ")} items/s; the first half of those intervals averaged ${int(mean(rates.slice(0, half)))} items/s, the second half ${int(mean(rates.slice(half)))} items/s, with the table ${int(run.items)} payments larger by the end. The first batch took longest because the ten POSTs were stored while it was paid.`;
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([op, n]) => `${op} ${n}`).join(", ");
}

function latencyRow(name: string, s: LatencySummary, floor?: number): string {
  return `| ${name} | ${f2(s.p50)} | ${f2(s.p90)} | ${f2(s.p99)} | ${f2(s.max)} | ${f1(s.perSecond)} | ${s.errors} | ${f2(s.service.p50)} / ${f2(s.service.p99)} | ${floor === undefined ? "" : `${f2(s.p50 / floor)}×`} |`;
}

function splitRow(
  name: string,
  split: { request: number; channel: number; response: number; outside: number },
): string {
  return `| ${name} | ${f2(split.request)} | ${f2(split.channel)} | ${f2(split.response)} | ${f2(split.outside)} |`;
}

function resourcesTable(phase: string, resources: PhaseResources): string[] {
  const rows = resources.memory.map((m) => {
    const cpu = resources.cpu.find((c) => c.pid === m.pid);
    const profile = resources.rssProfile.find((p) => p.pid === m.pid);
    return `| ${m.name} | ${f1(m.peakMiB)} | ${profile ? `${f1(profile.firstMiB)} → ${f1(profile.lastMiB)}` : ""} | ${cpu ? `${f1(cpu.cpuSeconds)} s (${f2(cpu.cores)} cores)` : ""} |`;
  });
  return [
    `| Process (${phase}) | Peak RSS, MiB | RSS start → end, MiB | CPU |`,
    "|---|---:|---:|---:|",
    ...rows,
  ];
}

export function renderReport(r: BenchResults): string {
  const machine = cpus();
  const minutes = (r.finishedAt.getTime() - r.startedAt.getTime()) / 60_000;
  const s = r.settings;
  const lines: string[] = [
    "# Benchmarks",
    "",
    "<!-- Written by `npm run bench` (scripts/bench/run.ts). Edit scripts/bench/notes.md, not this file: the part above the notes is regenerated on every run. -->",
    "",
    `- **Date:** ${r.startedAt.toISOString()} (run took ${f1(minutes)} min)`,
    `- **Command:** \`npm run bench${s.quick ? ":quick" : ""}\``,
    `- **Machine:** ${machine[0]?.model ?? "unknown CPU"}, ${machine.length} cores, ${f1(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}`,
    `- **Node:** ${process.version}`,
    `- **Stack:** DynamoDB Local (in memory) behind the request-counting pass-through, serverless-offline (in-process handlers, \`POWERTOOLS_LOG_LEVEL=WARN\`, \`POWERTOOLS_METRICS_DISABLED=true\`, \`SLS_LOG_LEVEL=warning\` so serverless-offline prints no line per request), fauxqs and ${s.pollers} SQS poll loops per queue in the bench process; started in ${f1(r.stackStartMs / 1000)} s`,
    `- **Machine load:** load average ${r.load.before.map(f2).join(" / ")} before, ${r.load.after.map(f2).join(" / ")} after (1/5/15 min). CPU used by processes outside this run (other engineers' test suites): ${foreign("real-time runs", r.load.realtime)}; ${foreign(`${int(r.batch.run.items)}-item batch and its floor`, r.load.batch)}; ${foreign(`${int(r.big.run.items)}-item run and its floor`, r.load.big)}`,
    `- **Settings:** real-time ${int(s.realtimeMs)} ms open loop per workload in ${s.rounds} interleaved slices, ${int(s.warmupMs)} ms warm-up, offered load ${pct(s.load)} of the closed-loop capacity; batches of ${int(s.batchItems)} items, ${s.bigBatches} of them for the large run, ${int(s.destinations)} destination wallets; consumers ${s.pollers} poll loops × ${r.itemsBatchSize} messages = ${r.consumerConcurrency} chunks in flight; batch status polled every ${s.pollEveryMs} ms`,
    "",
    "## Targets",
    "",
    "| Target | Measured | Floor | Ratio | Result |",
    "|---|---|---|---|---|",
    ...targets(r).map((t) => `| ${t.name} | ${t.measured} | ${t.floor} | ${t.ratio} | ${verdict(t.met)} |`),
    "",
    "## Real-time payments",
    "",
    "Open loop: each client sends on a fixed schedule at the offered rate, and latency is measured from when a request was *due*, so a stall that delays later requests counts against the system (no coordinated omission). The service column is send-to-answer time, without the wait behind a late predecessor. The four workloads ran in interleaved slices of the same run, at the same concurrency and rate. Milliseconds.",
    "",
  ];
  for (const figures of r.realtime) {
    const floor = figures.noop.p50 + figures.rawViaCounter.p50;
    lines.push(
      `### Concurrency ${figures.concurrency}: ${f1(figures.rate)} requests/s offered (closed-loop payment capacity ${f1(figures.capacity)}/s)`,
      "",
      "| Workload | p50 | p90 | p99 | max | done/s | errors | service p50 / p99 | p50 vs. floor |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      latencyRow("POST /v1/payments (ledger payment)", figures.payment, floor),
      latencyRow("Floor 1: GET /v1/ping (authenticated no-op, same HTTP stack)", figures.noop),
      latencyRow(
        "Floor 2: the payment's TransactWriteItems via the counting pass-through",
        figures.rawViaCounter,
      ),
      latencyRow("(the same transaction straight to DynamoDB Local)", figures.rawDirect),
      "",
      `Floor = no-op p50 + raw transaction p50 (through the pass-through, the path the handler's request takes locally) = ${f2(floor)} ms; with the direct transaction it would be ${f2(figures.noop.p50 + figures.rawDirect.p50)} ms.`,
      "",
      "Where the time goes, from each answer's Server-Timing header (ms; each phase's own p50 and p99, so the columns do not add up to the totals above; *outside* = send-to-answer time minus the handler's three phases: serverless-offline's invocation, HTTP and the client):",
      "",
      "| Call | request (parse, auth, validate) | channel (the work) | response | outside the handler |",
      "|---|---:|---:|---:|---:|",
      splitRow("Payment, p50", figures.paymentSplit),
      splitRow("Payment, p99", figures.paymentSplit.p99),
      splitRow("No-op, p50", figures.noopSplit),
      splitRow("No-op, p99", figures.noopSplit.p99),
      "",
    );
    const gc = figures.offlineGc;
    if (gc && gc.pauses > 0) {
      lines.push(
        `serverless-offline's garbage collector (gc-probe.cjs) paused the handlers' process ${int(gc.pauses)} times in the ${f1(gc.windowMs / 1000)} s of these measurements (warm-up and capacity probe included): p50 ${f1(gc.p50Ms)} ms, max ${f1(gc.maxMs)} ms, ${int(gc.over5Ms)} pauses of 5 ms or more, ${f1(gc.totalMs)} ms in all (${pct(gc.totalMs / gc.windowMs)} of the time). Every invocation in flight waits out a pause; in AWS each of the 16 would be in its own container.`,
        "",
      );
    }
  }
  const c = r.counts;
  lines.push(
    "## DynamoDB requests per call",
    "",
    `Counted at the pass-through every handler request goes through, ${c.samples} samples each, nothing else running${c.varied.length ? `; **varied between samples:** ${c.varied.join(", ")}` : "; identical in every sample"}. Each call carried an Idempotency-Key.`,
    "",
    "| Call | Requests | By operation |",
    "|---|---:|---|",
    `| Fresh ledger payment (201) | ${total(c.fresh)} | ${describeCounts(c.fresh)} |`,
    `| Idempotent replay (201, stored answer) | ${total(c.replay)} | ${describeCounts(c.replay)} |`,
    `| Declined payment, insufficient funds (402) | ${total(c.declined)} | ${describeCounts(c.declined)} |`,
    "",
    ...(r.hot
      ? [
          "## Hot accounts (transaction conflicts emulated)",
          "",
          "The local DynamoDB pass-through cancels a transaction touching an item another in-flight transaction holds, as DynamoDB in AWS does (scripts/local/conflict-emulator.ts); on for `npm start`, the tests and every row below.",
          "",
          renderHotAccounts(r.hot),
        ]
      : []),
    "## Batches",
    "",
    `Paid from one source wallet to ${int(s.destinations)} destination wallets (item n → wallet n mod ${int(s.destinations)}, 1 minor unit each), POSTed through HTTP, released and paid by the local SQS pollers invoking the item-consume Lambda; timed from just before the first POST until GET /v1/batches/{id} read \`completed\` for every batch (polled every ${s.pollEveryMs} ms). The floor is DynamoDB Local's own throughput for the same chunk transactions (commitChunk: results + 25 payment puts + 25 destination credits + counter shard = 52 actions), sent straight with the SDK, ${r.consumerConcurrency} in flight as the consumers have, in the same run just before.`,
    "",
    "| Run | Items | POST answered | Time to all completed | Items/s | Raw floor items/s | Ratio |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  const slowestAt = r.big.run.postMs.indexOf(Math.max(...r.big.run.postMs));
  const slowest = { ms: r.big.run.postMs[slowestAt] ?? 0, timing: r.big.run.postServerTiming[slowestAt] };
  for (const [name, phase] of [
    [`One batch${samplesNote(r.batch)}`, r.batch],
    [`${r.big.run.batches} batches`, r.big],
  ] as const) {
    const posts =
      phase.run.postMs.length === 1
        ? `${int(phase.run.postMs[0] ?? 0)} ms`
        : `median ${int(median(phase.run.postMs))} ms, max ${int(Math.max(...phase.run.postMs))} ms`;
    lines.push(
      `| ${name} | ${int(phase.run.items)} (${int(phase.run.succeeded)} succeeded, ${int(phase.run.failed)} failed) | ${posts} | ${f1(phase.run.elapsedMs / 1000)} s | ${int(phase.run.itemsPerSecond)} | ${int(phase.raw.itemsPerSecond)} | ${pct(phase.run.itemsPerSecond / phase.raw.itemsPerSecond)} |`,
    );
  }
  lines.push("", batchCadence(r.big.run));
  lines.push(
    "",
    "Raw floor detail (chunk transactions of 52 actions, closed loop):",
    "",
    "| Raw run | Transactions | Sent (conflict retries included) | Transactions/s | Latency p50 / p99 / max, ms |",
    "|---|---:|---:|---:|---:|",
    ...[r.batch.raw, r.big.raw].map(
      (raw) =>
        `| ${int(raw.items)} items, ${raw.concurrency} in flight | ${int(raw.transactions)} | ${int(raw.attempts)} | ${f1(raw.transactionsPerSecond)} | ${f1(raw.latency.p50)} / ${f1(raw.latency.p99)} / ${f1(raw.latency.max)} |`,
    ),
    "",
    `The POST of ${int(r.batch.run.items)} items (${f1(r.batch.run.postBytes / 1024)} KiB) answered in ${int(r.batch.run.postMs[0] ?? 0)} ms with nothing else running; its Server-Timing: \`${r.batch.run.postServerTiming[0] ?? "none"}\`. The slowest POST of the large run, sent while earlier batches were being paid, answered in ${int(slowest.ms)} ms: \`${slowest.timing ?? "none"}\` (request = JSON body parse and authentication; channel = schema validation, storing ${int(Math.ceil(r.batch.run.items / 25))} chunks and the header, and sending the release message; outside = serverless-offline receiving the body and building the event).`,
  );
  const chunks = (items: number) => Math.ceil(items / 25);
  const jvmMsPerChunk = (resources: PhaseResources, items: number) => {
    const cpu = resources.cpu.find((c) => c.name === JVM);
    return cpu ? `${f1((cpu.cpuSeconds * 1000) / chunks(items))} ms` : "n/a";
  };
  lines.push(
    "",
    `DynamoDB Local's CPU per chunk of 25 items (its JVM's CPU time over the run ÷ chunks): raw floor ${jvmMsPerChunk(r.batch.rawResources, r.batch.raw.items)} and ${jvmMsPerChunk(r.big.rawResources, r.big.raw.items)}; through the API ${jvmMsPerChunk(r.batch.resources, r.batch.run.items)} and ${jvmMsPerChunk(r.big.resources, r.big.run.items)} (${int(r.batch.run.items)} / ${int(r.big.run.items)} items).`,
  );
  lines.push(
    "",
    `DynamoDB requests the handlers made per chunk of 25 items (POST, release, consumers and status polls included): ${f2(total(r.batch.run.dynamoRequests) / chunks(r.batch.run.items))} for one batch (${describeCounts(r.batch.run.dynamoRequests)}); ${f2(total(r.big.run.dynamoRequests) / chunks(r.big.run.items))} for the large run (${describeCounts(r.big.run.dynamoRequests)}).`,
    "",
    "### Memory and CPU per process",
    "",
    `Peak RSS is VmHWM, reset at the start of each run (${r.batch.resources.peaksReset ? "clear_refs accepted" : "**reset refused: peaks are since process start**"}); RSS start → end from samples every second. DynamoDB Local runs \`-inMemory\`, so its memory grows with the data stored by design.`,
    "",
    ...resourcesTable(`${int(r.batch.run.items)} items`, r.batch.resources),
    "",
    ...resourcesTable(`${int(r.big.run.items)} items`, r.big.resources),
    "",
    "## Cold start",
    "",
  );
  const cold = r.coldStart;
  if (cold === undefined) lines.push("Skipped (BENCH_COLD_START=0).");
  else if ("error" in cold) lines.push(`**Failed:** ${cold.error}`);
  else {
    lines.push(
      "`npm start` spawned as its own process group with PORT on a free port and a fresh data directory, after the benchmark stack had stopped; the first payment uses the demo merchant and wallets it prints. Stopped with SIGINT to its group.",
      "",
      "| Milestone | From spawn |",
      "|---|---:|",
      `| "stack ready" printed | ${f1(cold.readyMs / 1000)} s |`,
      `| demo merchant and wallets printed (first requests through HTTP) | ${f1(cold.seededMs / 1000)} s |`,
      `| **first payment answered 201** (its own round trip ${int(cold.paymentRoundTripMs)} ms) | **${f1(cold.firstPaymentMs / 1000)} s** |`,
      "",
      `Components as npm start reported them (each from its own start): ${cold.components.map((component) => `${component.name} ${f1(component.ms / 1000)} s`).join(", ")}.`,
    );
  }
  lines.push("", "---", "");
  let notes = "";
  try {
    notes = readFileSync(NOTES, "utf8");
  } catch {
    notes = "_(scripts/bench/notes.md is missing.)_\n";
  }
  return `${lines.join("\n")}\n${notes}`;
}
