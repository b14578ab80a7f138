// HTTP: the event log, merchant-scoped, oldest first, with a cursor a reader can poll forward.
import { toEventResource } from "../../lib/domain/events.js";
import { ResourceMissingError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http/http-handler.js";
import { listBody } from "../../lib/http/lists.js";
import { EVENT_LIST_DELAY_MS, findEvent, listEvents } from "../../lib/ledger/events.js";
import { runtime } from "../../lib/runtime.js";
import { DEFAULT_LIST_LIMIT } from "../../lib/schemas/common.js";
import { listEventsQuerySchema } from "../../lib/schemas/events.js";
import { parseWith } from "../../lib/schemas/validate.js";
import { webhookDeps } from "../../lib/webhooks/deps.js";
import { redeliverEvent } from "../../lib/webhooks/endpoints.js";

const rt = runtime();
const webhooks = webhookDeps(rt);

export const handler = httpHandler(rt, {
  "GET /v1/events": async (call) => {
    const query = parseWith(listEventsQuerySchema, call.query);
    const page = await call.timer.channel(() =>
      listEvents(rt.store, call.merchantId, {
        type: query.type,
        object: query.object,
        limit: query.limit ?? DEFAULT_LIST_LIMIT,
        startingAfter: query.starting_after,
        horizonMs: Date.now() - EVENT_LIST_DELAY_MS,
      }),
    );
    return { status: 200, body: listBody(page.events.map(toEventResource), page.hasMore, "/v1/events") };
  },
  "GET /v1/events/{id}": async (call) => {
    const id = call.params.id ?? "";
    const event = await call.timer.channel(() => findEvent(rt.store, call.merchantId, id));
    if (!event) throw new ResourceMissingError("event", id, "id");
    return { status: 200, body: toEventResource(event) };
  },
  "POST /v1/events/{id}/redeliver": async (call) => {
    const id = call.params.id ?? "";
    const body = await call.timer.channel(() => redeliverEvent(webhooks, call.merchantId, id, Date.now()));
    return { status: 202, body };
  },
});
