// Owns the example request and answer of every operation in the OpenAPI document. They are built
// from the same JSON schemas the document publishes (so they cannot drift from them), with values a
// reader recognises: ids of the right kind, amounts in minor units, Unix-second timestamps, the
// first value of each enum. An operation may override its example where a rule across fields
// (a bank account needs `bank`) is not in the schema; test/unit/openapi-examples.test.ts checks
// every example against the zod schema the API validates or answers with.
import type { JsonSchema } from "./json-schema.js";

/** Crockford base 32, the alphabet of payrail ids (no I, L, O, U). */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** An id of `prefix` whose 26-character body depends on the field, so a source and a destination differ. */
function idFor(prefix: string, field: string): string {
  let hash = 7;
  let tail = "";
  for (const char of `${prefix}:${field}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  for (let i = 0; i < 10; i++) {
    tail += ALPHABET[hash % 32];
    hash = Math.floor(hash / 32) + (i + 1) * 7919;
  }
  return `${prefix}_01JD8X3V9QK2M7T4${tail}`;
}
/** 2026-12-01T00:00:00Z, in seconds as every timestamp field is answered. */
const EXAMPLE_TIME = 1_796_083_200;

const FIELD_VALUES: Record<string, unknown> = {
  amount: 1_250,
  currency: "USD",
  description: "Invoice 2026-118",
  name: "Operating wallet",
  holder_name: "Jonas Becker",
  url: "https://example.com/payrail/webhooks",
  reason: "requested_by_customer",
};

const SHOWN_WHEN_NULLABLE = new Set(["description", "name", "bank", "expires_at", "channel"]);

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const target = components[ref.split("/").at(-1) ?? ""];
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return resolve(target, components);
}

function stringExample(schema: JsonSchema, field: string): string {
  const pattern = typeof schema.pattern === "string" ? schema.pattern : "";
  const prefix = /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/.exec(pattern)?.[1];
  if (prefix) return idFor(prefix, field);
  if (schema.format === "date-time") return "2026-12-01T09:00:00Z";
  if (schema.format === "uri" || field === "url") return FIELD_VALUES.url as string;
  if (field in FIELD_VALUES && typeof FIELD_VALUES[field] === "string") return FIELD_VALUES[field] as string;
  if (field === "id") return "item-1";
  const min = typeof schema.minLength === "number" ? schema.minLength : 1;
  return "example".padEnd(min, "x");
}

function integerExample(schema: JsonSchema, field: string): number {
  if (field.endsWith("_at") || field === "created") return EXAMPLE_TIME;
  if (typeof FIELD_VALUES[field] === "number") return FIELD_VALUES[field] as number;
  // What has not happened yet in an example (refunds, failures, returns) is zero.
  if (/refunded|failed|returned|canceled|pending|fee|remainder/.test(field)) return 0;
  if (/amount|balance|available|total|succeeded/.test(field)) return 2_500;
  if (typeof schema.minimum === "number" && schema.minimum >= 0) return schema.minimum;
  return 1;
}

/**
 * An example value of `schema` (for field `field`): required fields and a description or name;
 * in an answer (`side`), nullable fields are null but for the few a reader sets.
 */
export function exampleOf(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  side: "request" | "answer",
  field = "",
): unknown {
  const s = resolve(schema, components);
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    if (field === "currency" && s.enum.includes("USD")) return "USD";
    if (field === "status" && s.enum.includes("succeeded")) return "succeeded";
    return s.enum[0];
  }
  if (s.default !== undefined && side === "request") return s.default;
  const variants = (s.anyOf ?? s.oneOf ?? s.allOf) as JsonSchema[] | undefined;
  if (variants) {
    // In an answer a nullable field is null (no failure code, no batch) unless it is one a reader
    // sets (a description, a name); an allOf's first part carries the shape.
    const nullable = variants.some((v) => resolve(v, components).type === "null");
    if (nullable && side === "answer" && !SHOWN_WHEN_NULLABLE.has(field)) return null;
    const variant = variants.find((v) => resolve(v, components).type !== "null") ?? variants[0];
    return variant ? exampleOf(variant, components, side, field) : null;
  }
  if (
    Array.isArray(s.type) &&
    s.type.includes("null") &&
    side === "answer" &&
    !SHOWN_WHEN_NULLABLE.has(field)
  )
    return null;
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? s.type[0]) : s.type;
  switch (type) {
    case "object": {
      const required = new Set((s.required as string[] | undefined) ?? []);
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
        // Optional fields are left out (an answer's `fx` is only on converted payments), but for
        // the two a reader most often sets.
        if (required.has(name) || name === "description" || name === "name")
          out[name] = exampleOf(property, components, side, name);
      }
      return out;
    }
    case "array":
      return s.items ? [exampleOf(s.items as JsonSchema, components, side, field)] : [];
    case "integer":
    case "number":
      return integerExample(s, field);
    case "boolean":
      return false;
    case "null":
      return null;
    case "string":
      return stringExample(s, field);
    default:
      return {};
  }
}
