// A batch: counts and amounts, live progress, throughput (items/s) while this tab watches it, the
// failed items with their codes (each opens its detail), and the CSV of every item with the CLI
// reconciliation report's columns.
import { useMemo, useState } from "preact/hooks";
import { reportHeader, reportRow } from "../../../cli/report-csv.js";
import { Approval, approvalLine } from "../components/Approval.js";
import { Chart } from "../components/Chart.js";
import { ErrorNote, Loading, StatusBadge, TableRegion } from "../components/Notes.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { formatCount, formatMoney, formatTime } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Batch, BatchItem, Payrail } from "../payrail.js";
import { href } from "../router.js";
import { recordBatch, throughputOf } from "../throughput.js";
import { LIVE_POLL_MS } from "./Batches.js";

export function BatchDetail({
  client,
  batchId,
  itemId,
}: {
  client: Payrail;
  batchId: string;
  itemId?: string;
}) {
  const batch = useLoad(
    async () => {
      const found = await client.batches.retrieve(batchId);
      recordBatch(found);
      return found;
    },
    [client, batchId],
    (b) => (b.status === "queued" || b.status === "processing" ? LIVE_POLL_MS : undefined),
  );
  const done = batch.data ? batch.data.counts.succeeded + batch.data.counts.failed : 0;
  const failed = useLoad(
    async () => (await client.batches.listItems(batchId, { status: "failed", limit: 100 }).page()).data,
    [client, batchId, batch.data?.counts.failed],
  );

  return (
    <>
      <p class="crumbs">
        <a href={href("batches")}>Batches</a> / <span class="mono">{batchId}</span>
      </p>
      <h1>
        Batch <span class="mono">{batchId}</span>
      </h1>
      <ErrorNote error={batch.error} />
      {!batch.data ? (
        <Loading what="the batch" />
      ) : (
        <>
          <Summary batch={batch.data} />
          <Approval client={client} batch={batch.data} onDecided={batch.reload} />
          <ProgressBar batch={batch.data} />
          <Throughput batch={batch.data} done={done} />
          <Download client={client} batch={batch.data} />
          <section aria-labelledby="failed-title">
            <h2 id="failed-title">Failed items ({formatCount(batch.data.counts.failed)})</h2>
            <ErrorNote error={failed.error} />
            {failed.data ? (
              <FailedItems batch={batch.data} items={failed.data} openItem={itemId} />
            ) : (
              <Loading what="failed items" />
            )}
          </section>
          {itemId && <ItemDetail client={client} batch={batch.data} itemId={itemId} />}
        </>
      )}
    </>
  );
}

function Summary({ batch }: { batch: Batch }) {
  const money = (amount: number) => formatMoney(amount, batch.currency);
  return (
    <dl class="figures">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={batch.status} />
        </dd>
      </div>
      <div>
        <dt>Items</dt>
        <dd>{formatCount(batch.counts.total)}</dd>
      </div>
      <div>
        <dt>Succeeded</dt>
        <dd>
          {formatCount(batch.counts.succeeded)} · {money(batch.amounts.succeeded)}
        </dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd>
          {formatCount(batch.counts.failed)} · {money(batch.amounts.failed)}
        </dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd>{money(batch.amounts.total)}</dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd class="mono">{batch.source}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{formatTime(batch.created_at)}</dd>
      </div>
      <div>
        <dt>Completed</dt>
        <dd>{formatTime(batch.completed_at)}</dd>
      </div>
      {batch.approval && (
        <div>
          <dt>Approval</dt>
          <dd>{approvalLine(batch)}</dd>
        </div>
      )}
      {batch.description !== null && (
        <div>
          <dt>Description</dt>
          <dd>{batch.description}</dd>
        </div>
      )}
    </dl>
  );
}

