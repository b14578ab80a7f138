// payrail's TypeScript client: typed resources over fetch, with automatic Idempotency-Keys, safe
// retries and auto-paging lists. Runs wherever fetch and Web Crypto do (Node 20+, Deno, Bun,
// browsers); no dependencies.
import {
  Accounts,
  ApiKeys,
  ApprovalPolicies,
  Batches,
  Events,
  FxQuotes,
  Holds,
  Payments,
  Refunds,
  RiskRules,
  Topups,
} from "./resources.js";
import { Transport } from "./transport.js";
import { webhooks } from "./webhooks.js";

export interface PayrailOptions {
  /** A secret key, `sk_test_…`. */
  apiKey: string;
  /** e.g. `https://abc123.execute-api.us-east-1.amazonaws.com` or `http://localhost:3000`. */
  baseUrl: string;
  /** Retries of a call that failed in a way safe to retry (network, 409 in use, 429, 5xx). Default 2. */
  maxRetries?: number;
  /** Default 500 ms; doubled at each retry (with jitter) up to maxRetryDelayMs (default 8 s). */
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Per attempt. Default 30 s (API Gateway answers within 30 s). */
  timeoutMs?: number;
  /** Defaults to the global fetch; pass one to add a proxy, logging, or a fake in tests. */
  fetch?: typeof fetch;
  /** The language of the API's error messages (Accept-Language): `zh-CN`, or English by default. */
  language?: string;
}

export class Payrail {
  readonly accounts: Accounts;
  readonly topups: Topups;
  readonly payments: Payments;
  readonly refunds: Refunds;
  readonly holds: Holds;
  readonly fxQuotes: FxQuotes;
  readonly batches: Batches;
  readonly events: Events;
  readonly riskRules: RiskRules;
  /** API keys with roles (admin keys only). */
  readonly apiKeys: ApiKeys;
  /** The batch approval policy (admin keys only). */
  readonly approvalPolicy: ApprovalPolicies;
  /** `constructEvent(rawBody, signatureHeader, secret, toleranceSeconds = 300)`; also exported alone. */
  readonly webhooks = webhooks;

  constructor(options: PayrailOptions) {
    if (!options.apiKey) throw new Error("Payrail: apiKey is required");
    if (!options.baseUrl) throw new Error("Payrail: baseUrl is required");
    const transport = new Transport({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl,
      maxRetries: options.maxRetries ?? 2,
      initialRetryDelayMs: options.initialRetryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 8_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      language: options.language,
    });
    this.accounts = new Accounts(transport);
    this.topups = new Topups(transport);
    this.payments = new Payments(transport);
    this.refunds = new Refunds(transport);
    this.holds = new Holds(transport);
    this.fxQuotes = new FxQuotes(transport);
    this.batches = new Batches(transport);
    this.events = new Events(transport);
    this.riskRules = new RiskRules(transport);
    this.apiKeys = new ApiKeys(transport);
    this.approvalPolicy = new ApprovalPolicies(transport);
  }
}

export {
  AuthenticationError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PaymentError,
  PayrailApiError,
  PayrailConnectionError,
  PermissionError,
  RateLimitError,
  ServerError,
} from "./errors.js";
export type { ListRequest, Page } from "./lists.js";
export type * from "./types.js";
export { constructEvent, WebhookSignatureError, webhooks } from "./webhooks.js";
