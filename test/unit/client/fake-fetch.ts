// A scripted fetch for client unit tests: answers in order, records every request.
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON of `body` (e.g. an HTML error page). */
  text?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export function fakeFetch(script: (ScriptedAnswer | Error)[]) {
  const requests: RecordedRequest[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    requests.push({
      url: new URL(String(input)),
      method: init?.method ?? "GET",
      headers,
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    const next = script.shift();
    if (!next) throw new Error("fake fetch: no answer scripted for this request");
    if (next instanceof Error) throw next;
    return new Response(next.text ?? (next.body === undefined ? "" : JSON.stringify(next.body)), {
      status: next.status,
      headers: { "content-type": "application/json", ...next.headers },
    });
  }) as typeof globalThis.fetch;
  return { fetch, requests, remaining: () => script.length };
}

export const PAYMENT = {
  id: "pay_01JD8X3V9Q0000000000000001",
  object: "payment",
  status: "succeeded",
  amount: 1250,
  currency: "USD",
  source: "acct_01JD8X3V9Q0000000000000001",
  destination: "acct_01JD8X3V9Q0000000000000002",
  channel: "ledger",
  failure_code: null,
  description: null,
  metadata: {},
  batch: null,
  amount_refunded: 0,
  return_code: null,
  created_at: 1_764_000_000,
} as const;

export function apiError(
  status: number,
  error: Record<string, unknown>,
  requestId = "req_test",
): ScriptedAnswer {
  return {
    status,
    body: { error: { request_id: requestId, ...error } },
    headers: { "request-id": requestId },
  };
}
