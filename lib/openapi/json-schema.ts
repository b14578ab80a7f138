// Owns turning zod schemas into OpenAPI 3.1 schema objects. zod 4 emits JSON Schema 2020-12, which
// is what OpenAPI 3.1 uses; every schema with a `.meta({id})` becomes a named component and is
// referenced, the rest is inlined.
import * as z from "zod";

export type JsonSchema = Record<string, unknown>;

/** Which side of a schema to describe: what a client sends, or what the API answers. */
export type SchemaSide = "input" | "output";

const DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

/** Collects named schemas across many conversions, refusing two different shapes under one name. */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The schema object for `schema`: a `$ref` when it is named, else the inline schema. */
  add(schema: z.ZodType, side: SchemaSide): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io: side,
      // Refinements (id prefixes, date bounds) cannot be expressed; the documented shape is the rest.
      unrepresentable: "any",
      override: (ctx) => {
        // An answer may gain fields in a later version; a client must not reject it for that. A
        // request object stays closed because the API refuses unknown parameters.
        // A date-time says what it is; zod's generated RFC 3339 regex only obscures it.
        if (ctx.jsonSchema.format === "date-time") delete ctx.jsonSchema.pattern;
        const def = ctx.zodSchema._zod.def as { type: string; catchall?: unknown };
        if (side === "output" && def.type === "object" && def.catchall === undefined) {
          delete ctx.jsonSchema.additionalProperties;
        }
      },
    }) as JsonSchema;
    const { $schema: _, $defs, ...root } = converted;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.define(name, rewriteRefs(def) as JsonSchema);
    }
    return rewriteRefs(root) as JsonSchema;
  }

  private define(name: string, schema: JsonSchema): void {
    const existing = this.schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas are named ${name} (an input and an output shape?)`);
    }
    this.schemas[name] = schema;
  }
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith(DEFS)
        ? COMPONENTS + value.slice(DEFS.length)
        : rewriteRefs(value);
  }
  return out;
}
