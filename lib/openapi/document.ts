// Owns assembling the OpenAPI 3.1 document from the route descriptions in operations.ts and the
// zod schemas the handlers validate with. Pure and deterministic: the same code gives byte-equal
// JSON, so the committed openapi.json can be checked for drift.
import { ID_PREFIXES } from "../domain/ids.js";
import { ROUTES } from "../http/routes.js";
import { DEFAULT_LIST_LIMIT } from "../schemas/common.js";
import { ERROR_CODES, errorBodySchema } from "../schemas/errors.js";
import { exampleOf } from "./examples.js";
import { type JsonSchema, SchemaComponents } from "./json-schema.js";
import { OPERATIONS, type Operation } from "./operations.js";

export const API_VERSION = "1.0.0";

const STATUS_TEXT: Record<number, string> = {
  400: "The request is invalid.",
  401: "No valid API key.",
  402: "The payment was attempted and declined; `error.payment` is the failed payment.",
  404: "No such object.",
  409: "A conflict with the current state; retry only for idempotency_key_in_use.",
  413: "The request body is too large.",
  422: "The Idempotency-Key was used with another request.",
  500: "An unexpected error.",
  503: "A dependency is unavailable; retry with the same Idempotency-Key.",
};

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const STANDARD_HEADERS = {
  "Request-Id": { $ref: "#/components/headers/RequestId" },
  "Server-Timing": { $ref: "#/components/headers/ServerTiming" },
  "Content-Language": { $ref: "#/components/headers/ContentLanguage" },
};
const POST_HEADERS = {
  ...STANDARD_HEADERS,
  "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" },
};

/** The error schema of one answer, narrowed to the codes the route can answer with at that status. */
function errorAnswer(status: number, codes: readonly string[], isPost: boolean) {
  return {
    description: `${STATUS_TEXT[status] ?? "Error."} Codes: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
    headers: isPost ? POST_HEADERS : STANDARD_HEADERS,
    content: {
      "application/json": {
        schema: {
          allOf: [
            ERROR_REF,
            {
              type: "object",
              properties: { error: { type: "object", properties: { code: { enum: [...codes] } } } },
            },
          ],
        },
      },
    },
  };
}

/** Query schemas parse strings (`limit=25`); the document says what a client may send. */
function queryParameters(op: Operation, components: SchemaComponents) {
  if (!op.query) return [];
  const schema = components.add(op.query, "input") as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema:
      name === "limit"
        ? { type: "integer", minimum: 1, maximum: 100, default: DEFAULT_LIST_LIMIT }
        : name === "starting_after"
          ? { ...property, description: "Return the page after this id (the last id of the previous page)." }
          : property,
  }));
}

function pathParameters(op: Operation) {
  if (!op.pathId) return [];
  const prefix = ID_PREFIXES[op.pathId];
  return [
    {
      name: "id",
      in: "path",
      required: true,
      description: `A ${op.pathId} id.`,
      schema: {
        type: "string",
        pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`,
        examples: [`${prefix}_01JD8X3V9Q0000000000000000`],
      },
    },
  ];
}

