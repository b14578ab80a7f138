// Owns the live rate source adapter: rates from an HTTP rate provider, configured by URL. The
// provider answers `{"base": "USD", "rates": {"EUR": "0.9215", "JPY": 149.85, ...}}` (units of each
// currency per one unit of the base; strings or JSON numbers). Numbers are read from the raw JSON
// text, never through a binary float. One fetch serves every pair for `cacheSeconds` per container.
import { type Currency, isCurrency } from "../money/currencies.js";
import { crossRate, InvalidRateError, parseRate, type Rate } from "../money/rate.js";
import { type RateSource, RateUnavailableError } from "./rate-source.js";

export interface HttpRateSourceOptions {
  url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string | undefined;
  cacheSeconds: number;
  timeoutMs: number;
  fetch?: typeof fetch;
}

interface RateTable {
  base: Currency;
  perBase: Map<string, Rate>;
  fetchedAtMs: number;
}

/** JSON.parse keeping every number as its source text (Node 21+ passes the reviver a context). */
function parseKeepingDigits(text: string): unknown {
  return JSON.parse(text, (_key, value, context?: { source?: string }) => {
    if (typeof value !== "number") return value;
    if (context?.source === undefined) throw new RateUnavailableError("cannot read JSON numbers exactly");
    return context.source;
  });
}

function tableFrom(body: unknown, nowMs: number): RateTable {
  const shape = body as { base?: unknown; rates?: unknown };
  if (typeof shape?.base !== "string" || !isCurrency(shape.base.toUpperCase()))
    throw new RateUnavailableError("the rate provider's answer has no supported `base`");
  if (typeof shape.rates !== "object" || shape.rates === null)
    throw new RateUnavailableError("the rate provider's answer has no `rates` object");
  const base = shape.base.toUpperCase() as Currency;
  const perBase = new Map<string, Rate>([[base, parseRate("1")]]);
  for (const [code, raw] of Object.entries(shape.rates as Record<string, unknown>)) {
    if (typeof raw !== "string" || !isCurrency(code.toUpperCase())) continue;
    try {
      perBase.set(code.toUpperCase(), parseRate(raw));
    } catch (error) {
      if (!(error instanceof InvalidRateError)) throw error;
      // A malformed rate makes that currency unavailable, not the whole table.
    }
  }
  return { base, perBase, fetchedAtMs: nowMs };
}

export function httpRateSource(options: HttpRateSourceOptions): RateSource {
  const fetchImpl = options.fetch ?? fetch;
  let table: RateTable | undefined;
  let inFlight: Promise<RateTable> | undefined;

  async function load(nowMs: number): Promise<RateTable> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetchImpl(options.url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      throw new RateUnavailableError(`the rate provider did not answer: ${String(error)}`);
    }
    if (!response.ok) throw new RateUnavailableError(`the rate provider answered ${response.status}`);
    let body: unknown;
    try {
      body = parseKeepingDigits(await response.text());
    } catch (error) {
      if (error instanceof RateUnavailableError) throw error;
      throw new RateUnavailableError("the rate provider's answer is not JSON");
    }
    return tableFrom(body, nowMs);
  }

  async function current(nowMs: number): Promise<RateTable> {
    if (table && nowMs - table.fetchedAtMs < options.cacheSeconds * 1000) return table;
    // Concurrent requests in one container share one fetch.
    inFlight ??= load(nowMs).finally(() => {
      inFlight = undefined;
    });
    table = await inFlight;
    return table;
  }

  return {
    async rate(source, destination, atMs) {
      const rates = await current(atMs);
      const from = rates.perBase.get(source);
      const to = rates.perBase.get(destination);
      if (!from || !to)
        throw new RateUnavailableError(`the rate provider has no rate for ${from ? destination : source}`);
      return crossRate(from, to);
    },
  };
}