function Throughput({ batch, done }: { batch: Batch; done: number }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: new samples arrive with each change of `done`
  const series = useMemo(() => throughputOf(batch.id), [batch.id, done, batch.status]);
  const elapsed =
    batch.completed_at !== null && batch.completed_at > batch.created_at
      ? batch.completed_at - batch.created_at
      : 0;
  const average = elapsed > 0 ? (batch.counts.succeeded + batch.counts.failed) / elapsed : undefined;
  const peak = series.rates.length > 0 ? Math.max(...series.rates) : undefined;
  // Polls of a batch that had already finished show no movement: nothing to chart.
  const watched = peak !== undefined && peak > 0;
  const summary = watched
    ? `peak ${peak?.toFixed(0)} items/s over ${series.rates.length} samples`
    : "not watched while running";
  return (
    <section aria-labelledby="throughput-title">
      <h2 id="throughput-title">Throughput</h2>
      <p class="help">
        {average !== undefined && `Average ${average.toFixed(1)} items/s from creation to completion. `}
        {watched
          ? `Items per second, sampled every second while this tab watched the batch (${summary}).`
          : "Items per second are charted while this tab watches a running batch."}
      </p>
      {watched && (
        <Chart
          title="Items per second"
          summary={summary}
          data={[series.times, series.rates]}
          series={[{}, { label: "items/s", stroke: "#2e7d32", fill: "rgba(46,125,50,0.15)", width: 2 }]}
          scales={{ y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } }}
        />
      )}
    </section>
  );
}

function FailedItems({ batch, items, openItem }: { batch: Batch; items: BatchItem[]; openItem?: string }) {
  if (items.length === 0) return <p>No failed items.</p>;
  return (
    <TableRegion label="Failed items">
      <table class="failed-items">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Failure code</th>
            <th scope="col">Destination</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} aria-current={item.id === openItem ? "true" : undefined}>
              <td>
                <a href={href("batches", batch.id, "items", item.id)} class="mono">
                  {item.id}
                </a>
              </td>
              <td class="mono">{item.failure_code ?? "—"}</td>
              <td class="mono">{item.destination}</td>
              <td class="num">{formatMoney(item.amount, batch.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 100 && <p class="help">The first 100 failed items; the CSV holds them all.</p>}
    </TableRegion>
  );
}

/** One item, found by paging the batch's items (the API lists items; it has no item route). */
function ItemDetail({ client, batch, itemId }: { client: Payrail; batch: Batch; itemId: string }) {
  const item = useLoad(async () => {
    for await (const candidate of client.batches.listItems(batch.id, { limit: 100 })) {
      if (candidate.id === itemId) {
        const payment = candidate.payment ? await client.payments.retrieve(candidate.payment) : undefined;
        return { item: candidate, payment };
      }
    }
    return undefined;
  }, [client, batch.id, itemId]);
  return (
    <section class="item-detail" aria-labelledby="item-title">
      <h2 id="item-title" tabIndex={-1}>
        Item <span class="mono">{itemId}</span>
      </h2>
      <ErrorNote error={item.error} />
      {item.loading && !item.data ? (
        <Loading what="the item" />
      ) : !item.data ? (
        <p>This batch has no item {itemId}.</p>
      ) : (
        <dl class="fields">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={item.data.item.status} />
          </dd>
          <dt>Failure code</dt>
          <dd class="mono" data-field="failure_code">
            {item.data.item.failure_code ?? "—"}
          </dd>
          <dt>Destination</dt>
          <dd class="mono">{item.data.item.destination}</dd>
          <dt>Amount</dt>
          <dd>{formatMoney(item.data.item.amount, batch.currency)}</dd>
          <dt>Processed</dt>
          <dd>{formatTime(item.data.item.processed_at)}</dd>
          <dt>Payment</dt>
          <dd>
            {item.data.item.payment ? (
              <a href={href("payments", item.data.item.payment)} class="mono">
                {item.data.item.payment}
              </a>
            ) : (
              "none"
            )}
          </dd>
          {item.data.payment && (
            <>
              <dt>Payment status</dt>
              <dd>
                <StatusBadge status={item.data.payment.status} />
              </dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

function Download({ client, batch }: { client: Payrail; batch: Batch }) {
  const [state, setState] = useState<{ busy: boolean; error?: Error; rows?: number }>({ busy: false });
  async function download() {
    setState({ busy: true });
    try {
      const lines = [reportHeader()];
      for await (const item of client.batches.listItems(batch.id, { limit: 100 }))
        lines.push(reportRow(item));
      const blob = new Blob([`${lines.join("\n")}\n`], { type: "text/csv" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `${batch.id}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false, rows: lines.length - 1 });
    } catch (error) {
      setState({ busy: false, error: error as Error });
    }
  }
  return (
    <section aria-labelledby="download-title">
      <h2 id="download-title">Reconciliation</h2>
      <button type="button" onClick={download} disabled={state.busy}>
        {state.busy ? "Preparing CSV…" : "Download CSV of all items"}
      </button>
      <span class="help" aria-live="polite">
        {state.rows !== undefined && ` ${formatCount(state.rows)} items downloaded.`}
      </span>
      <ErrorNote error={state.error} />
    </section>
  );
}
