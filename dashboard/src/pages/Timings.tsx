// Timings: p50/p90/p99 per Server-Timing phase over the newest payments, as a chart and a table.
import { Chart } from "../components/Chart.js";
import { ErrorNote, Loading, TableRegion } from "../components/Notes.js";
import { formatMs } from "../format.js";
import { useLoad } from "../hooks.js";
import type { Payrail } from "../payrail.js";
import { PHASES, type Phase, type PhaseTimings, parseServerTiming, totalOf } from "../server-timing.js";
import { percentile } from "../stats.js";

/** How many of the newest payments are read, and how many reads run at once. */
export const TIMING_SAMPLE = 50;
const CONCURRENCY = 4;
const PERCENTILES = [50, 90, 99] as const;

async function sampleTimings(client: Payrail): Promise<PhaseTimings[]> {
  const ids = (await client.payments.list({ limit: TIMING_SAMPLE }).page()).data.map((p) => p.id);
  const timings: PhaseTimings[] = [];
  let next = 0;
  async function worker() {
    while (next < ids.length) {
      const id = ids[next++]!;
      const payment = await client.payments.retrieve(id);
      const parsed = parseServerTiming(payment.lastResponse.headers.get("server-timing"));
      if (parsed) timings.push(parsed);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return timings;
}

type Row = { name: Phase | "total"; values: (number | undefined)[] };

export function Timings({ client }: { client: Payrail }) {
  const sample = useLoad(() => sampleTimings(client), [client]);
  const rows: Row[] | undefined = sample.data && [
    ...PHASES.map((phase) => ({
      name: phase,
      values: PERCENTILES.map((p) =>
        percentile(
          sample.data!.map((t) => t[phase]),
          p,
        ),
      ),
    })),
    { name: "total", values: PERCENTILES.map((p) => percentile(sample.data!.map(totalOf), p)) },
  ];
  const colours: Record<Row["name"], string> = {
    request: "#1f4e8c",
    channel: "#c77700",
    response: "#2e7d32",
    total: "#555555",
  };
  return (
    <>
      <h1>Timings</h1>
      <p class="help">
        Server-Timing phases of reading each of the {TIMING_SAMPLE} newest payments: p50, p90 and p99 per
        phase.{" "}
        <button type="button" class="link" onClick={sample.reload}>
          Measure again
        </button>
      </p>
      <ErrorNote error={sample.error} />
      {sample.loading || !rows ? (
        <Loading what="timings" />
      ) : sample.data?.length === 0 ? (
        <p>No payments yet.</p>
      ) : (
        <>
          <Chart
            title="Milliseconds per phase at p50, p90, p99"
            summary={rows.map((r) => `${r.name} p99 ${formatMs(r.values[2] ?? 0)}`).join(", ")}
            data={[[...PERCENTILES], ...rows.map((r) => r.values.map((v) => v ?? null))]}
            series={[
              { label: "percentile" },
              ...rows.map((r) => ({
                label: r.name,
                stroke: colours[r.name],
                width: 2,
                points: { show: true, size: 7 },
              })),
            ]}
            scales={{ x: { time: false } }}
            axes={[{ splits: () => [...PERCENTILES], values: (_u, ticks) => ticks.map((t) => `p${t}`) }, {}]}
          />
          <TableRegion label="Timing percentiles">
            <table class="timings">
              <caption>Milliseconds over {sample.data?.length} answers</caption>
              <thead>
                <tr>
                  <th scope="col">Phase</th>
                  {PERCENTILES.map((p) => (
                    <th key={p} scope="col" class="num">
                      p{p}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.name} data-phase-row={row.name}>
                    <th scope="row">{row.name}</th>
                    {row.values.map((value, i) => (
                      <td key={PERCENTILES[i]} class="num">
                        {value === undefined ? "—" : formatMs(value)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      )}
    </>
  );
}
