// Owns every setting payrail reads from the environment: one place, defaults for local runs.
// Endpoints for local emulators come from the SDK's own variables (AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_SQS), so the code path is identical in AWS and locally.
import type { RetryPolicy } from "../domain/webhooks.js";

export interface PayrailConfig {
  /** The single DynamoDB table holding the ledger, payments, batches and idempotency records. */
  tableName: string;
  releaseQueueName: string;
  itemsQueueName: string;
  itemsDeadLetterQueueName: string;
  /** Simulated latency of the sandbox bank rail, in milliseconds. */
  bankRailLatencyMs: number;
  /** How long after accepting it the sandbox rail returns a payout to an account ending in 0004. */
  sandboxReturnAfterSeconds: number;
  /** Largest request body accepted, in bytes (Lambda's synchronous payload limit is 6 MB). */
  maxBodyBytes: number;
  /** How long idempotency records are kept (AWS TTL), in seconds; at least 24 h. */
  idempotencyTtlSeconds: number;
  /** A bank payment still `processing` after this long is considered stuck and recovered. */
  stuckPaymentAfterSeconds: number;
  /** How long a verified API key is trusted without a lookup, in seconds (revocation delay). */
  authCacheTtlSeconds: number;
  /** How long a merchant's risk rules are used per container without a read (a change's delay). */
  riskRulesCacheSeconds: number;
  /** An active batch whose chunks made no progress for this long gets its unprocessed chunks re-sent. */
  stalledBatchAfterSeconds: number;
  /** The dashboard's built files (dashboard/dist in the function's package; the local stack builds its own). */
  dashboardDir: string;
  /**
   * How long after a consumer claimed a chunk's rail sends the dead-letter drain waits before asking
   * the rail about them: longer than the item consumer's timeout (60 s), so any send has finished.
   */
  railSendersDoneAfterSeconds: number;
  /** The webhook deliveries queue (one message per event and endpoint attempt). */
  webhookQueueName: string;
  /** Backoff of failed webhook deliveries; compressed in tests, 1 min doubling up to 3 days in AWS. */
  webhookRetry: RetryPolicy;
  /** Deadline of one webhook POST, in milliseconds. */
  webhookTimeoutMs: number;
  /** The API's public base URL (`https://api.example.com`), named in the served OpenAPI document's
   *  `servers`; unset: the scheme and host each request was sent to. */
  publicUrl: string | undefined;
  /**
   * The bank rail live-mode payouts use. `none`: this stage has no live mode (live keys answer 403);
   * `http`: the HTTP rail adapter (lib/channels/http-rail.ts) at `rail.url`. Test mode always uses
   * the sandbox rail. `sandbox` is refused at start: its magic numbers would decide real payouts.
   */
  liveRail: "none" | "http";
  /** The HTTP rail's endpoint, signing secret and per-request timeout (liveRail `http` only). */
  rail: { url: string; signingSecret: string; timeoutMs: number } | undefined;
  /** CloudWatch namespace of payrail's own metrics: `payrail/<stage>` when deployed. */
  metricsNamespace: string;
  /** Test-only fault injection seam; ignored unless PAYRAIL_FAULTS_ENABLED=1 (never set in AWS). */
  faults: string | undefined;
  /** Where exchange rates come from: the deterministic test rates, or an HTTP rate provider. */
  fxRates: FxRatesConfig;
  /** How long an FX quote may be used, in seconds: the default and the longest a request may ask. */
  fxQuoteTtlSeconds: number;
  /** The FX fee in basis points of the source amount (30 = 0.30%), below 10,000. */
  fxFeeBasisPoints: number;
}

export type FxRatesConfig =
  | { kind: "test" }
  | { kind: "http"; url: string; token: string | undefined; cacheSeconds: number; timeoutMs: number };

function fxRatesFrom(env: NodeJS.ProcessEnv): FxRatesConfig {
  const kind = env.PAYRAIL_FX_RATE_SOURCE || "test";
  if (kind === "test") return { kind };
  if (kind !== "http")
    throw new Error(`payrail: PAYRAIL_FX_RATE_SOURCE must be "test" or "http", got "${kind}"`);
  const url = env.PAYRAIL_FX_RATES_URL;
  if (!url) throw new Error("payrail: PAYRAIL_FX_RATE_SOURCE=http needs PAYRAIL_FX_RATES_URL");
  return {
    kind,
    url,
    token: env.PAYRAIL_FX_RATES_TOKEN || undefined,
    cacheSeconds: integer("PAYRAIL_FX_RATES_CACHE_SECONDS", 30),
    timeoutMs: Math.max(integer("PAYRAIL_FX_RATES_TIMEOUT_MS", 2_000), 100),
  };
}

