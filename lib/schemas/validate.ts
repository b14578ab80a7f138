// Owns turning schema failures into payrail's 400 shape: each issue becomes
// `{param: "items[17].amount", code, message}`, with missing, unknown and invalid told apart, and a
// hint where the mistake is a common one: an unknown field close to a known one ("Did you mean
// `destination`?") and an amount written as a decimal ("10.50" instead of 1050).
import type { z } from "zod";
import en from "zod/v4/locales/en.js";
import zhCN from "zod/v4/locales/zh-CN.js";
import { type FieldError, InvalidParametersError } from "../errors.js";
import { type MessageRef, messageRef } from "../i18n/message-ref.js";
import { textRef } from "../i18n/render.js";
import { schemaMessageRef } from "../i18n/schema-messages.js";
import { CURRENCY_EXPONENTS, isCurrency, minorUnitsOf } from "../money/index.js";

function paramOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** The field names an object at `path` of `schema` accepts (through optionals, arrays, pipes). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  if (def.innerType) return knownKeysAt(def.innerType, path);
  if (def.type === "pipe" && def.in) return knownKeysAt(def.in, path);
  if (def.type === "union" && def.options) return def.options.flatMap((option) => knownKeysAt(option, path));
  const [head, ...rest] = path;
  if (def.type === "object" && def.shape) {
    if (head === undefined) return Object.keys(def.shape);
    const field = def.shape[String(head)];
    return field ? knownKeysAt(field, rest) : [];
  }
  if (def.type === "array" && def.element && typeof head === "number") return knownKeysAt(def.element, rest);
  return [];
}

/** Edit distance between two short strings (field names). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known field an unknown one was probably meant to be: a typo, another case, a prefix. */
export function closestKnown(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { key: string; score: number } | undefined;
  for (const key of known) {
    const score = key.toLowerCase() === lower ? 0 : distance(lower, key.toLowerCase());
    const close =
      score <= Math.max(1, Math.floor(key.length / 3)) || (lower.length >= 4 && key.startsWith(lower));
    if (close && (!best || score < best.score)) best = { key, score };
  }
  return best?.key;
}

/** An amount sent as a decimal or a string: say amounts are integers in minor units, and which one. */
function amountHint(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path.at(-1) !== "amount") return undefined;
  const value = valueAt(input, path);
  if (typeof value !== "string" && !(typeof value === "number" && !Number.isInteger(value))) return undefined;
  const sibling = valueAt(input, [...path.slice(0, -1), "currency"]);
  const named = typeof sibling === "string" ? sibling : valueAt(input, ["currency"]);
  const currency =
    typeof named === "string" && isCurrency(named.toUpperCase()) ? named.toUpperCase() : undefined;
  const exponent = currency ? CURRENCY_EXPONENTS[currency as keyof typeof CURRENCY_EXPONENTS] : 2;
  const text = String(value);
  const general = "amounts are integers in minor units of the currency, sent as JSON numbers";
  // A string of digits already is a count of minor units; only its type is wrong.
  if (typeof value === "string" && /^\d{1,16}$/.test(text.trim()))
    return `${general}: send ${text.trim()}, not the string "${text}"`;
  const units = minorUnitsOf(text, exponent);
  if (units === undefined) return `${general}, e.g. 1050 for 10.50 USD`;
  return `${general}: send ${units} for ${text} ${currency ?? "(in a currency with 2 decimals)"}`;
}

const zodEnglish = en().localeError;
const zodChinese = zhCN().localeError;

/**
 * What is wrong, in every language: a rule's own MessageRef (bank details), else zod's message
 * said by zod's zh-CN locale too when it is zod's own, else the schema's English text as is.
 */
function detailOf(issue: z.core.$ZodIssue, input: unknown, english: string): MessageRef {
  const own =
    (issue as { params?: { message?: MessageRef } }).params?.message ?? schemaMessageRef(issue.message);
  if (own) return own;
  const raw = { ...issue, input: valueAt(input, issue.path) } as unknown as z.core.$ZodRawIssue;
  const said = (map: z.core.$ZodErrorMap) => {
    const out = map(raw);
    return typeof out === "string" ? out : out?.message;
  };
  if (said(zodEnglish) !== issue.message) return textRef({ en: english });
  const chinese = said(zodChinese)?.replace(/^无效输入：/, "");
  return textRef({ en: english, "zh-CN": chinese ?? english });
}

/** One error per parameter (the first found), so `2**60` is not reported as two problems. */
export function fieldErrorsOf(error: z.ZodError, input: unknown, schema?: z.ZodType): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = schema ? knownKeysAt(schema, issue.path) : [];
      for (const key of issue.keys) {
        const suggestion = closestKnown(key, known);
        const param = paramOf([...issue.path, key]);
        out.push({
          param,
          code: "parameter_unknown",
          message: `Received unknown parameter: ${param}${suggestion ? `. Did you mean \`${suggestion}\`?` : ""}`,
          ref: suggestion
            ? messageRef("parameter_unknown.suggestion", { param, suggestion })
            : messageRef("parameter_unknown.detail", { param }),
        });
      }
      continue;
    }
    const param = paramOf(issue.path);
    if (seen.has(param)) continue;
    seen.add(param);
    const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
    const hint = missing ? undefined : amountHint(input, issue.path);
    // A refinement may name its own code (e.g. scheduled_at_in_past) instead of parameter_invalid.
    const own = issue.code === "custom" ? (issue.params as { code?: string } | undefined)?.code : undefined;
    // A rule may find a parameter missing that the shape alone could not (GB needs a sort_code).
    const missingByRule = own === "parameter_missing";
    const english = hint ?? issue.message.replace(/^Invalid input: /, "");
    out.push({
      param,
      code: missing ? "parameter_missing" : (own ?? "parameter_invalid"),
      message: missing
        ? `Missing required parameter: ${param}`
        : missingByRule
          ? `Missing required parameter: ${param}: ${issue.message}`
          : `Invalid ${param || "body"}: ${english}`,
      ref: missing
        ? messageRef("parameter_missing.detail", { param })
        : missingByRule
          ? messageRef("parameter_missing.rule", { param, detail: detailOf(issue, input, issue.message) })
          : own && own !== "parameter_invalid"
            ? messageRef(own)
            : messageRef("parameter_invalid.detail", {
                param: param || "body",
                detail: hint ? textRef({ en: hint }) : detailOf(issue, input, english),
              }),
    });
  }
  return out;
}

/** Parses `input` with `schema` or throws one InvalidParametersError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, input, schema);
  throw new InvalidParametersError(errors, errors.length);
}
