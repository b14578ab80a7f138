// Owns the stored answer of an idempotent request and the signal that replays it. Apart from
// idempotency.ts (which reads records through the DynamoDB SDK) so that the answer middleware
// (lib/http/error-response.ts), bundled into every HTTP function, does not load the SDK.

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** Thrown instead of executing again: the middleware answers with the stored response. */
export class IdempotentReplay extends Error {
  override name = "IdempotentReplay";
  constructor(readonly response: StoredResponse) {
    super("idempotent replay");
  }
}
