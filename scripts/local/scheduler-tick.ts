// Owns running `schedule` functions locally, as EventBridge does in AWS: every function with a
// `rate(...)` schedule in serverless.yml is invoked with a Scheduled Event on that rate, aligned to
// the wall-clock minute. serverless-offline's own cron is switched off (offline-overrides.cjs) so
// there is one scheduler, and tests can skip it and call invokeScheduled() with their own `time`.
import { randomUUID } from "node:crypto";
import type { ScheduledEvent } from "aws-lambda";
import type { InvokeFunction, InvokeOutcome } from "./lambda-invoke.js";
import type { ServiceDefinition } from "./service-definition.js";

export interface ScheduledFunction {
  functionName: string;
  rate: string;
  /** A schedule's `input` replaces the event entirely, as in AWS. */
  input?: unknown;
}

export function scheduledFunctions(definition: ServiceDefinition): ScheduledFunction[] {
  return definition.functions.flatMap((fn) =>
    fn.schedules.map((schedule) => ({ functionName: fn.name, rate: schedule.rate, input: schedule.input })),
  );
}

/** `rate(5 minutes)` -> 300000; cron expressions are not emulated (undefined). */
export function rateMilliseconds(rate: string): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(rate.trim());
  if (!match) return undefined;
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]!.replace(/s$/, "") as "minute"];
  return Number(match[1]) * unit;
}

export function scheduledEvent(options: {
  functionName: string;
  region: string;
  time?: Date;
}): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    // EventBridge sends the scheduled minute, to the second, without milliseconds.
    time: (options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: options.region,
    resources: [`arn:aws:events:${options.region}:000000000000:rule/${options.functionName}-schedule`],
    detail: {},
  };
}

/** Invokes one function once with a Scheduled Event (or a caller-built event with its own `time`). */
export function invokeScheduled(
  invoke: InvokeFunction,
  functionName: string,
  options: { region: string; time?: Date; event?: unknown },
): Promise<InvokeOutcome> {
  return invoke(functionName, options.event ?? scheduledEvent({ functionName, ...options }));
}

export interface SchedulerTick {
  stop(): void;
}

export function startSchedulerTick(options: {
  functions: ScheduledFunction[];
  region: string;
  invoke: InvokeFunction;
  log?: (line: string) => void;
}): SchedulerTick {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timers = new Map<ScheduledFunction, NodeJS.Timeout>(); // the pending timer of each schedule
  let stopped = false;
  for (const fn of options.functions) {
    const every = rateMilliseconds(fn.rate);
    if (every === undefined) {
      log(`payrail scheduler: ${fn.functionName} has schedule ${fn.rate}; only rate(...) runs locally`);
      continue;
    }
    const fire = async () => {
      const outcome = await invokeScheduled(options.invoke, fn.functionName, {
        region: options.region,
        event: fn.input,
      });
      if (!outcome.ok) log(`payrail scheduler: ${fn.functionName} failed: ${outcome.error}`);
    };
    const next = () => {
      if (stopped) return;
      const timer = setTimeout(
        () => {
          void fire();
          next();
        },
        every - (Date.now() % every),
      );
      timer.unref(); // never the reason a process stays alive
      timers.set(fn, timer);
    };
    next();
  }
  return {
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
