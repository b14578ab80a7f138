// Owns the FX quote use cases: make a quote at the current rate (locked for a short time) and
// convert at the current rate without one. Both ask the rate source port once.
import { conversionProblem, type FxQuote, quoteFrom, toFxQuoteResource } from "../domain/fx.js";
import { newId } from "../domain/ids.js";
import { InvalidRequestError, ServiceUnavailableError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { insertQuote } from "../ledger/fx-quotes.js";
import type { IdempotencyClaim } from "../ledger/idempotency.js";
import type { LedgerStore } from "../ledger/records.js";
import {
  type Conversion,
  type Currency,
  convertDestinationAmount,
  convertSourceAmount,
} from "../money/index.js";
import type { CreateFxQuoteRequest } from "../schemas/fx.js";
import type { FxDeps } from "./deps.js";
import { RateUnavailableError } from "./rate-source.js";

export interface ConversionRequest {
  sourceCurrency: Currency;
  destinationCurrency: Currency;
  /** Exactly one side is fixed: what leaves the source, or what the destination receives. */
  fixed: { side: "source" | "destination"; amount: number };
  /** The request field that fixed the amount, named by `param` in errors. */
  param: string;
}

/** Converts at the rate source's current rate; 400 when an amount is out of range, 503 when no rate. */
export async function convertAtCurrentRate(
  fx: FxDeps,
  request: ConversionRequest,
  nowMs: number,
): Promise<Conversion> {
  let rate: Awaited<ReturnType<FxDeps["rates"]["rate"]>>;
  try {
    rate = await fx.rates.rate(request.sourceCurrency, request.destinationCurrency, nowMs);
  } catch (error) {
    if (error instanceof RateUnavailableError)
      throw new ServiceUnavailableError(
        `No ${request.sourceCurrency}/${request.destinationCurrency} rate is available right now; retry later.`,
        error,
      );
    throw error;
  }
  const terms = {
    sourceCurrency: request.sourceCurrency,
    destinationCurrency: request.destinationCurrency,
    rate,
    feeBasisPoints: fx.feeBasisPoints,
  };
  const amount = BigInt(request.fixed.amount);
  const outcome =
    request.fixed.side === "source"
      ? convertSourceAmount(terms, amount)
      : convertDestinationAmount(terms, amount);
  if (!outcome.ok) {
    const problem = conversionProblem(outcome, request.param);
    throw new InvalidRequestError(problem.code, problem.message, { param: problem.param });
  }
  return outcome.conversion;
}

export async function createQuote(
  store: LedgerStore,
  fx: FxDeps,
  merchantId: string,
  request: CreateFxQuoteRequest,
  claim: IdempotencyClaim | undefined,
  nowMs: number,
): Promise<FxQuote> {
  if (request.expires_in !== undefined && request.expires_in > fx.quoteTtlSeconds) {
    throw new InvalidRequestError(
      "parameter_invalid",
      messageRef("parameter_invalid.expires_in", { max: fx.quoteTtlSeconds }),
      {
        param: "expires_in",
      },
    );
  }
  const conversion = await convertAtCurrentRate(
    fx,
    {
      sourceCurrency: request.source_currency,
      destinationCurrency: request.destination_currency,
      fixed:
        request.source_amount !== undefined
          ? { side: "source", amount: request.source_amount }
          : { side: "destination", amount: request.destination_amount as number },
      param: request.source_amount !== undefined ? "source_amount" : "destination_amount",
    },
    nowMs,
  );
  const validSeconds = request.expires_in ?? fx.quoteTtlSeconds;
  const quote = quoteFrom(conversion, { id: newId("quote", nowMs), merchantId }, nowMs, validSeconds);
  await insertQuote(store, quote, claim, { statusCode: 201, body: toFxQuoteResource(quote, nowMs) });
  return quote;
}
