// Owns the start of every call: a request id (API Gateway's own when present), the phase timer and
// the language of the answer's messages (Accept-Language).
import { randomUUID } from "node:crypto";
import type { MiddlewareObj } from "@middy/core";
import { DEFAULT_LANGUAGE, negotiateLanguage } from "../i18n/language.js";
import { PhaseTimer } from "./timing.js";
import type { ApiEvent } from "./types.js";

export function requestContext(): MiddlewareObj<ApiEvent> {
  return {
    name: "requestContext",
    before(request) {
      const event = request.event;
      event.payrail = {
        requestId: `req_${event.requestContext?.requestId?.replace(/[^A-Za-z0-9]/g, "") || randomUUID().replaceAll("-", "")}`,
        timer: new PhaseTimer(),
        merchantId: "",
        livemode: false,
        // Until authentication names the key: routes without authentication hold no key.
        apiKey: { id: "", name: null, role: "read_only" },
        body: undefined,
        query: event.queryStringParameters ?? {},
        params: (event.pathParameters as Record<string, string> | undefined) ?? {},
        idempotency: undefined,
        origin: "",
        language: DEFAULT_LANGUAGE,
      } as ApiEvent["payrail"];
      event.headers = lowerCaseKeys(event.headers ?? {});
      event.payrail.language = negotiateLanguage(event.headers["accept-language"]);
      const host = event.headers.host ?? event.requestContext?.domainName ?? "localhost";
      event.payrail.origin = `${event.headers["x-forwarded-proto"] ?? "http"}://${host}`;
    },
  };
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
