// Owns reading payrail's Server-Timing header: `request;dur=…, channel;dur=…, response;dur=…`
// (parse/auth/validation, the work in the channel or ledger, shaping the answer).

export const PHASES = ["request", "channel", "response"] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseTimings = Record<Phase, number>;

/** The three phases in milliseconds, or undefined when the header is missing or lacks one. */
export function parseServerTiming(header: string | null): PhaseTimings | undefined {
  if (!header) return undefined;
  const found: Partial<PhaseTimings> = {};
  for (const metric of header.split(",")) {
    const [name, ...params] = metric.trim().split(";");
    const duration = params.map((p) => p.trim()).find((p) => p.startsWith("dur="));
    const value = duration === undefined ? Number.NaN : Number(duration.slice(4));
    if ((PHASES as readonly string[]).includes(name ?? "") && Number.isFinite(value)) {
      found[name as Phase] = value;
    }
  }
  return PHASES.every((phase) => found[phase] !== undefined) ? (found as PhaseTimings) : undefined;
}

export function totalOf(timings: PhaseTimings): number {
  return timings.request + timings.channel + timings.response;
}
