// Batches: every batch with its status and a live progress bar, polled every second while one runs
// (the page never reloads).
import { ErrorNote, Loading, StatusBadge, TableRegion } from "../components/Notes.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { formatMoney, formatTime } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Payrail } from "../payrail.js";
import { href } from "../router.js";
import { recordBatch } from "../throughput.js";

export const ACTIVE_BATCH = new Set(["scheduled", "queued", "processing"]);
/** How often a running batch's progress is read. */
export const LIVE_POLL_MS = 1_000;

export function Batches({ client }: { client: Payrail }) {
  const batches = useLoad(
    async () => {
      const page = await client.batches.list({ limit: 50 }).page();
      for (const batch of page.data) recordBatch(batch);
      return page.data;
    },
    [client],
    (list) => (list.some((b) => b.status === "queued" || b.status === "processing") ? LIVE_POLL_MS : 5_000),
  );
  return (
    <>
      <h1>Batches</h1>
      <p class="help">The 50 newest batches; progress updates every second while a batch runs.</p>
      <ErrorNote error={batches.error} />
      {!batches.data ? (
        <Loading what="batches" />
      ) : batches.data.length === 0 ? (
        <p>No batches yet.</p>
      ) : (
        <TableRegion label="Batches">
          <table class="batches">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Status</th>
                <th scope="col" class="wide">
                  Progress
                </th>
                <th scope="col" class="num">
                  Total
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((batch) => (
                <tr key={batch.id} data-batch-row={batch.id}>
                  <td>
                    <a href={href("batches", batch.id)} class="mono">
                      {batch.id}
                    </a>
                    {batch.description && <div class="sub">{batch.description}</div>}
                  </td>
                  <td>
                    <StatusBadge status={batch.status} />
                  </td>
                  <td class="wide">
                    <ProgressBar batch={batch} />
                  </td>
                  <td class="num">{formatMoney(batch.amounts.total, batch.currency)}</td>
                  <td>{formatTime(batch.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </>
  );
}
