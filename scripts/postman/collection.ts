// Owns turning payrail's OpenAPI document into a Postman collection (v2.1): one request per
// operation, in the document's order (which is also a working order: an account, a second one to pay,
// a top-up, a payment, a batch), example bodies built from each request schema, the secret key as a
// bearer `{{secret_key}}` variable, an Idempotency-Key added to every POST by a pre-request script,
// and a test per request that its status is one the document lists as a success.

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  minimum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Parameter = {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
};
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
};
export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Parameter> };
}

const SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
const METHODS = ["get", "post", "put", "patch", "delete"];

/** Values for fields that name other resources: the ids earlier requests captured. */
const FIELD_VALUES: Record<string, unknown> = {
  source: "{{account_id}}",
  account: "{{account_id}}",
  destination: "{{destination_id}}",
  payment: "{{payment_id}}",
  currency: "USD",
  scheduled_at: "{{scheduled_at}}", // tomorrow (pre-request script): a batch that can be canceled
};
/** Optional fields worth showing in an example body. */
const OPTIONAL_SHOWN = new Set(["name", "description", "scheduled_at"]);
/** Amounts per operation: the top-up funds what the payment and the batch spend. */
const AMOUNTS: Record<string, number> = { createTopup: 1_000_000 };

/** `/v1/batches/{id}/items` → `{{batch_id}}`: the id of the path's resource. */
function idVariable(path: string): string {
  const resource = path.split("/")[2] ?? "";
  const singular = resource.endsWith("ches") ? resource.slice(0, -2) : resource.replace(/s$/, "");
  return `${singular}_id`;
}

function resolve<T extends { $ref?: string }>(doc: OpenApiDocument, value: T): T {
  if (!value.$ref) return value;
  const [, , kind, name] = value.$ref.split("/");
  const target = (doc.components as Record<string, Record<string, unknown>> | undefined)?.[kind ?? ""]?.[
    name ?? ""
  ];
  if (!target) throw new Error(`unresolved $ref ${value.$ref}`);
  return resolve(doc, target as T);
}

/** An example value of `schema`, with the resource ids of the flow filled in by field name. */
export function exampleOf(doc: OpenApiDocument, schema: Schema, field: string, operationId: string): unknown {
  const s = resolve(doc, schema);
  if (field in FIELD_VALUES) return FIELD_VALUES[field];
  if (field === "amount") return AMOUNTS[operationId] ?? 2_500;
  if (s.example !== undefined) return s.example;
  if (s.examples?.[0] !== undefined) return s.examples[0];
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.[0] !== undefined) return s.enum[0];
  const variant = s.anyOf?.[0] ?? s.oneOf?.[0];
  if (variant) return exampleOf(doc, variant, field, operationId);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) || OPTIONAL_SHOWN.has(name)) {
          out[name] = exampleOf(doc, property, name, operationId);
        }
      }
      return out;
    }
    case "array":
      return s.items ? [exampleOf(doc, s.items, `${field}[]`, operationId)] : [];
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return true;
    default:
      if (field === "id") return "item-1";
      if (field === "url" || (s as { format?: string }).format === "uri")
        return "https://example.com/payrail/webhooks";
      if (field === "description") return "Postman example";
      if (field === "name") return "Postman wallet";
      return "example";
  }
}

function successCodes(operation: Operation): number[] {
  return Object.keys(operation.responses ?? {})
    .map(Number)
    .filter((code) => code >= 200 && code < 300);
}

/**
 * Which variable the answer's id goes into, so later requests (`/v1/x/{id}`) can use it: a create
 * (`POST /v1/x`) always sets it; a list (`GET /v1/x`) sets it from its first item when still unset.
 */
function captureOf(doc: OpenApiDocument, method: string, path: string): Capture | undefined {
  // No route takes one of these by id (`/v1/x/{id}` or `/v1/x/{id}/action`).
  if (!Object.keys(doc.paths).some((other) => other.startsWith(`${path}/{id}`))) return undefined;
  if (method === "post") return { variable: idVariable(path), from: "created" };
  if (method === "get") return { variable: idVariable(path), from: "listed" };
  return undefined;
}

