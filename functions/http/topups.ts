// HTTP: sandbox top-ups (test mode only; live wallets are funded by inbound credits the rail reports).
import { newTopup, toTopupResource } from "../../lib/domain/topups.js";
import { ResourceMissingError, TestModeOnlyError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { findTopup, recordTopup } from "../../lib/ledger/topups.js";
import { runtime } from "../../lib/runtime.js";
import { createTopupSchema } from "../../lib/schemas/topups.js";
import { parseWith } from "../../lib/schemas/validate.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  "POST /v1/topups": async (call) => {
    if (call.livemode) throw new TestModeOnlyError("Top-ups");
    const topup = newTopup(call.merchantId, parseWith(createTopupSchema, call.body), Date.now());
    await call.timer.channel(() => recordTopup(rt.store, topup, call.idempotency));
    return { status: 201, body: toTopupResource(topup) };
  },
  "GET /v1/topups/{id}": async (call) => {
    const id = call.params.id ?? "";
    const topup = await call.timer.channel(() => findTopup(rt.store, id, call.merchantId));
    if (!topup) throw new ResourceMissingError("topup", id, "id");
    return { status: 200, body: toTopupResource(topup) };
  },
});
