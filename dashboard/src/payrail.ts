// The one place the dashboard imports the typed client. It speaks only the public API, on the origin
// that served the dashboard (the stack serves both), so it works against any stage.
// When the client is published as its own package, these lines become `from "@payrail/client"`.
import { Payrail } from "../../client/index.js";

export type {
  Account,
  Batch,
  BatchItem,
  Event as PayrailEvent,
  Payment,
  PaymentListParams,
} from "../../client/index.js";
export { AuthenticationError, NotFoundError, PayrailApiError } from "../../client/index.js";
export { Payrail };

/** A client for `baseUrl`: the dashboard passes its own origin (the stack serves both). */
export function clientFor(apiKey: string, baseUrl: string): Payrail {
  // A dashboard reads; one retry is enough and keeps a dead stack from spinning for long.
  return new Payrail({ apiKey, baseUrl, maxRetries: 1, timeoutMs: 15_000 });
}