interface Capture {
  variable: string;
  from: "created" | "listed";
  /** The answer's field to keep (default `id`), e.g. a created key's `secret`. */
  field?: string;
}

function testScript(name: string, operation: Operation, capture: Capture | undefined): string[] {
  const codes = successCodes(operation);
  const lines = [
    `pm.test(${JSON.stringify(`${name} answers ${codes.join(" or ")}`)}, function () {`,
    `  pm.expect(pm.response.code).to.be.oneOf(${JSON.stringify(codes)});`,
    "});",
  ];
  const variable = JSON.stringify(capture?.variable);
  if (capture?.from === "created") {
    const field = capture.field ?? "id";
    lines.push(
      `if (pm.response.code < 300) pm.collectionVariables.set(${variable}, pm.response.json().${field});`,
    );
  } else if (capture?.from === "listed") {
    lines.push(
      `if (pm.response.code < 300 && !pm.collectionVariables.get(${variable}) && pm.response.json().data?.length) {`,
      `  pm.collectionVariables.set(${variable}, pm.response.json().data[0].id);`,
      "}",
    );
  }
  return lines;
}

interface PostmanItem {
  name: string;
  request: Record<string, unknown>;
  event: { listen: string; script: { type: string; exec: string[] } }[];
}

function requestItem(
  doc: OpenApiDocument,
  method: string,
  path: string,
  operation: Operation,
  variant?: {
    name: string;
    capture?: NonNullable<ReturnType<typeof captureOf>>;
    body?: Record<string, unknown>;
    /** The variable `{id}` takes, when not the path resource's own. */
    pathVariable?: string;
    /** Sent with this key instead of `{{secret_key}}` (a collection variable holding a key). */
    bearer?: string;
  },
): PostmanItem {
  const operationId = operation.operationId ?? `${method} ${path}`;
  const segments = path
    .split("/")
    .filter(Boolean)
    .map((segment) =>
      segment.startsWith("{") ? `{{${variant?.pathVariable ?? idVariable(path)}}}` : segment,
    );
  const query = (operation.parameters ?? [])
    .map((parameter) => resolve(doc, parameter))
    .filter((parameter) => parameter.in === "query")
    .map((parameter) => ({
      key: parameter.name,
      value:
        parameter.name === "limit"
          ? "10"
          : String(exampleOf(doc, parameter.schema ?? {}, parameter.name ?? "", operationId)),
      description: parameter.description,
      disabled: parameter.name !== "limit",
    }));
  const enabled = query.filter((q) => !q.disabled);
  const request: Record<string, unknown> = {
    method: method.toUpperCase(),
    description: operation.description ?? operation.summary,
    header: [{ key: "Accept", value: "application/json" }],
    url: {
      raw: `{{baseUrl}}/${segments.join("/")}${enabled.length ? `?${enabled.map((q) => `${q.key}=${q.value}`).join("&")}` : ""}`,
      host: ["{{baseUrl}}"],
      path: segments,
      ...(query.length ? { query } : {}),
    },
  };
  if (Array.isArray(operation.security) && operation.security.length === 0) request.auth = { type: "noauth" };
  if (variant?.bearer)
    request.auth = { type: "bearer", bearer: [{ key: "token", value: variant.bearer, type: "string" }] };
  const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
  const body = variant?.body ?? (bodySchema ? exampleOf(doc, bodySchema, "", operationId) : undefined);
  if (body !== undefined) {
    (request.header as unknown[]).push({ key: "Content-Type", value: "application/json" });
    request.body = {
      mode: "raw",
      raw: JSON.stringify(body, null, 2),
      options: { raw: { language: "json" } },
    };
  }
  const name = variant?.name ?? operation.summary ?? operationId;
  return {
    name,
    request,
    event: [
      {
        listen: "test",
        script: {
          type: "text/javascript",
          exec: testScript(name, operation, variant?.capture ?? captureOf(doc, method, path)),
        },
      },
    ],
  };
}

