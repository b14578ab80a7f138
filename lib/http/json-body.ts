// Owns reading the request body: the payload limit (Lambda's synchronous limit is 6 MB, enforced
// here so local runs answer 413 like AWS) and JSON parsing into a plain object.
import type { MiddlewareObj } from "@middy/core";
import { BodyTooLargeError, InvalidRequestError } from "../errors.js";
import type { ApiEvent } from "./types.js";

export function jsonBody(maxBytes: number): MiddlewareObj<ApiEvent> {
  return {
    name: "jsonBody",
    before(request) {
      const event = request.event;
      const raw = event.body ?? "";
      const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
      if (Buffer.byteLength(text, "utf8") > maxBytes) throw new BodyTooLargeError(maxBytes);
      if (event.requestContext.http.method !== "POST") return;
      if (text.trim() === "") {
        event.payrail.body = {};
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new InvalidRequestError("body_not_json", "The request body is not valid JSON.");
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new InvalidRequestError("body_not_object", "The request body must be a JSON object.");
      }
      event.payrail.body = parsed;
    },
  };
}
