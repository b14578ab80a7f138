// Owns one API call over fetch: headers, the Idempotency-Key of a POST (generated once, reused by
// every retry, so a retried POST executes at most once), retries with exponential backoff and
// jitter on answers that are safe to retry, and turning error answers into typed errors.
import { apiErrorFor, PayrailConnectionError } from "./errors.js";
import type { ApiErrorDetail, RequestOptions, ResponseMeta } from "./types.js";

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  maxRetries: number;
  /** The first retry waits about this long; each next one twice as long, up to maxRetryDelayMs. */
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** Per attempt; an attempt that takes longer is abandoned and retried. */
  timeoutMs: number;
  fetch: typeof fetch;
  /** Sent as Accept-Language: the language of error messages (`zh-CN` or English). */
  language?: string | undefined;
}

export interface ApiRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ApiAnswer<T> {
  body: T;
  meta: ResponseMeta;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** 409 is retried only for idempotency_key_in_use: the first request is still running. */
function isRetryable(status: number, code: string | undefined): boolean {
  return status === 429 || status >= 500 || (status === 409 && code === "idempotency_key_in_use");
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** The wait before retry number `retry` (1-based): exponential, with "equal jitter". */
  retryDelayMs(retry: number, retryAfter: string | null): number {
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0)
      return Math.min(seconds * 1000, this.options.maxRetryDelayMs);
    const ceiling = Math.min(
      this.options.maxRetryDelayMs,
      this.options.initialRetryDelayMs * 2 ** (retry - 1),
    );
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async request<T>(request: ApiRequest, callOptions: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, "") + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: "application/json",
    };
    if (this.options.language) headers["accept-language"] = this.options.language;
    let idempotencyKey: string | undefined;
    if (request.method === "POST") {
      idempotencyKey = callOptions.idempotencyKey ?? crypto.randomUUID();
      headers["idempotency-key"] = idempotencyKey;
      headers["content-type"] = "application/json";
    }
    const body = request.method === "POST" ? JSON.stringify(request.body ?? {}) : undefined;
    const maxRetries = callOptions.maxRetries ?? this.options.maxRetries;

    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < maxRetries;
      let response: Response;
      let text: string;
      try {
        const signals = [AbortSignal.timeout(this.options.timeoutMs)];
        if (callOptions.signal) signals.push(callOptions.signal);
        response = await this.options.fetch(url, {
          method: request.method,
          headers,
          body,
          signal: AbortSignal.any(signals),
        });
        text = await response.text();
      } catch (error) {
        // The caller's own abort is final; anything else never reached an answer and is safe to
        // repeat because a POST carries the same Idempotency-Key.
        if (callOptions.signal?.aborted) throw error;
        if (!canRetry) {
          throw new PayrailConnectionError(
            `Could not reach ${url.origin}: ${(error as Error).message}`,
            idempotencyKey,
            { cause: error },
          );
        }
        await sleep(this.retryDelayMs(attempt + 1, null), callOptions.signal);
        continue;
      }

      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (response.ok) {
        return { body: parsed as T, meta: metaOf(response, idempotencyKey) };
      }
      const detail = errorDetailOf(parsed, text);
      if (canRetry && isRetryable(response.status, detail.code)) {
        await sleep(this.retryDelayMs(attempt + 1, response.headers.get("retry-after")), callOptions.signal);
        continue;
      }
      throw apiErrorFor({ status: response.status, detail, headers: response.headers, idempotencyKey });
    }
  }
}

function metaOf(response: Response, idempotencyKey: string | undefined): ResponseMeta {
  return {
    status: response.status,
    requestId: response.headers.get("request-id") ?? undefined,
    idempotentReplayed: response.headers.get("idempotent-replayed") === "true",
    idempotencyKey,
    headers: response.headers,
  };
}

/** The `error` object of an error answer; API Gateway's own answers are `{message}` only. */
function errorDetailOf(parsed: unknown, text: string): Partial<ApiErrorDetail> & { message?: string } {
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (error && typeof error === "object") return error as Partial<ApiErrorDetail>;
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return { message: typeof message === "string" ? message : text.slice(0, 200) || undefined };
}