/**
 * What approving or rejecting needs first: a batch in `requires_approval`. Before the approval, a
 * policy that holds every batch and an approver key (the batches are created with the collection's
 * key, which may not approve its own); before the rejection, one more batch. The Access folder
 * later sets the policy its own example shows.
 */
function awaitingApproval(doc: OpenApiDocument, operationId: "approveBatch" | "rejectBatch"): PostmanItem[] {
  const items: PostmanItem[] = [];
  const policy = doc.paths["/v1/approval_policy"]?.post;
  const keys = doc.paths["/v1/api_keys"]?.post;
  const batches = doc.paths["/v1/batches"]?.post;
  if (operationId === "approveBatch" && policy && keys) {
    items.push(
      requestItem(doc, "post", "/v1/approval_policy", policy, {
        name: "Require approval of every batch",
        body: { batch_items_at_least: 1 },
      }),
      requestItem(doc, "post", "/v1/api_keys", keys, {
        name: "Create an API key (approver)",
        capture: { variable: "approver_key", from: "created", field: "secret" },
        body: { role: "approver", name: "Postman approver" },
      }),
    );
  }
  if (batches)
    items.push(
      requestItem(doc, "post", "/v1/batches", batches, {
        name: `Create a batch (to ${operationId === "approveBatch" ? "approve" : "reject"})`,
        capture: { variable: "batch_id", from: "created" },
        body: exampleOf(
          doc,
          batches.requestBody?.content?.["application/json"]?.schema ?? {},
          "",
          "createBatch",
        ) as Record<string, unknown>,
      }),
    );
  return items;
}

/** Runs before every request: an Idempotency-Key on each POST, and tomorrow's date for schedules. */
const PRE_REQUEST = [
  'if (pm.request.method === "POST" && !pm.request.headers.has("Idempotency-Key")) {',
  '  pm.request.headers.add({ key: "Idempotency-Key", value: pm.variables.replaceIn("{{$guid}}") });',
  "}",
  'if (!pm.collectionVariables.get("scheduled_at")) {',
  '  pm.collectionVariables.set("scheduled_at", new Date(Date.now() + 86400000).toISOString());',
  "}",
];

/** The document's server, or its `{baseUrl}` variable's default when the URL is a template. */
function baseUrlOf(doc: OpenApiDocument): string {
  const server = doc.servers?.[0];
  return server?.variables?.baseUrl?.default ?? server?.url ?? "http://localhost:3000";
}

function deletesLast(items: PostmanItem[]): PostmanItem[] {
  const isDelete = (item: PostmanItem) => item.request.method === "DELETE";
  return [...items.filter((item) => !isDelete(item)), ...items.filter(isDelete)];
}

/** The requests that park a payment for review (the first time: a payee and its review rule too). */
function reviewSetup(doc: OpenApiDocument, first: boolean): PostmanItem[] {
  const items: PostmanItem[] = [];
  const createAccount = doc.paths["/v1/accounts"]?.post;
  const createRule = doc.paths["/v1/risk_rules"]?.post;
  const createPayment = doc.paths["/v1/payments"]?.post;
  if (first && createAccount && createRule) {
    items.push(
      requestItem(doc, "post", "/v1/accounts", createAccount, {
        name: `${createAccount.summary ?? "Open an account"} (payee to review)`,
        capture: { variable: "review_payee_id", from: "created" },
        body: { currency: "USD", name: "Postman payee under review" },
      }),
      requestItem(doc, "post", "/v1/risk_rules", createRule, {
        name: `${createRule.summary ?? "Set a risk rule"} (review payments to that payee)`,
        capture: { variable: "review_rule_id", from: "created" },
        body: { type: "blocked_destinations", destinations: ["{{review_payee_id}}"], action: "review" },
      }),
    );
  }
  if (createPayment)
    items.push(
      requestItem(doc, "post", "/v1/payments", createPayment, {
        name: `${createPayment.summary ?? "Make a payment"} (held for review)`,
        capture: { variable: "review_payment_id", from: "created" },
        body: {
          source: "{{account_id}}",
          destination: "{{review_payee_id}}",
          amount: 2_500,
          currency: "USD",
        },
      }),
    );
  return items;
}