function integer(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConfigError(`payrail: setting ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** Thrown at start for a setting that must not run (one clear line, see STYLE.md). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function liveRailOf(env: NodeJS.ProcessEnv): Pick<PayrailConfig, "liveRail" | "rail"> {
  const choice = env.PAYRAIL_LIVE_RAIL || "none";
  if (choice === "none") return { liveRail: "none", rail: undefined };
  if (choice === "sandbox")
    throw new ConfigError(
      "payrail: PAYRAIL_LIVE_RAIL=sandbox refused: live mode cannot run on the sandbox rail (its magic account numbers decide payouts); use http, or none for a stage without live mode",
    );
  if (choice !== "http")
    throw new ConfigError(`payrail: setting PAYRAIL_LIVE_RAIL must be none or http, got "${choice}"`);
  const url = env.PAYRAIL_RAIL_URL ?? "";
  const signingSecret = env.PAYRAIL_RAIL_SIGNING_SECRET ?? "";
  if (!/^https?:\/\//.test(url))
    throw new ConfigError(
      `payrail: PAYRAIL_LIVE_RAIL=http needs PAYRAIL_RAIL_URL (http(s)://…), got "${url}"`,
    );
  if (signingSecret.length < 32)
    throw new ConfigError(
      "payrail: PAYRAIL_LIVE_RAIL=http needs PAYRAIL_RAIL_SIGNING_SECRET of at least 32 characters",
    );
  return {
    liveRail: "http",
    rail: {
      url: url.replace(/\/+$/, ""),
      signingSecret,
      timeoutMs: integer("PAYRAIL_RAIL_TIMEOUT_MS", 3000, env),
    },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PayrailConfig {
  return {
    ...liveRailOf(env),
    tableName: env.PAYRAIL_TABLE ?? "payrail-local",
    releaseQueueName: env.PAYRAIL_RELEASE_QUEUE ?? "payrail-local-release",
    itemsQueueName: env.PAYRAIL_ITEMS_QUEUE ?? "payrail-local-items",
    itemsDeadLetterQueueName: env.PAYRAIL_ITEMS_DLQ ?? "payrail-local-items-dlq",
    metricsNamespace: env.POWERTOOLS_METRICS_NAMESPACE || "payrail",
    bankRailLatencyMs: integer("PAYRAIL_BANK_RAIL_LATENCY_MS", 0, env),
    sandboxReturnAfterSeconds: integer("PAYRAIL_SANDBOX_RETURN_AFTER_SECONDS", 5, env),
    maxBodyBytes: integer("PAYRAIL_MAX_BODY_BYTES", 6 * 1024 * 1024, env),
    idempotencyTtlSeconds: Math.max(integer("PAYRAIL_IDEMPOTENCY_TTL_SECONDS", 48 * 3600, env), 24 * 3600),
    stuckPaymentAfterSeconds: integer("PAYRAIL_STUCK_PAYMENT_AFTER_SECONDS", 300, env),
    authCacheTtlSeconds: integer("PAYRAIL_AUTH_CACHE_TTL_SECONDS", 30, env),
    riskRulesCacheSeconds: integer("PAYRAIL_RISK_RULES_CACHE_SECONDS", 10, env),
    stalledBatchAfterSeconds: integer("PAYRAIL_STALLED_BATCH_AFTER_SECONDS", 300, env),
    dashboardDir: env.PAYRAIL_DASHBOARD_DIR ?? `${env.LAMBDA_TASK_ROOT ?? process.cwd()}/dashboard/dist`,
    railSendersDoneAfterSeconds: integer("PAYRAIL_RAIL_SENDERS_DONE_AFTER_SECONDS", 90, env),
    webhookQueueName: env.PAYRAIL_WEBHOOK_QUEUE ?? "payrail-local-webhooks",
    webhookRetry: {
      baseSeconds: Math.max(integer("PAYRAIL_WEBHOOK_RETRY_BASE_SECONDS", 60, env), 1),
      maxDelaySeconds: Math.max(integer("PAYRAIL_WEBHOOK_RETRY_MAX_DELAY_SECONDS", 12 * 3600, env), 1),
      giveUpSeconds: Math.max(integer("PAYRAIL_WEBHOOK_GIVE_UP_SECONDS", 3 * 24 * 3600, env), 1),
    },
    webhookTimeoutMs: Math.max(integer("PAYRAIL_WEBHOOK_TIMEOUT_MS", 10_000, env), 100),
    publicUrl: env.PAYRAIL_PUBLIC_URL || undefined,
    // Enabled without a spec still honours per-batch faults (see lib/faults.ts), hence "".
    faults: env.PAYRAIL_FAULTS_ENABLED === "1" ? (env.PAYRAIL_FAULTS ?? "") : undefined,
    fxRates: fxRatesFrom(env),
    fxQuoteTtlSeconds: Math.max(integer("PAYRAIL_FX_QUOTE_TTL_SECONDS", 60), 1),
    fxFeeBasisPoints: Math.min(integer("PAYRAIL_FX_FEE_BASIS_POINTS", 30), 9_999),
  };
}
