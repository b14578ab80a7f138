// A batch's progress: succeeded, failed and pending as one bar, exposed to screen readers as a
// progressbar whose value is the share of items done (succeeded + failed).

import { formatCount, percentOf } from "../format.js";
import type { Batch } from "../payrail.js";

export function ProgressBar({ batch }: { batch: Batch }) {
  const { total, succeeded, failed, pending } = batch.counts;
  const done = succeeded + failed;
  const percent = percentOf(done, total);
  const width = (part: number) => `${total === 0 ? 0 : (part * 100) / total}%`;
  const summary = `${formatCount(done)} of ${formatCount(total)} items done (${percent}%): ${formatCount(succeeded)} succeeded, ${formatCount(failed)} failed, ${formatCount(pending)} pending`;
  return (
    <div class="progress">
      <div
        class="progress-bar"
        role="progressbar"
        aria-label={`Progress of batch ${batch.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={summary}
        data-batch={batch.id}
      >
        <span class="seg seg-succeeded" style={{ width: width(succeeded) }} />
        <span class="seg seg-failed" style={{ width: width(failed) }} />
      </div>
      <p class="progress-text">
        <span class="progress-percent">{percent}%</span> {formatCount(done)}/{formatCount(total)}
        <span class="legend-succeeded"> ✓ {formatCount(succeeded)}</span>
        <span class="legend-failed"> ✗ {formatCount(failed)}</span>
        <span class="legend-pending"> … {formatCount(pending)}</span>
      </p>
    </div>
  );
}
