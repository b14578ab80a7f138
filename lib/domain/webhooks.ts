// Owns the webhook endpoint aggregate and the delivery rules: which URLs a mode accepts, which
// events an endpoint wants, when a failed delivery is tried again and when it is given up.
// Pure: the ledger stores endpoints and attempts, lib/webhooks sends.
import { randomBytes } from "node:crypto";
import { InvalidRequestError } from "../errors.js";
import type { EventType } from "../schemas/events.js";
import type { WebhookEndpointResource } from "../schemas/webhooks.js";
import { typeMatches } from "./events.js";
import { newId } from "./ids.js";

export type EndpointStatus = "enabled" | "disabled";

export interface WebhookSecret {
  secret: string;
  /** Epoch seconds after which a rotated-out secret no longer signs; null for the current one. */
  expiresAt: number | null;
}

export interface WebhookEndpoint {
  id: string;
  merchantId: string;
  url: string;
  /** Event types, `*`, or families such as `payment.*`. */
  events: string[];
  description: string | null;
  status: EndpointStatus;
  livemode: boolean;
  /** The current secret first; during a rotation the previous one follows until it expires. */
  secrets: WebhookSecret[];
  /** Epoch seconds of the first failed attempt since the last success; null while healthy. */
  failingSince: number | null;
  /** Why it was disabled, when it was: by the merchant, or by payrail after days of failures. */
  disabledReason: "merchant" | "failing" | null;
  createdAt: number;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export function newEndpoint(
  merchantId: string,
  request: { url: string; events: string[]; description?: string | undefined },
  livemode: boolean,
  nowMs: number,
): WebhookEndpoint {
  assertEndpointUrl(request.url, livemode);
  return {
    id: newId("webhookEndpoint", nowMs),
    merchantId,
    url: request.url,
    events: [...new Set(request.events)],
    description: request.description ?? null,
    status: "enabled",
    livemode,
    secrets: [{ secret: newWebhookSecret(), expiresAt: null }],
    failingSince: null,
    disabledReason: null,
    createdAt: Math.floor(nowMs / 1000),
  };
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Live mode delivers only over https (and, at send time, only to public addresses: see
 * lib/webhooks/ssrf.ts). Test mode also accepts http to any host, so `http://localhost` works while
 * developing; payrail never sends a live event to a test endpoint or the reverse.
 */
export function assertEndpointUrl(url: string, livemode: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRequestError("parameter_invalid", "Invalid url: must be an absolute URL", {
      param: "url",
    });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new InvalidRequestError("parameter_invalid", "Invalid url: must be http or https", {
      param: "url",
    });
  }
  if (parsed.username || parsed.password) {
    throw new InvalidRequestError("parameter_invalid", "Invalid url: must not carry credentials", {
      param: "url",
    });
  }
  if (livemode && parsed.protocol !== "https:") {
    throw new InvalidRequestError("url_not_https", "Live mode endpoints must use https.", { param: "url" });
  }
  if (livemode && LOCAL_HOSTS.has(parsed.hostname)) {
    throw new InvalidRequestError("url_not_public", "Live mode endpoints must be public hosts.", {
      param: "url",
    });
  }
}

export function wantsEvent(endpoint: Pick<WebhookEndpoint, "events" | "status">, type: EventType): boolean {
  return endpoint.status === "enabled" && endpoint.events.some((pattern) => typeMatches(pattern, type));
}

/** The secrets that sign a delivery at `nowSec`: the current one, plus a rotated one not yet expired. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, "secrets">, nowSec: number): string[] {
  return endpoint.secrets
    .filter((entry) => entry.expiresAt === null || entry.expiresAt > nowSec)
    .map((entry) => entry.secret);
}

export interface RetryPolicy {
  /** Delay after the first failed attempt, in seconds; each further failure doubles it. */
  baseSeconds: number;
  /** Longest single wait between attempts, in seconds. */
  maxDelaySeconds: number;
  /** How long a delivery (and an endpoint) may keep failing before payrail gives up, in seconds. */
  giveUpSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseSeconds: 60,
  maxDelaySeconds: 12 * 3600,
  giveUpSeconds: 3 * 24 * 3600,
};

/**
 * When to try again after attempt `attempt` (1-based) failed, in epoch seconds, or null to give
 * up: exponential backoff (base, 2×base, 4×base, … capped), the last attempt landing exactly at
 * the give-up time (3 days after the first attempt by default).
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempt: number,
  firstAttemptAt: number,
  nowSec: number,
): number | null {
  const deadline = firstAttemptAt + policy.giveUpSeconds;
  if (nowSec >= deadline) return null;
  const delay = Math.min(policy.baseSeconds * 2 ** Math.min(attempt - 1, 30), policy.maxDelaySeconds);
  return Math.min(nowSec + delay, deadline);
}

/** True when an endpoint failing since `failingSince` has failed long enough to be disabled. */
export function failingTooLong(policy: RetryPolicy, failingSince: number | null, nowSec: number): boolean {
  return failingSince !== null && nowSec - failingSince >= policy.giveUpSeconds;
}

export function toEndpointResource(endpoint: WebhookEndpoint, secret?: string): WebhookEndpointResource {
  return {
    id: endpoint.id,
    object: "webhook_endpoint",
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    status: endpoint.status,
    disabled_reason: endpoint.disabledReason,
    livemode: endpoint.livemode,
    created_at: endpoint.createdAt,
    // The secret is shown once, when it is created (or rotated); never on a read.
    ...(secret === undefined ? {} : { secret }),
  };
}
