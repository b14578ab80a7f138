// Owns the test-only fault seam: named points in the workers, the bank channel and the DynamoDB
// client where a test can make payrail fail, to prove that crashes, lost answers and redeliveries
// pay nothing twice. A no-op unless the deployment set PAYRAIL_FAULTS_ENABLED=1 (never in AWS).
//   PAYRAIL_FAULTS="consume.after-write=0.3,consume.before-write=0.1"  every message, by chance
//   batch metadata {"payrail_test_faults": "consume.before-write"}     every chunk of that batch
//   header Payrail-Test-Faults: dynamo.lost-response                    every write of that request
// The metadata and header forms make one batch or request fail deterministically in a stack shared
// by many tests.
import { AsyncLocalStorage } from "node:async_hooks";

export const FAULT_POINTS = [
  "consume.before-write",
  /** The consumer dies after the rail answered the chunk's bank items, before its transaction. */
  "consume.before-commit",
  "consume.after-write",
  "release.after-reserve",
  "release.before-dispatch",
  /** The bank channel dies after reserving, before the rail is called (payment left processing). */
  "bank.after-reserve",
  /** The rail accepts the payout but neither its answer nor a status query comes back. */
  "rail.timeout",
  /** DynamoDB throttles the request before executing it (the SDK retries, as in AWS). */
  "dynamo.throttle",
  /** A transaction is cancelled by a conflicting concurrent transaction, before executing. */
  "dynamo.conflict",
  /** The request executes but its answer is lost (the SDK sees a retryable error and retries). */
  "dynamo.lost-response",
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The metadata key naming the points that always fire for that batch (space or comma separated). */
export const FAULTS_METADATA_KEY = "payrail_test_faults";

/** The request header naming the points that fire for that one HTTP request (space or comma separated). */
export const FAULTS_HEADER = "payrail-test-faults";

/**
 * How often `dynamo.lost-response` fires when a request names it: as many times as the SDK attempts
 * a call (lib/aws/clients.ts), so the lost answer outlives the SDK's own retries and reaches payrail.
 */
export const LOST_ANSWERS_PER_REQUEST = 3;

/** Thrown at a fault point; the worker handles it exactly like a crash. */
export class InjectedFault extends Error {
  override name = "InjectedFault";
  constructor(readonly point: FaultPoint) {
    super(`injected fault at ${point}`);
  }
}

export interface Faults {
  /** True when `point` should fail now; `metadata` is the batch's or payment's. */
  fires(point: FaultPoint, metadata?: Record<string, string>): boolean;
  /** Throws InjectedFault when `point` should fail now. */
  inject(point: FaultPoint, metadata?: Record<string, string>): void;
  /** Whether any fault point can fire at random. */
  readonly random: boolean;
  /** Whether the seam is on at all (the DynamoDB middleware is only added then). */
  readonly enabled: boolean;
  /** Runs `work` with the points named in `header` (FAULTS_HEADER's value) firing inside it. */
  during<T>(header: string | undefined, work: () => Promise<T>): Promise<T>;
}

const NO_FAULTS: Faults = {
  fires: () => false,
  inject() {},
  random: false,
  enabled: false,
  during: (_header, work) => work(),
};

/** The points one request named, and how often `dynamo.lost-response` may still fire for it. */
interface RequestFaults {
  points: Set<string>;
  lostAnswersLeft: number;
}
const requestScope = new AsyncLocalStorage<RequestFaults>();

function firesForRequest(point: FaultPoint): boolean {
  return point !== "dynamo.lost-response" && requestScope.getStore()?.points.has(point) === true;
}

/**
 * For the DynamoDB middleware, on each attempt of a TransactWriteItems: true when the request in
 * scope named `dynamo.lost-response` and has lost fewer than LOST_ANSWERS_PER_REQUEST answers.
 */
export function requestLosesWriteAnswer(): boolean {
  const scope = requestScope.getStore();
  if (!scope?.points.has("dynamo.lost-response") || scope.lostAnswersLeft <= 0) return false;
  scope.lostAnswersLeft--;
  return true;
}

export function parseFaultSpec(spec: string): Map<FaultPoint, number> {
  const chances = new Map<FaultPoint, number>();
  for (const entry of spec.split(",")) {
    const [name, raw] = entry.trim().split("=");
    if (!name) continue;
    if (!(FAULT_POINTS as readonly string[]).includes(name))
      throw new Error(`payrail: unknown fault point "${name}"`);
    const chance = Number(raw);
    if (!(chance >= 0 && chance <= 1))
      throw new Error(`payrail: fault "${name}" needs a probability in [0, 1]`);
    chances.set(name as FaultPoint, chance);
  }
  return chances;
}

/** `spec` is config.faults: undefined when fault injection is disabled. */
export function faultsFrom(spec: string | undefined, random: () => number = Math.random): Faults {
  if (spec === undefined) return NO_FAULTS;
  const chances = parseFaultSpec(spec);
  const fires = (point: FaultPoint, metadata?: Record<string, string>) => {
    const requested = metadata?.[FAULTS_METADATA_KEY]?.split(/[\s,]+/) ?? [];
    return requested.includes(point) || firesForRequest(point) || random() < (chances.get(point) ?? 0);
  };
  return {
    fires,
    inject(point, metadata) {
      if (fires(point, metadata)) throw new InjectedFault(point);
    },
    random: [...chances.values()].some((chance) => chance > 0),
    enabled: true,
    during(header, work) {
      if (!header) return work();
      const points = new Set(header.split(/[\s,]+/));
      return requestScope.run({ points, lostAnswersLeft: LOST_ANSWERS_PER_REQUEST }, work);
    },
  };
}
