// HTTP: the OpenAPI 3.1 document, unauthenticated so tools can fetch it without a key. Built once
// per container and server URL from the same schemas the handlers validate with; `servers` names
// PAYRAIL_PUBLIC_URL when set, else the scheme and host the request was sent to.
import { httpHandler } from "../../lib/http/http-handler.js";
import { buildOpenApiDocument } from "../../lib/openapi/index.js";
import { runtime } from "../../lib/runtime.js";

const rt = runtime();
const documents = new Map<string, ReturnType<typeof buildOpenApiDocument>>();

export const handler = httpHandler(
  rt,
  {
    "GET /v1/openapi.json": async (call) => {
      const serverUrl = rt.config.publicUrl ?? call.origin;
      let document = documents.get(serverUrl);
      if (!document) {
        if (documents.size >= 16) documents.clear(); // Host is client-chosen: keep the cache small.
        document = buildOpenApiDocument({ serverUrl });
        documents.set(serverUrl, document);
      }
      return { status: 200, body: document };
    },
  },
  { authenticate: false },
);
