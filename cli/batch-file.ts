// Owns what every batch file format becomes: items with the line each came from, and the checks
// common to all formats (ids, destinations, amounts, duplicates, currencies). A file with any
// problem is refused as a whole, each problem reported as `file:line: message`.
// A destination is a payrail account id or an IBAN (checked here, offline: length per country and
// mod 97); an IBAN item is paid to a bank account the CLI opens for it when submitting. An item in
// another currency than the batch is kept with its own `currency` (a cross-currency item: its
// amount is in that currency, the batch's source pays the converted amount).

import type { BatchItemParams } from "../client/index.js";
import { checkBankDetails } from "../lib/domain/bank-details/index.js";
import { ITEM_ID_PATTERN } from "../lib/domain/batch-limits.js";
import { isIdOf } from "../lib/domain/ids.js";
import type { Language } from "../lib/i18n/language.js";
import { renderMessage } from "../lib/i18n/render.js";
import { isCurrency, MAX_AMOUNT } from "../lib/money/index.js";

/** One item as read from a file, before checks. `amount` is already in minor units when a number. */
export interface ItemDraft {
  line: number;
  id: unknown;
  destination: unknown;
  amount: unknown;
  description?: unknown;
  currency?: unknown;
  /** With an IBAN destination: the holder's name and the bank's BIC, when the file has them. */
  holderName?: unknown;
  bic?: unknown;
  /** Fields the format's own reader already reported a problem for (not reported twice). */
  reported?: ("amount" | "destination")[];
}

export interface BatchFileProblem {
  line: number;
  message: string;
}

/** A batch item as the CLI sends it: `currency` only on an item in another currency than the batch. */
export type BatchFileItem = BatchItemParams & { currency?: string };

/** The bank account an IBAN item is paid to; the CLI opens it (idempotently) before submitting. */
export interface BankPayee {
  iban: string;
  currency: string;
  bic?: string;
  holderName?: string;
}

export interface BatchFile {
  items: BatchFileItem[];
  /** By item index: the IBAN payee whose account id becomes the item's destination. */
  payees?: Map<number, BankPayee>;
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
  /** The language of the bank details problems (--lang); English by default. */
  language?: Language | undefined;
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
  let currency = (requested.currency ?? requested.defaultCurrency)?.toUpperCase();
  const itemCurrencies: (string | undefined)[] = [];
  const pendingPayees = new Map<number, Omit<BankPayee, "currency">>();
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
    let payee: Omit<BankPayee, "currency"> | undefined;
    if (reported.has("destination")) {
      // already reported by the format's reader
    } else if (typeof destination === "string" && looksLikeIban(destination)) {
      const holderName = textOrUndefined(draft.holderName);
      const bic = textOrUndefined(draft.bic);
      const check = checkBankDetails({ iban: destination, bic, holder_name: holderName });
      if (check.ok) {
        payee = {
          iban: check.details.accountIdentifier,
          ...(bic ? { bic } : {}),
          ...(holderName ? { holderName } : {}),
        };
      } else {
        for (const problem of check.problems) {
          at(`${problem.field}: ${renderMessage(requested.language ?? "en", problem.message)}`);
        }
      }
    } else if (typeof destination !== "string" || !isIdOf("account", destination)) {
      at("destination must be an account id (acct_…) or an IBAN");
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

    let rowCurrency: string | undefined;
    if (draft.currency !== undefined && draft.currency !== "") {
      rowCurrency = typeof draft.currency === "string" ? draft.currency.trim().toUpperCase() : "";
      if (!isCurrency(rowCurrency)) at(`currency ${String(draft.currency)} is not supported`);
      // The batch's currency: --currency, else the source account's, else the first row's.
      else currency ??= rowCurrency;
    }

    if (problems.length === before && reported.size === 0) {
      items.push({
        id: id as string,
        destination: payee ? "" : (destination as string),
        amount: amount as number,
        ...(description === undefined ? {} : { description }),
      });
      itemCurrencies.push(rowCurrency);
      if (payee) pendingPayees.set(items.length - 1, payee);
      lines.push(draft.line);
    }
  }
  if (currency === undefined && problems.length === 0) {
    problems.push({ line: 1, message: "no currency: pass --currency or add a currency column" });
  }
  if (problems.length > 0) {
    throw new BatchFileError(
      file,
      problems.sort((a, b) => a.line - b.line),
    );
  }
  const batchCurrency = currency as string;
  // Only items in another currency carry one; an IBAN's account is opened in the item's currency.
  itemCurrencies.forEach((itemCurrency, index) => {
    if (itemCurrency !== undefined && itemCurrency !== batchCurrency) {
      (items[index] as BatchFileItem).currency = itemCurrency;
    }
  });
  const read: BatchFile = { items, lines, currency: batchCurrency };
  if (pendingPayees.size > 0) {
    read.payees = new Map(
      [...pendingPayees].map(([index, payee]) => [
        index,
        { ...payee, currency: itemCurrencies[index] ?? batchCurrency },
      ]),
    );
  }
  return read;
}

/** Two letters and two digits, then letters and digits (spaces allowed): an IBAN, not an acct_ id. */
function looksLikeIban(destination: string): boolean {
  return /^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{8,}$/.test(destination);
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** The items' totals per currency, batch currency first: "USD 2,500.00 + EUR 100.00" in the plan. */
export function totalsByCurrency(file: BatchFile): Map<string, number> {
  const totals = new Map<string, number>([[file.currency, 0]]);
  for (const item of file.items) {
    const code = item.currency ?? file.currency;
    totals.set(code, (totals.get(code) ?? 0) + item.amount);
  }
  return totals;
}
