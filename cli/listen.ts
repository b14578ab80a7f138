// `payrail listen --forward-to http://localhost:4242/hooks`: follows the merchant's event log
// (GET /v1/events, forward from "now") and forwards each event to a local server, signed exactly as
// payrail's webhook deliveries are, with a session secret printed at start; one line per event.
// It polls instead of registering an endpoint, so it works against a deployed API that cannot
// reach the developer's machine. Events show up after the list's read horizon (about 5 s).
import { hmacSha256Hex } from "../client/webhooks.js";

export interface ListenOptions {
  baseUrl: string;
  apiKey: string;
  forwardTo: string;
  /** Event type filter (`payment.*`, `*`, ...). */
  type: string | undefined;
  fetch: typeof fetch;
  write: (line: string) => void;
  pollIntervalMs: number;
  /** Stops after forwarding this many events (scripts and tests); forever when undefined. */
  maxEvents: number | undefined;
  signal: AbortSignal | undefined;
  /** Chosen when absent; printed so the local server can verify with constructEvent. */
  secret: string;
}

interface EventPage {
  data: { id: string; type: string }[];
  has_more: boolean;
}

export function sessionSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return `whsec_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
}

/** The millisecond an event id was stamped at (ids are time-ordered, Crockford base32). */
function stampedAtMs(id: string): number {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let ms = 0;
  for (const char of id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11))
    ms = ms * 32 + alphabet.indexOf(char);
  return ms;
}

export async function listen(options: ListenOptions): Promise<number> {
  const startedAtMs = Date.now();
  const page = async (after: string | undefined): Promise<EventPage> => {
    const query = new URLSearchParams({ limit: "100" });
    if (options.type) query.set("type", options.type);
    if (after) query.set("starting_after", after);
    const answer = await options.fetch(`${options.baseUrl}/v1/events?${query}`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
    if (!answer.ok)
      throw new Error(`GET /v1/events answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
    return (await answer.json()) as EventPage;
  };
  // Start from now: skip what is already in the log, and what is still behind its read horizon.
  let cursor: string | undefined;
  for (let current = await page(undefined); ; current = await page(cursor)) {
    cursor = current.data.at(-1)?.id ?? cursor;
    if (!current.has_more) break;
  }
  options.write(`Ready. Forwarding events to ${options.forwardTo}; signing secret ${options.secret}\n`);
  let forwarded = 0;
  while (!options.signal?.aborted) {
    const current = await page(cursor);
    for (const event of current.data) {
      cursor = event.id;
      if (stampedAtMs(event.id) < startedAtMs) continue;
      const body = JSON.stringify(event);
      const t = Math.floor(Date.now() / 1000);
      let outcome: string;
      try {
        const answer = await options.fetch(options.forwardTo, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            "payrail-signature": `t=${t},v1=${hmacSha256Hex(options.secret, `${t}.${body}`)}`,
            "payrail-event-id": event.id,
          },
          body,
        });
        outcome = String(answer.status);
      } catch (error) {
        outcome = `failed (${(error as Error).message})`;
      }
      options.write(`${new Date().toISOString()}  ${event.type.padEnd(26)} ${event.id}  -> ${outcome}\n`);
      forwarded++;
      if (options.maxEvents !== undefined && forwarded >= options.maxEvents) return 0;
    }
    if (!current.has_more) await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
  }
  return 0;
}
