// Owns running the scheduler's sweeps (release due batches, sweep active batches, recover stuck
// bank payments) in isolation from each other: they run in sequence every minute, and a failure of
// one (a throttled query, an unreachable queue) must not skip the others for that minute. Every
// sweep runs; the failures are logged, reported, and then thrown together, so the invocation still
// counts as failed (the error metric and alarms see it) after all of them had their turn.
import type { Logger } from "@aws-lambda-powertools/logger";

/** Each sweep returns its own report (counts); the reports are merged. */
export type Sweeps = Record<string, () => Promise<object>>;

/** Thrown after every sweep ran when at least one of them failed; `report` holds what the others did. */
export class SweepsFailedError extends AggregateError {
  override name = "SweepsFailedError";
  constructor(
    errors: unknown[],
    readonly failed: string[],
    readonly report: Record<string, unknown>,
  ) {
    super(errors, `scheduler sweeps failed: ${failed.join(", ")}`);
  }
}

export async function runSweeps(
  sweeps: Sweeps,
  logger: Pick<Logger, "error">,
): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = {};
  const errors: unknown[] = [];
  const failed: string[] = [];
  for (const [name, sweep] of Object.entries(sweeps)) {
    try {
      Object.assign(report, await sweep());
    } catch (error) {
      logger.error("scheduler sweep failed; the others still run", { sweep: name, error });
      errors.push(error);
      failed.push(name);
    }
  }
  if (errors.length > 0) throw new SweepsFailedError(errors, failed, report);
  return report;
}
