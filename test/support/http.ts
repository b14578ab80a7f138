// A raw HTTP caller for integration tests: the typed client hides status codes, headers and
// malformed bodies, which these tests must see exactly.

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body` (malformed JSON, oversized payloads). */
  raw?: string;
  headers?: Record<string, string>;
  apiKey?: string | null;
  /** Abandon the request after this long (the caller sees a thrown TimeoutError). */
  timeoutMs?: number;
}

export class HttpCaller {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string | null,
  ) {}

  withKey(apiKey: string | null): HttpCaller {
    return new HttpCaller(this.baseUrl, apiKey);
  }

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<HttpAnswer<T>> {
    const key = options.apiKey === undefined ? this.apiKey : options.apiKey;
    const headers: Record<string, string> = { ...options.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = options.raw;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  post<T = any>(path: string, body?: unknown, options: Omit<CallOptions, "body"> = {}) {
    return this.call<T>("POST", path, { ...options, body });
  }

  get<T = any>(path: string, options: CallOptions = {}) {
    return this.call<T>("GET", path, options);
  }
}
