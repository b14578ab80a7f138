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

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`payrail: setting ${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PayrailConfig {
  return {
    tableName: env.PAYRAIL_TABLE ?? "payrail-local",
    releaseQueueName: env.PAYRAIL_RELEASE_QUEUE ?? "payrail-local-release",
    itemsQueueName: env.PAYRAIL_ITEMS_QUEUE ?? "payrail-local-items",
    itemsDeadLetterQueueName: env.PAYRAIL_ITEMS_DLQ ?? "payrail-local-items-dlq",
    bankRailLatencyMs: integer("PAYRAIL_BANK_RAIL_LATENCY_MS", 0),
    sandboxReturnAfterSeconds: integer("PAYRAIL_SANDBOX_RETURN_AFTER_SECONDS", 5),
    maxBodyBytes: integer("PAYRAIL_MAX_BODY_BYTES", 6 * 1024 * 1024),
    idempotencyTtlSeconds: Math.max(integer("PAYRAIL_IDEMPOTENCY_TTL_SECONDS", 48 * 3600), 24 * 3600),
    stuckPaymentAfterSeconds: integer("PAYRAIL_STUCK_PAYMENT_AFTER_SECONDS", 300),
    authCacheTtlSeconds: integer("PAYRAIL_AUTH_CACHE_TTL_SECONDS", 30),
    stalledBatchAfterSeconds: integer("PAYRAIL_STALLED_BATCH_AFTER_SECONDS", 300),
    dashboardDir: env.PAYRAIL_DASHBOARD_DIR ?? `${env.LAMBDA_TASK_ROOT ?? process.cwd()}/dashboard/dist`,
    railSendersDoneAfterSeconds: integer("PAYRAIL_RAIL_SENDERS_DONE_AFTER_SECONDS", 90),
    webhookQueueName: env.PAYRAIL_WEBHOOK_QUEUE ?? "payrail-local-webhooks",
    webhookRetry: {
      baseSeconds: Math.max(integer("PAYRAIL_WEBHOOK_RETRY_BASE_SECONDS", 60), 1),
      maxDelaySeconds: Math.max(integer("PAYRAIL_WEBHOOK_RETRY_MAX_DELAY_SECONDS", 12 * 3600), 1),
      giveUpSeconds: Math.max(integer("PAYRAIL_WEBHOOK_GIVE_UP_SECONDS", 3 * 24 * 3600), 1),
    },
    webhookTimeoutMs: Math.max(integer("PAYRAIL_WEBHOOK_TIMEOUT_MS", 10_000), 100),
    publicUrl: env.PAYRAIL_PUBLIC_URL || undefined,
    // Enabled without a spec still honours per-batch faults (see lib/faults.ts), hence "".
    faults: env.PAYRAIL_FAULTS_ENABLED === "1" ? (env.PAYRAIL_FAULTS ?? "") : undefined,
    fxRates: fxRatesFrom(env),
    fxQuoteTtlSeconds: Math.max(integer("PAYRAIL_FX_QUOTE_TTL_SECONDS", 60), 1),
    fxFeeBasisPoints: Math.min(integer("PAYRAIL_FX_FEE_BASIS_POINTS", 30), 9_999),
  };
}