export function buildCollection(doc: OpenApiDocument): Record<string, unknown> {
  const folders = new Map<string, PostmanItem[]>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = operations[method];
      if (!operation) continue;
      const folder = operation.tags?.[0] ?? "Other";
      const items = folders.get(folder) ?? [];
      if (operation.operationId === "voidHold") {
        // The hold before it was captured (a captured hold is never voided): void a fresh one.
        const create = doc.paths["/v1/holds"]?.post;
        if (create)
          items.push(
            requestItem(doc, "post", "/v1/holds", create, {
              name: `${create.summary ?? "Hold an amount"} (to void)`,
              capture: { variable: "hold_id", from: "created" },
              body: exampleOf(
                doc,
                create.requestBody?.content?.["application/json"]?.schema ?? {},
                "",
                "createHold",
              ) as Record<string, unknown>,
            }),
          );
      }
      if (operation.operationId === "approvePayment" || operation.operationId === "declinePayment") {
        // Only a payment a review rule parked can be approved or declined: park one first, to a
        // payee of its own that a review rule names (no other request pays it).
        items.push(...reviewSetup(doc, operation.operationId === "approvePayment"));
        items.push(
          requestItem(doc, method, path, operation, {
            name: operation.summary ?? operation.operationId,
            pathVariable: "review_payment_id",
          }),
        );
        folders.set(folder, items);
        continue;
      }
      if (operation.operationId === "approveBatch" || operation.operationId === "rejectBatch")
        items.push(...awaitingApproval(doc, operation.operationId));
      items.push(
        operation.operationId === "approveBatch"
          ? // Maker-checker: another key than the batch's creator approves it.
            requestItem(doc, method, path, operation, {
              name: operation.summary ?? "Approve a batch",
              bearer: "{{approver_key}}",
            })
          : requestItem(doc, method, path, operation),
      );
      if (operation.operationId === "createAccount") {
        // A payment needs a second account to pay: the same operation again, kept as the destination.
        items.push(
          requestItem(doc, method, path, operation, {
            name: `${operation.summary ?? "Create an account"} (destination)`,
            capture: { variable: "destination_id", from: "created" },
            body: { currency: "USD", name: "Postman payee" },
          }),
        );
      }
      folders.set(folder, items);
    }
  }
  const captured = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.keys(operations).flatMap((method) => captureOf(doc, method, path)?.variable ?? []),
  );
  const variables = [
    ...new Set([
      ...captured,
      "destination_id",
      "approver_key",
      "review_payee_id",
      "review_rule_id",
      "review_payment_id",
    ]),
    "scheduled_at",
  ];
  return {
    info: {
      name: doc.info.title,
      description:
        `${doc.info.description ?? ""}\n\nGenerated from openapi.json by \`npm run postman\`; do not edit by hand. Set \`secret_key\` (and \`baseUrl\`) and run the folders in order.`.trim(),
      version: doc.info.version,
      schema: SCHEMA,
    },
    auth: { type: "bearer", bearer: [{ key: "token", value: "{{secret_key}}", type: "string" }] },
    event: [{ listen: "prerequest", script: { type: "text/javascript", exec: PRE_REQUEST } }],
    variable: [
      { key: "baseUrl", value: baseUrlOf(doc) },
      { key: "secret_key", value: "" },
      ...variables.map((key) => ({ key, value: "" })),
    ],
    // Within a folder, deletes run last: an endpoint's other operations need it to still exist.
    item: [...folders].map(([name, item]) => ({ name, item: deletesLast(item) })),
  };
}