function operationObject(route: string, op: Operation, components: SchemaComponents) {
  const isPost = route.startsWith("POST ");
  const parameters = [
    ...pathParameters(op),
    ...queryParameters(op, components),
    ...(isPost ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
    { $ref: "#/components/parameters/AcceptLanguage" },
  ];
  const responses: Record<string, unknown> = {};
  for (const answer of op.answers) {
    responses[String(answer.status)] = {
      description: answer.description,
      headers: isPost ? POST_HEADERS : STANDARD_HEADERS,
      content: { "application/json": { schema: components.add(answer.schema, "output") } },
    };
  }
  for (const [status, codes] of Object.entries(op.errors).sort(([a], [b]) => Number(a) - Number(b))) {
    if (codes && codes.length > 0) responses[status] = errorAnswer(Number(status), codes, isPost);
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    ...(op.authenticated ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: components.add(op.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

type MediaType = { schema: JsonSchema; example?: unknown };

/** Every operation's request body and success answers get an example (lib/openapi/examples.ts). */
function addExamples(paths: Record<string, Record<string, unknown>>, schemas: Record<string, JsonSchema>) {
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, value] of Object.entries(methods)) {
      const op = OPERATIONS[`${method.toUpperCase()} ${path}` as keyof typeof OPERATIONS];
      const operation = value as {
        requestBody?: { content: Record<string, MediaType> };
        responses: Record<string, { content?: Record<string, MediaType> }>;
      };
      const body = operation.requestBody?.content["application/json"];
      if (body) body.example = op?.exampleRequest ?? exampleOf(body.schema, schemas, "request");
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.["application/json"];
        if (media && Number(status) < 300) media.example = exampleOf(media.schema, schemas, "answer");
      }
    }
  }
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The OpenAPI 3.1 document of every route in ROUTES. Served, `servers` is the API's own URL; the
 * committed openapi.json has a `baseUrl` variable instead, defaulting to the local stack.
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const components = new SchemaComponents();
  components.add(errorBodySchema, "output");
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const [method = "", path = ""] = route.split(" ");
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operationObject(
      route,
      OPERATIONS[route],
      components,
    );
  }
  addExamples(paths, components.schemas);
  return {
    openapi: "3.1.0",
    info: {
      title: "payrail API",
      version: API_VERSION,
      description:
        "Real-time and batch payments. Amounts are integers in minor units of the currency. Every POST accepts an `Idempotency-Key`; a replay answers the stored response with `Idempotent-Replayed: true`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: options.serverUrl
      ? [{ url: options.serverUrl, description: "This API (the host this document was served from)" }]
      : [
          {
            url: "{baseUrl}",
            description: "Your payrail API; GET /v1/openapi.json on it names its own URL here.",
            variables: {
              baseUrl: {
                default: "http://localhost:3000",
                description:
                  "The API's base URL (`npm start` serves http://localhost:$PORT, 3000 by default).",
              },
            },
          },
        ],
    security: [{ secretKey: [] }, { secretKeyBasic: [] }],
    tags: [
      "Accounts",
      "Top-ups",
      "Payments",
      "Refunds",
      "Holds",
      "FX",
      "Batches",
      "Events",
      "Webhooks",
      "Risk",
      "Access",
      "Meta",
    ].map((name) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: {
        secretKey: {
          type: "http",
          scheme: "bearer",
          description: "A secret key, `sk_test_…`, sent as `Authorization: Bearer sk_test_…`.",
        },
        secretKeyBasic: {
          type: "http",
          scheme: "basic",
          description:
            "The same secret key as HTTP Basic user name with an empty password (`curl -u sk_test_…:`).",
        },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "1 to 255 printable ASCII characters. A repeated key with the same request replays the first answer; with another request it answers 422.",
          schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7E]+$" },
        },
        AcceptLanguage: {
          name: "Accept-Language",
          in: "header",
          required: false,
          description:
            "The language of error messages: English (default) or Simplified Chinese (`zh-CN`, also chosen for `zh` and `zh-Hans`), by q-value. `type`, `code` and `param` never change with the language.",
          schema: { type: "string" },
          example: "zh-CN",
        },
      },
      headers: {
        ContentLanguage: {
          description: "The language of the answer's messages: `en` or `zh-CN` (see Accept-Language).",
          schema: { type: "string", enum: ["en", "zh-CN"] },
        },
        RequestId: {
          description: "The id of this request; quote it in support requests.",
          schema: { type: "string" },
        },
        ServerTiming: {
          description: "Time spent in each phase of the request (W3C Server-Timing).",
          schema: { type: "string" },
        },
        IdempotentReplayed: {
          description:
            "`true` when this is the stored answer of an earlier request with the same Idempotency-Key.",
          schema: { type: "string", enum: ["true"] },
        },
      },
      schemas: sortedKeys(
        Object.fromEntries(
          Object.entries(components.schemas).map(([name, schema]) =>
            name === "ErrorCode"
              ? [name, { ...schema, description: errorCodeDescription() }]
              : [name, schema],
          ),
        ),
      ),
    },
  };
}

function errorCodeDescription(): string {
  return Object.entries(ERROR_CODES)
    .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
    .join("\n");
}

/** The document as committed in openapi.json. */
export function serializeOpenApiDocument(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
