// Owns the hot-account rows of the benchmark, with AWS's transaction conflicts emulated at the
// DynamoDB pass-through (as for `npm start` and the tests): closed-loop payments/s at one concurrency
// for distinct wallet pairs, a hot destination (every client pays one wallet) and a hot source (one
// wallet pays every client's destination), in interleaved slices of the same run; and a batch paying
// one payee every item against a batch spread over many payees. Every answer's status is counted:
// the targets want no 5xx and no batch item failed (processing_error or otherwise).
//
// `npm run bench:hot` runs only these rows on a stack of its own and prints them as Markdown.
import { readCounts, resetCounts } from "../local/dynamo-counter.js";
import { type BatchRun, runBatches } from "./batch.js";
import { type BenchCall, closedLoop } from "./open-loop.js";
import type { BenchTenant } from "./tenant.js";

export type HotWorkload = "distinct" | "hotDestination" | "hotSource";

export interface HotWorkloadFigures {
  payments: number;
  perSecond: number;
  /** Answers by HTTP status ("201": n, ...); anything but 201 is an error here. */
  statuses: Record<string, number>;
  /** Requests the pass-through answered with a conflict while this workload ran, by operation. */
  conflicts: Record<string, number>;
}

export interface HotBatchFigures {
  run: BatchRun;
  /** Items of the run's batches that failed, by failure code (the target: none). */
  failedByCode: Record<string, number>;
  conflicts: Record<string, number>;
}

export interface HotAccountFigures {
  concurrency: number;
  sliceMs: number;
  rounds: number;
  realtime: Record<HotWorkload, HotWorkloadFigures>;
  batchItems: number;
  payees: number;
  /** One entry per run, interleaved: many payees, single payee, many payees, ... */
  manyPayees: HotBatchFigures[];
  singlePayee: HotBatchFigures[];
}

export interface HotAccountOptions {
  concurrency: number;
  /** Closed-loop time per workload per round. */
  sliceMs: number;
  rounds: number;
  warmupMs: number;
  batchItems: number;
  batchRuns: number;
  pollEveryMs: number;
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
};

export async function measureHotAccounts(
  tenant: BenchTenant,
  counterUrl: string,
  payees: readonly string[],
  options: HotAccountOptions,
): Promise<HotAccountFigures> {
  const { concurrency } = options;
  const funds = 1_000_000_000;
  const pairs = await Promise.all(Array.from({ length: concurrency }, () => tenant.walletPair(funds)));
  const hotWallet = await tenant.wallet(funds);
  const route: Record<HotWorkload, (client: number) => { source: string; destination: string }> = {
    distinct: (client) => pairs[client] as { source: string; destination: string },
    // 16 sources to 1 wallet: every client's own source pays the one hot wallet.
    hotDestination: (client) => ({ source: pairs[client]?.source as string, destination: hotWallet }),
    // 1 wallet to 16 destinations: the hot wallet pays every client's own destination.
    hotSource: (client) => ({ source: hotWallet, destination: pairs[client]?.destination as string }),
  };
  const figures = Object.fromEntries(
    Object.keys(route).map((name) => [name, { payments: 0, perSecond: 0, statuses: {}, conflicts: {} }]),
  ) as Record<HotWorkload, HotWorkloadFigures & { seconds?: number }>;
  const seconds: Record<string, number> = {};
  const call =
    (name: HotWorkload, statuses: Record<string, number> | undefined): BenchCall =>
    async (client) => {
      const answer = await tenant.post("/v1/payments", {
        ...route[name](client),
        amount: 1,
        currency: "USD",
      });
      if (statuses) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      return answer.status === 201;
    };
  for (const name of Object.keys(route) as HotWorkload[])
    await closedLoop(concurrency, options.warmupMs, call(name, undefined));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of Object.keys(route) as HotWorkload[]) {
      await resetCounts(counterUrl);
      const summary = await closedLoop(concurrency, options.sliceMs, call(name, figures[name].statuses));
      add(figures[name].conflicts, (await readCounts(counterUrl)).conflicts);
      figures[name].payments += summary.requests;
      seconds[name] = (seconds[name] ?? 0) + summary.requests / summary.perSecond;
    }
  }
  for (const name of Object.keys(route) as HotWorkload[])
    figures[name].perSecond = figures[name].payments / (seconds[name] ?? 1);

  // Batches: the many-payee one pays item n to payee n mod payees, the single-payee one pays the one
  // hot wallet every time; both from one source, one after another, interleaved.
  const source = await tenant.wallet(options.batchItems * options.batchRuns * 2);
  const singlePayee = await tenant.wallet(0);
  const batchRun = async (destinations: readonly string[]): Promise<HotBatchFigures> => {
    const run = await runBatches(tenant, counterUrl, source, destinations, 1, options.batchItems, {
      pollEveryMs: options.pollEveryMs,
      timeoutMs: 30 * 60_000,
    });
    const conflicts = (await readCounts(counterUrl)).conflicts;
    return { run, failedByCode: run.failed > 0 ? await failedCodes(tenant) : {}, conflicts };
  };
  const many: HotBatchFigures[] = [];
  const single: HotBatchFigures[] = [];
  for (let run = 0; run < options.batchRuns; run++) {
    many.push(await batchRun(payees));
    single.push(await batchRun([singlePayee]));
  }
  return {
    concurrency,
    sliceMs: options.sliceMs,
    rounds: options.rounds,
    realtime: figures,
    batchItems: options.batchItems,
    payees: payees.length,
    manyPayees: many,
    singlePayee: single,
  };
}

