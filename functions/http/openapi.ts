// HTTP: the OpenAPI 3.1 document, unauthenticated so tools can fetch it without a key. Serves the
// committed openapi.json (generated from the schemas by `npm run openapi`; a unit test keeps it
// equal to them), so this function bundles a JSON file and the answer middlewares, not the app.
// Its `servers` names PAYRAIL_PUBLIC_URL when set, else the scheme and host the request was sent to.
import middy from "@middy/core";
import { loadConfig } from "../../lib/aws/config.js";
import { errorResponse, json } from "../../lib/http/error-response.js";
import { lambdaContext } from "../../lib/http/lambda-context.js";
import { requestContext } from "../../lib/http/request-context.js";
import { responseHeaders } from "../../lib/http/response-headers.js";
import type { ApiEvent, ApiResponse } from "../../lib/http/types.js";
import { observability } from "../../lib/observability/index.js";
import document from "../../openapi.json";

const { logger, metrics } = observability();
const { publicUrl } = loadConfig();

export const handler = middy<ApiEvent, ApiResponse>()
  .use(lambdaContext(logger))
  .use(responseHeaders(logger, metrics))
  .use(errorResponse(logger))
  .use(requestContext())
  .handler(async (event) =>
    json(200, {
      ...document,
      servers: [
        {
          url: publicUrl ?? event.payrail.origin,
          description: "This API (the host this document was served from)",
        },
      ],
    }),
  );
