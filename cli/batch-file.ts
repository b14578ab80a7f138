// Owns what every batch file format becomes: items with the line each came from, and the checks
// common to all formats (ids, destinations, amounts, duplicates, one currency). A file with any
// problem is refused as a whole, each problem reported as `file:line: message`.

import type { BatchItemParams } from "../client/index.js";
import { ITEM_ID_PATTERN } from "../lib/domain/batch-limits.js";
import { isIdOf } from "../lib/domain/ids.js";
import { isCurrency, MAX_AMOUNT } from "../lib/money/index.js";

/** One item as read from a file, before checks. `amount` is already in minor units when a number. */
export interface ItemDraft {
  line: number;
  id: unknown;
  destination: unknown;
  amount: unknown;
  description?: unknown;
  currency?: unknown;
  /** Fields the format's own reader already reported a problem for (not reported twice). */
  reported?: ("amount" | "destination")[];
}

export interface BatchFileProblem {
  line: number;
  message: string;
}

export interface BatchFile {
  items: BatchItemParams[];
  /** The line each item came from, by index. */
  lines: number[];
  currency: string;
  /** The source account named in the file itself, when the format has one (pain.001 debtor). */
  source?: string;
}

/** The file cannot be submitted; `problems` are sorted by line. */
export class BatchFileError extends Error {
  override name = "BatchFileError";
  constructor(
    readonly file: string,
    readonly problems: BatchFileProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.message}`).join("\n"));
  }
}

const INTEGER = /^[1-9]\d*$/;

/** The batch currency asked for (--currency), and the one used when neither it nor the file says
 *  (the source account's). */
export interface CurrencyOptions {
  currency?: string | undefined;
  defaultCurrency?: string | undefined;
}

/**
 * Checks drafts and returns the items, or throws BatchFileError listing every problem. Rows carrying
 * a currency must all agree with the requested one; with none requested or in the file, the
 * default applies.
 */
export function checkItems(
  file: string,
  drafts: ItemDraft[],
  requested: CurrencyOptions,
  earlier: BatchFileProblem[] = [],
): BatchFile {
  const problems = [...earlier];
  const items: BatchItemParams[] = [];
  const lines: number[] = [];
  const firstLineOfId = new Map<string, number>();
  let currency = requested.currency?.toUpperCase();
  if (currency !== undefined && !isCurrency(currency)) {
    throw new BatchFileError(file, [{ line: 0, message: `currency ${requested.currency} is not supported` }]);
  }
  if (drafts.length === 0 && problems.length === 0)
    problems.push({ line: 1, message: "the file holds no items" });

  for (const draft of drafts) {
    const at = (message: string) => problems.push({ line: draft.line, message });
    const before = problems.length;

    const id = typeof draft.id === "string" ? draft.id.trim() : draft.id;
    if (typeof id !== "string" || !ITEM_ID_PATTERN.test(id)) {
      at("id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -");
    } else {
      const first = firstLineOfId.get(id);
      if (first !== undefined) at(`id '${id}' is already used on line ${first}`);
      else firstLineOfId.set(id, draft.line);
    }

    const destination = typeof draft.destination === "string" ? draft.destination.trim() : draft.destination;
    const reported = new Set(draft.reported);
    if (reported.has("destination")) {
      // already reported by the format's reader
    } else if (typeof destination !== "string" || !isIdOf("account", destination)) {
      at("destination must be an account id (acct_…)");
    }

    let amount: number | undefined;
    if (typeof draft.amount === "number" && Number.isSafeInteger(draft.amount) && draft.amount > 0) {
      amount = draft.amount;
    } else if (typeof draft.amount === "string" && INTEGER.test(draft.amount.trim())) {
      amount = Number(draft.amount.trim());
    }
    if (reported.has("amount")) {
      // already reported by the format's reader
    } else if (amount === undefined) at("amount must be a positive integer");
    else if (amount > MAX_AMOUNT) at(`amount must be at most ${MAX_AMOUNT}`);

    let description: string | undefined;
    if (draft.description !== undefined && draft.description !== null && draft.description !== "") {
      if (typeof draft.description !== "string") at("description must be text");
      else if (draft.description.length > 500) at("description must be at most 500 characters");
      else description = draft.description;
    }

    if (draft.currency !== undefined && draft.currency !== "") {
      const rowCurrency = typeof draft.currency === "string" ? draft.currency.trim().toUpperCase() : "";
      if (!isCurrency(rowCurrency)) at(`currency ${String(draft.currency)} is not supported`);
      else if (currency === undefined) currency = rowCurrency;
      else if (rowCurrency !== currency)
        at(`currency ${rowCurrency} differs from the batch currency ${currency}`);
    }

    if (problems.length === before && reported.size === 0) {
      items.push({
        id: id as string,
        destination: destination as string,
        amount: amount as number,
        ...(description === undefined ? {} : { description }),
      });
      lines.push(draft.line);
    }
  }
  currency ??= requested.defaultCurrency?.toUpperCase();
  if (currency === undefined && problems.length === 0) {
    problems.push({ line: 1, message: "no currency: pass --currency or add a currency column" });
  }
  if (problems.length > 0) {
    throw new BatchFileError(
      file,
      problems.sort((a, b) => a.line - b.line),
    );
  }
  return { items, lines, currency: currency as string };
}