/** Failure codes of the failed items of the tenant's newest batch. */
async function failedCodes(tenant: BenchTenant): Promise<Record<string, number>> {
  const newest = await tenant.get("/v1/batches?limit=1");
  const id = newest.body?.data?.[0]?.id as string;
  const codes: Record<string, number> = {};
  let after: string | undefined;
  for (;;) {
    const page = await tenant.get(
      `/v1/batches/${id}/items?status=failed&limit=100${after ? `&starting_after=${after}` : ""}`,
    );
    for (const item of page.body.data as { id: string; failure_code: string | null }[]) {
      const code = item.failure_code ?? "unknown";
      codes[code] = (codes[code] ?? 0) + 1;
    }
    if (!page.body.has_more) return codes;
    after = page.body.data.at(-1)?.id;
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (n: number) => `${Math.round(n * 100)}%`;
const statusText = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([status, n]) => `${status}: ${fmt(n)}`)
    .join(", ");
const conflictText = (conflicts: Record<string, number>) =>
  Object.entries(conflicts)
    .map(([operation, n]) => `${operation} ${fmt(n)}`)
    .join(", ") || "0";
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The rows as Markdown: the targets table, then the detail. */
export function renderHotAccounts(figures: HotAccountFigures): string {
  const { realtime } = figures;
  const base = realtime.distinct.perSecond;
  const fivexx = (statuses: Record<string, number>) =>
    Object.entries(statuses)
      .filter(([status]) => status.startsWith("5"))
      .reduce((total, [, n]) => total + n, 0);
  const manyRate = median(figures.manyPayees.map((f) => f.run.itemsPerSecond));
  const singleRate = median(figures.singlePayee.map((f) => f.run.itemsPerSecond));
  const allBatches = [...figures.manyPayees, ...figures.singlePayee];
  const processingErrors = allBatches.reduce((n, f) => n + (f.failedByCode.processing_error ?? 0), 0);
  const failedItems = allBatches.reduce((n, f) => n + f.run.failed, 0);
  const judge = (ok: boolean) => (ok ? "**met**" : "**missed**");
  const lines = [
    `| Target | Measured | Reference | Ratio | Result |`,
    `|---|---|---|---|---|`,
    `| Hot destination (${figures.concurrency} sources → 1 wallet) ≥ 80% of distinct pairs | ${fmt(realtime.hotDestination.perSecond, 1)} payments/s | ${fmt(base, 1)} payments/s | ${pct(realtime.hotDestination.perSecond / base)} | ${judge(realtime.hotDestination.perSecond >= 0.8 * base)} |`,
    `| Hot source (1 wallet → ${figures.concurrency} destinations) ≥ 50% of distinct pairs | ${fmt(realtime.hotSource.perSecond, 1)} payments/s | ${fmt(base, 1)} payments/s | ${pct(realtime.hotSource.perSecond / base)} | ${judge(realtime.hotSource.perSecond >= 0.5 * base)} |`,
    `| ${fmt(figures.batchItems)}-item batch to a single payee ≥ 50% of the ${fmt(figures.payees)}-payee batch | ${fmt(singleRate)} items/s | ${fmt(manyRate)} items/s | ${pct(singleRate / manyRate)} | ${judge(singleRate >= 0.5 * manyRate)} |`,
    `| 0 answers 5xx | ${fmt(Object.values(realtime).reduce((n, f) => n + fivexx(f.statuses), 0))} | 0 | | ${judge(Object.values(realtime).every((f) => fivexx(f.statuses) === 0))} |`,
    `| 0 batch items \`processing_error\` (0 failed at all) | ${fmt(processingErrors)} (${fmt(failedItems)} failed) | 0 | | ${judge(processingErrors === 0 && failedItems === 0)} |`,
    "",
    `Closed loop, concurrency ${figures.concurrency}, ${figures.rounds} interleaved slices of ${fmt(figures.sliceMs / 1000)} s per workload, amount 1 each:`,
    "",
    `| Workload | Payments | Payments/s | Answers | Conflicts answered by the pass-through |`,
    `|---|---:|---:|---|---|`,
    ...(
      [
        ["Distinct pairs (client i: wallet Aᵢ → Bᵢ)", "distinct"],
        ["Hot destination (client i: Aᵢ → one wallet H)", "hotDestination"],
        ["Hot source (client i: H → Bᵢ)", "hotSource"],
      ] as const
    ).map(
      ([label, name]) =>
        `| ${label} | ${fmt(realtime[name].payments)} | ${fmt(realtime[name].perSecond, 1)} | ${statusText(realtime[name].statuses)} | ${conflictText(realtime[name].conflicts)} |`,
    ),
    "",
    `Batches of ${fmt(figures.batchItems)} items, POSTed one at a time and timed until \`completed\`, interleaved:`,
    "",
    `| Run | Items/s | Succeeded | Failed | Conflicts answered by the pass-through |`,
    `|---|---:|---:|---:|---|`,
    ...figures.manyPayees.flatMap((many, i) => {
      const one = figures.singlePayee[i] as HotBatchFigures;
      return [
        `| ${fmt(figures.payees)} payees, run ${i + 1} | ${fmt(many.run.itemsPerSecond)} | ${fmt(many.run.succeeded)} | ${fmt(many.run.failed)} | ${conflictText(many.conflicts)} |`,
        `| 1 payee, run ${i + 1} | ${fmt(one.run.itemsPerSecond)} | ${fmt(one.run.succeeded)} | ${fmt(one.run.failed)} | ${conflictText(one.conflicts)} |`,
      ];
    }),
  ];
  return `${lines.join("\n")}\n`;
}
