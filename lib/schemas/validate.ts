// Owns turning schema failures into payrail's 400 shape: each issue becomes
// `{param: "items[17].amount", code, message}`, with missing, unknown and invalid told apart.
import type { z } from "zod";
import { type FieldError, InvalidParametersError } from "../errors.js";

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

/** One error per parameter (the first found), so `2**60` is not reported as two problems. */
export function fieldErrorsOf(error: z.ZodError, input: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          param: paramOf([...issue.path, key]),
          code: "parameter_unknown",
          message: `Received unknown parameter: ${paramOf([...issue.path, key])}`,
        });
      }
      continue;
    }
    const param = paramOf(issue.path);
    if (seen.has(param)) continue;
    seen.add(param);
    const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
    out.push({
      param,
      code: missing ? "parameter_missing" : "parameter_invalid",
      message: missing
        ? `Missing required parameter: ${param}`
        : `Invalid ${param || "body"}: ${issue.message.replace(/^Invalid input: /, "")}`,
    });
  }
  return out;
}

/** Parses `input` with `schema` or throws one InvalidParametersError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, input);
  throw new InvalidParametersError(errors, errors.length);
}
