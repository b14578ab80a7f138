// Owns reading the request body: the payload limit (Lambda's synchronous limit is 6 MB, enforced
// here so local runs answer 413 like AWS), JSON parsing into a plain object whatever the declared
// Content-Type (a body that is not JSON is answered with how to send one), and a nesting limit:
// no request shape nests deeper than a few levels, and everything after this middleware (the
// Idempotency-Key fingerprint, validation) may then walk a body recursively without overflowing.
import type { MiddlewareObj } from "@middy/core";
import { BodyTooLargeError, InvalidRequestError } from "../errors.js";
import { type MessageRef, messageRef } from "../i18n/message-ref.js";
import type { ApiEvent } from "./types.js";

/** Deeper than any request shape (a batch item's metadata is 4 levels down); 5,000 levels is not JSON we accept. */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

export function jsonBody(maxBytes: number): MiddlewareObj<ApiEvent> {
  return {
    name: "jsonBody",
    before(request) {
      const event = request.event;
      const text = bodyText(event.body as unknown, event.isBase64Encoded);
      if (Buffer.byteLength(text, "utf8") > maxBytes) throw new BodyTooLargeError(maxBytes);
      if (event.requestContext.http.method !== "POST") return;
      if (text.trim() === "") {
        event.payrail.body = {};
        return;
      }
      let parsed: unknown;
      try {
        // Whatever the declared Content-Type: `curl -d '{…}'` labels JSON as form-encoded.
        parsed = JSON.parse(text);
      } catch {
        throw new InvalidRequestError("body_not_json", notJsonMessage(text));
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new InvalidRequestError("body_not_object", "The request body must be a JSON object.");
      }
      if (nestsDeeperThan(parsed, MAX_BODY_DEPTH)) {
        throw new InvalidRequestError(
          "body_too_deep",
          messageRef("body_too_deep.detail", { depth: MAX_BODY_DEPTH }),
        );
      }
      event.payrail.body = parsed;
    },
  };
}

/** Says what the body looks like instead, so the fix is obvious; never echoes the body itself. */
function notJsonMessage(text: string): MessageRef {
  const trimmed = text.trim();
  const how = { how: messageRef("json.how") };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return messageRef("body_not_json.malformed", how);
  if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(trimmed)) return messageRef("body_not_json.form", how);
  return messageRef("body_not_json.detail", how);
}

/**
 * API Gateway always hands Lambda a string (or none). serverless-offline hands over its parsed JSON
 * for falsy scalars (`false`, `0`, `null`); re-serialising them keeps the middleware's contract.
 */
function bodyText(body: unknown, base64: boolean): string {
  if (body === undefined || body === null) return "";
  if (typeof body !== "string") return JSON.stringify(body);
  return base64 ? Buffer.from(body, "base64").toString("utf8") : body;
}
