// EventBridge schedule (every minute): the periodic sweeps. The clock is the event's `time`, so
// tests drive a sweep at any instant by invoking it with the time they want.
import type { ScheduledEvent } from "aws-lambda";
import { batchDeps } from "../lib/batches/deps.js";
import { releaseDueBatches, sweepActiveBatches } from "../lib/batches/sweep.js";
import { recoverStuckPayments } from "../lib/channels/recovery.js";
import { applyRailReturns } from "../lib/channels/returns.js";
import { expireDueHolds } from "../lib/holds/holds.js";
import { withLambdaContext } from "../lib/observability/index.js";
import { runtime } from "../lib/runtime.js";
import { runSweeps } from "../lib/scheduler.js";

const rt = runtime();
const deps = batchDeps(rt);

function clockOf(event: Partial<ScheduledEvent> | undefined): number {
  const time = event?.time ? Date.parse(event.time) : Number.NaN;
  return Number.isNaN(time) ? Date.now() : time;
}

export const handler = withLambdaContext(rt.logger, async (event?: Partial<ScheduledEvent>) => {
  const now = clockOf(event);
  // Each sweep runs even when another failed (lib/scheduler.ts).
  const report = await runSweeps(
    {
      releases: () => releaseDueBatches(deps, now),
      active: () => sweepActiveBatches(deps, now),
      payments: async () => {
        const recovered = await recoverStuckPayments(rt.store, rt.rail, rt.router.directory, {
          nowMs: now,
          stuckAfterSeconds: rt.config.stuckPaymentAfterSeconds,
        });
        return { settled: recovered.settled, reversed: recovered.reversed, deferred: recovered.deferred };
      },
      returns: () => applyRailReturns(rt.store, rt.rail, { nowMs: now }),
      holds: () => expireDueHolds(rt.store, now),
    },
    rt.logger,
  );
  const deferred = (report as { payments?: { deferred?: number } }).payments?.deferred;
  if (typeof deferred === "number") rt.metrics.stuckPaymentsDeferred(deferred);
  rt.logger.info("scheduler sweep", { now: new Date(now).toISOString(), ...report });
  return report;
});
