// `npm run bench:webhooks`: webhook delivery latency on a stack of its own, from a payment's commit
// (its 201 arriving at the client, a few hundred microseconds after the commit) to the receiver's
// 2xx being sent, through the whole path: DynamoDB stream (the local stream poller standing in for
// the event source mapping), fan-out, SQS, delivery. BENCH_WEBHOOK_PAYMENTS (default 200) payments
// at concurrency BENCH_WEBHOOK_CONCURRENCY (4). Prints p50/p90/p99 and the mean as Markdown.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { localLedgerStore } from "../local/local-clients.js";
import { startStack } from "../local/stack.js";
import { benchTenant } from "./tenant.js";

const log = (line: string) => process.stderr.write(`bench:webhooks: ${line}\n`);
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const count = setting("BENCH_WEBHOOK_PAYMENTS", 200);
  const concurrency = setting("BENCH_WEBHOOK_CONCURRENCY", 4);
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      if (event.type === "payment.succeeded") arrivals.set(event.data.object.id, performance.now());
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  const stack = await startStack({
    scheduler: false,
    watch: false,
    env: { POWERTOOLS_LOG_LEVEL: "WARN", POWERTOOLS_METRICS_DISABLED: "true", SLS_LOG_LEVEL: "warning" },
    onReady: (component, _detail, ms) => log(`${component} up in ${ms} ms`),
  });
  try {
    const store = localLedgerStore(stack.dynamoEndpoint, stack.env.PAYRAIL_TABLE ?? "payrail-local");
    const tenant = await benchTenant(store, stack.httpUrl, "bench-webhooks");
    const hook = await tenant.post("/v1/webhook_endpoints", {
      url: `http://127.0.0.1:${port}/hooks`,
      events: ["payment.succeeded"],
    });
    if (hook.status !== 201) throw new Error(`endpoint: ${hook.status}`);
    const { source, destination } = await tenant.walletPair(count * 10);
    const committed = new Map<string, number>();
    let next = 0;
    const before = loadavg();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          const answer = await tenant.post("/v1/payments", {
            source,
            destination,
            amount: 1,
            currency: "USD",
          });
          if (answer.status === 201) committed.set(answer.body.id, performance.now());
        }
      }),
    );
    const deadline = Date.now() + 120_000;
    while (arrivals.size < committed.size && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const latencies = [...committed]
      .map(([id, at]) => (arrivals.get(id) ?? Number.NaN) - at)
      .filter((ms) => !Number.isNaN(ms))
      .sort((a, b) => a - b);
    const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
    const row = (label: string, ms: number) => `| ${label} | ${ms.toFixed(0)} ms |`;
    process.stdout.write(
      [
        `Webhook delivery latency, commit to receiver 2xx (${latencies.length} of ${committed.size} payments delivered, concurrency ${concurrency}, load average ${before.map((l) => l.toFixed(1)).join(" ")} at start):`,
        "",
        "| | |",
        "| --- | --- |",
        row("p50", percentile(latencies, 50)),
        row("p90", percentile(latencies, 90)),
        row("p99", percentile(latencies, 99)),
        row("mean", mean),
        "",
      ].join("\n"),
    );
    tenant.close();
  } finally {
    await stack.stop();
    receiver.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
