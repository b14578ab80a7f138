// Owns the shapes passed between the HTTP middlewares and the route handlers.

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ApiKeyRole } from "../domain/permissions.js";
import type { Language } from "../i18n/language.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import type { PhaseTimer } from "./timing.js";

/** What the middlewares learned about a call before the route runs. */
export interface ApiCall {
  requestId: string;
  timer: PhaseTimer;
  /**
   * The ledger owner of this call: the key's merchant in the key's mode (`mer_…` in test mode,
   * `mer_….live` in live mode; lib/domain/modes.ts). Every ownership check and list uses it, which
   * is what keeps test and live objects invisible to each other.
   */
  merchantId: string;
  /** True for a live key (`sk_live_…`). */
  livemode: boolean;
  /** The key that made the call: its id (`key_…`), name and role; recorded on what it creates. */
  apiKey: CallingKey;
  /** The parsed JSON body of a POST; `{}` for a POST without body. */
  body: unknown;
  query: Record<string, string>;
  params: Record<string, string>;
  /** Scheme and host the client called (`https://api.example.com`), from Host and X-Forwarded-Proto. */
  origin: string;
  /** Present when the client sent an Idempotency-Key. */
  idempotency: IdempotencyClaim | undefined;
  /** The language of error messages, from Accept-Language (answered as Content-Language). */
  language: Language;
}

export interface CallingKey {
  id: string;
  name: string | null;
  role: ApiKeyRole;
}

export interface ApiEvent extends APIGatewayProxyEventV2 {
  payrail: ApiCall;
}

export type ApiResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};

export interface RouteResult {
  status: number;
  body: unknown;
}

export type RouteHandler = (call: ApiCall) => Promise<RouteResult>;
