// HTTP: an authenticated no-op. It crosses exactly the middleware chain a payment does and does no
// work, so benchmarks can subtract the HTTP stack's own cost from a payment's.
import { httpHandler } from "../../lib/http/http-handler.js";
import { runtime } from "../../lib/runtime.js";

const rt = runtime();

export const handler = httpHandler(rt, {
  "GET /v1/ping": async (call) => ({ status: 200, body: { object: "ping", merchant: call.merchantId } }),
});
