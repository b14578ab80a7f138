// Owns reading the GC pauses that gc-probe.cjs logged for serverless-offline's process.
import { existsSync, readFileSync } from "node:fs";

export interface GcSummary {
  /** The window, wall-clock milliseconds. */
  windowMs: number;
  pauses: number;
  totalMs: number;
  p50Ms: number;
  maxMs: number;
  /** Pauses of 5 ms or more (each one delays every request in flight by at least that). */
  over5Ms: number;
}

/** The pauses that began between `fromMs` and `toMs` (epoch milliseconds). */
export function gcPauses(file: string, fromMs: number, toMs: number): GcSummary | undefined {
  if (!existsSync(file)) return undefined;
  const durations = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.split(" ").map(Number))
    .filter(([at, duration]) => at !== undefined && duration !== undefined && at >= fromMs && at <= toMs)
    .map(([, duration]) => duration as number)
    .sort((a, b) => a - b);
  return {
    windowMs: toMs - fromMs,
    pauses: durations.length,
    totalMs: durations.reduce((sum, duration) => sum + duration, 0),
    p50Ms: durations[Math.floor(durations.length / 2)] ?? 0,
    maxMs: durations.at(-1) ?? 0,
    over5Ms: durations.filter((duration) => duration >= 5).length,
  };
}
