// HTTP: the OpenAPI 3.1 document, unauthenticated so tools can fetch it without a key. Built once
// per container from the same schemas the handlers validate with.
import { httpHandler } from "../../lib/http/http-handler.js";
import { buildOpenApiDocument } from "../../lib/openapi/index.js";
import { runtime } from "../../lib/runtime.js";

const rt = runtime();
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = httpHandler(
  rt,
  {
    "GET /v1/openapi.json": async () => {
      document ??= buildOpenApiDocument();
      return { status: 200, body: document };
    },
  },
  { authenticate: false },
);
