// Overview: wallet balances, payments per minute and success rate over the last hour, batches
// running now.
import { Chart } from "../components/Chart.js";
import { ErrorNote, Loading, StatusBadge, TableRegion } from "../components/Notes.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { formatCount, formatMoney } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Account, Batch, Payment, Payrail } from "../payrail.js";
import { href } from "../router.js";
import { perMinute } from "../stats.js";
import { recordBatch } from "../throughput.js";

/** A busy hour is summarised from at most this many payments (newest first). */
const HOUR_SAMPLE_LIMIT = 3_000;
const RUNNING = new Set(["queued", "processing"]);

async function lastHourPayments(
  client: Payrail,
  now: number,
): Promise<{ payments: Payment[]; capped: boolean }> {
  const payments: Payment[] = [];
  for await (const payment of client.payments.list({ limit: 100 })) {
    if (payment.created_at < now - 3600) return { payments, capped: false };
    payments.push(payment);
    if (payments.length >= HOUR_SAMPLE_LIMIT) return { payments, capped: true };
  }
  return { payments, capped: false };
}

export function Overview({ client }: { client: Payrail }) {
  const wallets = useLoad(
    async () => (await client.accounts.list({ limit: 100 }).page()).data.filter((a) => a.type === "wallet"),
    [client],
  );
  const hour = useLoad(
    async () => {
      const now = Math.floor(Date.now() / 1000);
      return { now, ...(await lastHourPayments(client, now)) };
    },
    [client],
    30_000,
  );
  const running = useLoad(
    async () => {
      const batches = (await client.batches.list({ limit: 100 }).page()).data.filter((b) =>
        RUNNING.has(b.status),
      );
      for (const batch of batches) recordBatch(batch);
      return batches;
    },
    [client],
    (batches) => (batches.length > 0 ? 1_000 : 5_000),
  );

  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="wallets-title">
        <h2 id="wallets-title">Wallet balances</h2>
        <ErrorNote error={wallets.error} />
        {wallets.data ? <Wallets wallets={wallets.data} /> : <Loading what="wallets" />}
      </section>
      <section aria-labelledby="hour-title">
        <h2 id="hour-title">Payments in the last hour</h2>
        <ErrorNote error={hour.error} />
        {hour.data ? <LastHour {...hour.data} /> : <Loading what="payments" />}
      </section>
      <section aria-labelledby="running-title">
        <h2 id="running-title">Batches running now</h2>
        <ErrorNote error={running.error} />
        {running.data ? <Running batches={running.data} /> : <Loading what="batches" />}
      </section>
    </>
  );
}

function Wallets({ wallets }: { wallets: Account[] }) {
  if (wallets.length === 0) return <p>No wallets yet.</p>;
  return (
    <TableRegion label="Wallet balances">
      <table>
        <thead>
          <tr>
            <th scope="col">Wallet</th>
            <th scope="col">Id</th>
            <th scope="col" class="num">
              Balance
            </th>
          </tr>
        </thead>
        <tbody>
          {wallets.map((wallet) => (
            <tr key={wallet.id}>
              <td>{wallet.name ?? "—"}</td>
              <td class="mono">{wallet.id}</td>
              <td class="num">{formatMoney(wallet.balance, wallet.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

function LastHour({ now, payments, capped }: { now: number; payments: Payment[]; capped: boolean }) {
  const succeeded = payments.filter((p) => p.status === "succeeded").length;
  const failed = payments.filter((p) => p.status === "failed").length;
  const finished = succeeded + failed;
  const rate = finished === 0 ? "—" : `${((succeeded * 1000) / finished / 10).toFixed(1)}%`;
  const counts = perMinute(
    payments.map((p) => p.created_at),
    now,
    60,
  );
  const minutes = counts.map((_, i) => now - (60 - i - 1) * 60);
  const perMinuteNow = counts.at(-1) ?? 0;
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Payments</dt>
          <dd>
            {capped ? "at least " : ""}
            {formatCount(payments.length)}
          </dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd data-figure="success-rate">{rate}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{formatCount(failed)}</dd>
        </div>
        <div>
          <dt>This minute</dt>
          <dd>{formatCount(perMinuteNow)}/min</dd>
        </div>
      </dl>
      <Chart
        title="Payments per minute"
        summary={`${formatCount(payments.length)} payments in the last 60 minutes, ${formatCount(perMinuteNow)} in the last minute`}
        data={[minutes, counts]}
        series={[{}, { label: "payments/min", stroke: "#1f4e8c", fill: "rgba(31,78,140,0.15)" }]}
      />
    </>
  );
}

function Running({ batches }: { batches: Batch[] }) {
  if (batches.length === 0) return <p>No batch is running.</p>;
  return (
    <ul class="batch-cards">
      {batches.map((batch) => (
        <li key={batch.id}>
          <a href={href("batches", batch.id)} class="mono">
            {batch.id}
          </a>{" "}
          <StatusBadge status={batch.status} />
          <ProgressBar batch={batch} />
        </li>
      ))}
    </ul>
  );
}
