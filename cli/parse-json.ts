// Owns reading a batch JSON file: an array of items, or `{items: [...]}` (optionally with
// `currency`, as in the API request). Amounts are integer minor units. Line numbers are found by
// scanning the text, since JSON.parse keeps no positions.
import {
  type BatchFile,
  BatchFileError,
  type BatchFileProblem,
  type CurrencyOptions,
  checkItems,
  type ItemDraft,
} from "./batch-file.js";

const ITEM_KEYS = new Set(["id", "destination", "amount", "description", "currency"]);

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line where each element of the items array starts: the root array, or the array under the
 * root object's "items" key.
 */
export function itemLines(text: string): number[] {
  const lines: number[] = [];
  // Each open container: its kind, and for objects the last key read at this level.
  const stack: { kind: "array" | "object"; key?: string; isItems: boolean }[] = [];
  let line = 1;
  let expectValue = true;
  let lastString: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\n") {
      line++;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") continue;
    const top = stack.at(-1);
    if (expectValue && top?.isItems && ch !== "]") lines.push(line);
    if (ch === '"') {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") j++;
        else value += text[j];
        j++;
      }
      lastString = value;
      i = j;
      expectValue = false;
      continue;
    }
    if (ch === "[" || ch === "{") {
      const parent = stack.at(-1);
      const isItems =
        ch === "[" &&
        (stack.length === 0 || (stack.length === 1 && parent?.kind === "object" && parent.key === "items"));
      stack.push({ kind: ch === "[" ? "array" : "object", isItems });
      expectValue = ch === "[";
      continue;
    }
    if (ch === "]" || ch === "}") {
      stack.pop();
      expectValue = false;
      continue;
    }
    if (ch === ":") {
      if (top?.kind === "object") top.key = lastString;
      expectValue = true;
      continue;
    }
    if (ch === ",") {
      expectValue = top?.kind === "array";
      continue;
    }
    // A number, true, false or null: skip to its end.
    while (i + 1 < text.length && /[^\s,\]}]/.test(text[i + 1] as string)) i++;
    expectValue = false;
  }
  return lines;
}

export function parseBatchJson(text: string, file: string, options: CurrencyOptions = {}): BatchFile {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : 1;
    throw new BatchFileError(file, [{ line, message: `not valid JSON: ${message}` }]);
  }
  const list = Array.isArray(root) ? root : (root as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) {
    throw new BatchFileError(file, [{ line: 1, message: 'expected an array of items or {"items": [...]}' }]);
  }
  const fileCurrency = Array.isArray(root) ? undefined : (root as { currency?: unknown }).currency;
  const lines = itemLines(text);
  const problems: BatchFileProblem[] = [];
  const drafts: ItemDraft[] = [];
  list.forEach((item, index) => {
    const line = lines[index] ?? 1;
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      problems.push({ line, message: "an item must be an object" });
      return;
    }
    const record = item as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !ITEM_KEYS.has(key));
    if (unknown.length > 0)
      problems.push({ line, message: `unknown field ${unknown.map((k) => `'${k}'`).join(", ")}` });
    drafts.push({
      line,
      id: record.id,
      destination: record.destination,
      amount: typeof record.amount === "number" ? record.amount : Number.NaN,
      description: record.description,
      currency: record.currency,
    });
  });
  if (typeof fileCurrency === "string") {
    if (options.currency && options.currency.toUpperCase() !== fileCurrency.toUpperCase()) {
      problems.push({
        line: 1,
        message: `currency ${fileCurrency} differs from --currency ${options.currency}`,
      });
    }
  }
  const currency = options.currency ?? (typeof fileCurrency === "string" ? fileCurrency : undefined);
  return checkItems(file, drafts, { currency, defaultCurrency: options.defaultCurrency }, problems);
}
