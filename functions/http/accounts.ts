// HTTP: open, read and list accounts.
import { openAccount, toAccountResource } from "../../lib/domain/accounts.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody, parseListQuery } from "../../lib/http/lists.js";
import { findAccount, insertAccount, listAccounts } from "../../lib/ledger/accounts.js";
import { runtime } from "../../lib/runtime.js";
import { createAccountSchema } from "../../lib/schemas/accounts.js";
import { parseWith } from "../../lib/schemas/validate.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  "POST /v1/accounts": async (call) => {
    const request = parseWith(createAccountSchema, call.body);
    const account = openAccount(call.merchantId, request, Date.now());
    const body = toAccountResource(account);
    await call.timer.channel(() =>
      insertAccount(rt.store, account, call.idempotency, { statusCode: 201, body }),
    );
    return { status: 201, body };
  },
  "GET /v1/accounts": async (call) => {
    const query = parseListQuery("account", call.query);
    const page = await call.timer.channel(() => listAccounts(rt.store, call.merchantId, query));
    return {
      status: 200,
      body: listBody(page.accounts.map(toAccountResource), page.hasMore, "/v1/accounts"),
    };
  },
  "GET /v1/accounts/{id}": async (call) => {
    const id = call.params.id ?? "";
    const account = await call.timer.channel(() => findAccount(rt.store, id, call.merchantId));
    if (!account) throw new ResourceMissingError("account", id, "id");
    return { status: 200, body: toAccountResource(account) };
  },
});
