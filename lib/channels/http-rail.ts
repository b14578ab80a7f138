// Owns the HTTP bank rail adapter: the rail port (bank-rail.ts) spoken over HTTPS to a rail's API
// at a configured endpoint. Every request is signed (HMAC-SHA256 over timestamp, method, path and
// body with a shared secret, as Stripe and most rails sign webhooks), carries the payment id as its
// idempotency reference, and is abandoned after a timeout well inside the function's, so a silent
// rail leaves the payment `processing` for recovery instead of holding the request. The wire
// contract is in docs/bank-rail.md; test/support/fake-rail.ts is a server that keeps it.
import { createHmac } from "node:crypto";
import {
  type BankRail,
  type PayoutInstruction,
  type PayoutResult,
  type PayoutReturn,
  type PayoutStatus,
  RailTimeoutError,
  RailUnavailableError,
} from "./bank-rail.js";

export interface HttpRailOptions {
  /** Base URL, without a trailing slash (`https://rail.example.com`). */
  url: string;
  signingSecret: string;
  /** Per request, connection included. */
  timeoutMs: number;
  /** Clock for the signature's timestamp (tests). */
  nowMs?: () => number;
}

export const SIGNATURE_HEADER = "payrail-signature";
export const TIMESTAMP_HEADER = "payrail-timestamp";

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<METHOD>.<path>.<body>")>`. */
export function railSignature(
  secret: string,
  timestamp: string,
  method: string,
  path: string,
  body: string,
): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${method}.${path}.${body}`).digest("hex");
  return `v1=${mac}`;
}

const DECISIONS: readonly PayoutResult[] = ["accepted", "declined"];

export function httpBankRail(options: HttpRailOptions): BankRail {
  const now = options.nowMs ?? Date.now;

  async function call(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const timestamp = String(Math.floor(now() / 1000));
    const headers: Record<string, string> = {
      accept: "application/json",
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: railSignature(options.signingSecret, timestamp, method, path, text),
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      // One signal for connect, send and reading the body: the whole exchange is bounded.
      const response = await fetch(`${options.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : text,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const raw = await response.text();
      let json: unknown;
      try {
        json = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        json = undefined;
      }
      return { status: response.status, json };
    } catch (error) {
      if ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError")
        throw new RailTimeoutError(
          `bank rail did not answer ${method} ${path} within ${options.timeoutMs} ms`,
          {
            cause: error,
          },
        );
      throw new RailUnavailableError(`bank rail unreachable: ${method} ${path}`, { cause: error });
    }
  }

  const decisionIn = (json: any, reference: string): PayoutResult | undefined =>
    json?.reference === reference && DECISIONS.includes(json?.status)
      ? (json.status as PayoutResult)
      : undefined;

  return {
    async send(instruction: PayoutInstruction): Promise<PayoutResult> {
      const path = "/v1/payouts";
      const answer = await call("POST", path, {
        reference: instruction.paymentId,
        amount: instruction.amount,
        currency: instruction.currency,
        account_number: instruction.accountNumber,
        routing_number: instruction.routingNumber,
      });
      const decision =
        answer.status === 200 || answer.status === 201
          ? decisionIn(answer.json, instruction.paymentId)
          : undefined;
      if (!decision) throw new RailUnavailableError(`bank rail answered ${answer.status} to a payout`);
      return decision;
    },
    async status(instruction: PayoutInstruction): Promise<PayoutStatus> {
      const path = `/v1/payouts/${encodeURIComponent(instruction.paymentId)}`;
      const answer = await call("GET", path);
      if (answer.status === 404) return "unknown";
      const decision = answer.status === 200 ? decisionIn(answer.json, instruction.paymentId) : undefined;
      if (!decision) throw new RailUnavailableError(`bank rail answered ${answer.status} to a status query`);
      return decision;
    },
    async returns(untilMs: number, limit: number): Promise<PayoutReturn[]> {
      const answer = await call("GET", `/v1/returns?limit=${limit}`);
      const data = (answer.json as { data?: Array<Record<string, unknown> | null> } | undefined)?.data;
      if (answer.status !== 200 || !Array.isArray(data))
        throw new RailUnavailableError(`bank rail answered ${answer.status} to a returns query`);
      const returns: PayoutReturn[] = [];
      for (const entry of data) {
        // A malformed entry is the rail's fault, not a reason to apply the others wrongly: refuse all.
        if (
          typeof entry?.reference !== "string" ||
          typeof entry?.return_code !== "string" ||
          !Number.isSafeInteger(entry?.returned_at)
        )
          throw new RailUnavailableError("bank rail answered a return without reference, code or time");
        const returnedAtMs = (entry.returned_at as number) * 1000;
        // The rail's clock may run ahead of ours: a return stamped later than now waits a run.
        if (returnedAtMs > untilMs) continue;
        returns.push({
          paymentId: entry.reference,
          returnCode: entry.return_code,
          returnedAtMs,
          // This adapter is live mode's rail (lib/runtime.ts): every return it reports is live.
          livemode: true,
        });
      }
      return returns.slice(0, limit);
    },
    async acknowledgeReturn(returned: PayoutReturn): Promise<void> {
      const path = `/v1/returns/${encodeURIComponent(returned.paymentId)}/acknowledge`;
      const answer = await call("POST", path, {});
      // 404: the rail no longer reports it (acknowledged before): repeating is harmless.
      if (answer.status !== 200 && answer.status !== 204 && answer.status !== 404)
        throw new RailUnavailableError(`bank rail answered ${answer.status} to a return acknowledgement`);
    },
  };
}
