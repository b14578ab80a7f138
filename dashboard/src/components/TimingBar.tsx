// A call's Server-Timing as a stacked bar: T = T_request + T_channel + T_response, each segment
// as wide as its share, with the exact figures beside it for readers and screen readers.
import { formatMs } from "../format.js";
import { PHASES, type PhaseTimings, totalOf } from "../server-timing.js";

export function TimingBar({ timings, label }: { timings: PhaseTimings; label: string }) {
  const total = totalOf(timings);
  const description = `${label}: total ${formatMs(total)} = ${PHASES.map((p) => `${p} ${formatMs(timings[p])}`).join(" + ")}`;
  return (
    <figure class="timing">
      <div class="timing-bar" role="img" aria-label={description} data-total={total.toFixed(2)}>
        {PHASES.map((phase) => (
          <span
            key={phase}
            class={`seg phase-${phase}`}
            data-phase={phase}
            data-ms={timings[phase].toFixed(2)}
            style={{ width: `${total === 0 ? 0 : (timings[phase] * 100) / total}%` }}
          />
        ))}
      </div>
      <figcaption>
        <dl class="timing-legend">
          <div>
            <dt>total</dt>
            <dd>{formatMs(total)}</dd>
          </div>
          {PHASES.map((phase) => (
            <div key={phase}>
              <dt>
                <span class={`swatch phase-${phase}`} aria-hidden="true" />
                {phase}
              </dt>
              <dd data-phase-value={phase}>{formatMs(timings[phase])}</dd>
            </div>
          ))}
        </dl>
      </figcaption>
    </figure>
  );
}
