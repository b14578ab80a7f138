// Owns reading the Idempotency-Key header into a claim. The claim is not written here: each write
// stores it in its own transaction (see lib/ledger/commit.ts), so the happy path costs nothing more.
// Replays, reuse and in-use are answered by the error middleware from what the ledger throws.
import { createHash } from "node:crypto";
import type { MiddlewareObj } from "@middy/core";
import { InvalidRequestError } from "../errors.js";
import type { ApiEvent } from "./types.js";

/** Canonical JSON (sorted keys) so the same body with other whitespace or key order matches. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function idempotency(ttlSeconds: number): MiddlewareObj<ApiEvent> {
  return {
    name: "idempotency",
    before(request) {
      const event = request.event;
      const key = event.headers["idempotency-key"];
      if (key === undefined || event.requestContext.http.method !== "POST") return;
      if (key.length < 1 || key.length > 255 || !/^[\x21-\x7E]+$/.test(key)) {
        throw new InvalidRequestError(
          "idempotency_key_invalid",
          "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.",
          { param: "Idempotency-Key" },
        );
      }
      const call = event.payrail;
      const fingerprint = createHash("sha256")
        .update(`${event.requestContext.http.method} ${event.rawPath}\n${canonical(call.body)}`)
        .digest("hex");
      const now = Math.floor(Date.now() / 1000);
      call.idempotency = {
        merchantId: call.merchantId,
        key,
        fingerprint,
        now,
        expiresAt: now + ttlSeconds,
        requestId: call.requestId,
      };
    },
  };
}
