// FX routes, served by the payments Lambda (functions/http/payments.ts), which also uses quotes up:
// make a quote, read one, and read the merchant's house FX accounts.

import { toFxQuoteResource } from "../../lib/domain/fx.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { createQuote } from "../../lib/fx/quotes.js";
import type { RouteTable } from "../../lib/http/http-handler.js";
import { listBody } from "../../lib/http/lists.js";
import { readHouseAccounts } from "../../lib/ledger/fx-house.js";
import { findQuote } from "../../lib/ledger/fx-quotes.js";
import type { Runtime } from "../../lib/runtime.js";
import { createFxQuoteSchema } from "../../lib/schemas/fx.js";
import { parseWith } from "../../lib/schemas/validate.js";

export function fxRoutes(rt: Runtime): RouteTable {
  return {
    "POST /v1/fx_quotes": async (call) => {
      const request = parseWith(createFxQuoteSchema, call.body);
      const now = Date.now();
      const quote = await call.timer.channel(() =>
        createQuote(rt.store, rt.fx, call.merchantId, request, call.idempotency, now),
      );
      return { status: 201, body: toFxQuoteResource(quote, now) };
    },
    "GET /v1/fx_quotes/{id}": async (call) => {
      const id = call.params.id ?? "";
      const quote = await call.timer.channel(() => findQuote(rt.store, id, call.merchantId));
      if (!quote) throw new ResourceMissingError("fx quote", id, "id");
      return { status: 200, body: toFxQuoteResource(quote, Date.now()) };
    },
    "GET /v1/fx_house_accounts": async (call) => {
      const accounts = await call.timer.channel(() => readHouseAccounts(rt.store, call.merchantId));
      const data = accounts.map((account) => ({ object: "fx_house_account" as const, ...account }));
      return { status: 200, body: listBody(data, false, "/v1/fx_house_accounts") };
    },
  };
}
