// Owns reading an ISO 20022 pain.001 (customer credit transfer initiation) as a batch:
// Document/CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf, one item per transaction:
//   PmtId/EndToEndId      → item id
//   Amt/InstdAmt (@Ccy)   → amount, decimal major units converted exactly to minor units
//   CdtrAcct/Id/Othr/Id   → destination (a payrail account id), or
//   CdtrAcct/Id/IBAN      → an IBAN destination, with Cdtr/Nm (holder) and CdtrAgt/FinInstnId/BICFI
//                            (or BIC, pain.001.001.03) for the bank account the CLI opens for it
//   RmtInf/Ustrd          → description
// The parser keeps no positions, so line numbers come from scanning the text for the same
// elements in document order.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { checkBankDetails } from "../lib/domain/bank-details/index.js";
import { isIdOf } from "../lib/domain/ids.js";
import { renderMessage } from "../lib/i18n/render.js";
import { scaledDecimal, toMinorUnits } from "./amounts.js";
import {
  type BatchFile,
  BatchFileError,
  type BatchFileProblem,
  type CurrencyOptions,
  checkItems,
  type ItemDraft,
} from "./batch-file.js";

type Node = Record<string, unknown>;

const LISTS = new Set(["PmtInf", "CdtTrfTxInf", "Ustrd", "Othr"]);

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Offsets of every start tag named `name` (any namespace prefix), outside comments and CDATA. */
function startTags(text: string, name: string): number[] {
  const pattern = new RegExp(
    `<!--[\\s\\S]*?-->|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|<(?:[\\w.-]+:)?${name}[\\s/>]`,
    "g",
  );
  const out: number[] = [];
  for (const match of text.matchAll(pattern)) if (!match[0].startsWith("<!")) out.push(match.index);
  return out;
}

function child(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Node)[key];
    if (Array.isArray(current)) current = current[0];
  }
  return current;
}

function textOf(node: unknown): string | undefined {
  if (typeof node === "string") return node.trim();
  if (typeof node === "number") return String(node);
  if (node && typeof node === "object" && "#text" in node) return textOf((node as Node)["#text"]);
  return undefined;
}

export function parsePain001(text: string, file: string, options: CurrencyOptions = {}): BatchFile {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new BatchFileError(file, [
      { line: valid.err.line, message: `not well-formed XML: ${valid.err.msg}` },
    ]);
  }
  const document = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    // Every value stays text: amounts must not pass through a float, ids keep leading zeros.
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => LISTS.has(name),
  }).parse(text) as Node;

  const initiation = child(document, "Document", "CstmrCdtTrfInitn");
  if (!initiation) {
    throw new BatchFileError(file, [
      { line: 1, message: "not a pain.001 document: expected Document/CstmrCdtTrfInitn" },
    ]);
  }
  const txOffsets = startTags(text, "CdtTrfTxInf");
  const problems: BatchFileProblem[] = [];
  const drafts: ItemDraft[] = [];
  const amounts: string[] = [];
  let debtor: string | undefined;
  let index = 0;

  for (const payment of ((initiation as Node).PmtInf as Node[] | undefined) ?? []) {
    const debtorId = textOf(child(payment, "DbtrAcct", "Id", "Othr", "Id"));
    if (debtorId && isIdOf("account", debtorId)) debtor ??= debtorId;
    for (const tx of (payment.CdtTrfTxInf as Node[] | undefined) ?? []) {
      const start = txOffsets[index] ?? 0;
      const end = txOffsets[index + 1] ?? text.length;
      index++;
      const line = lineAt(text, start);
      // The line of a child element inside this transaction, for a precise message.
      const lineOf = (name: string) => {
        const offset = startTags(text.slice(start, end), name)[0];
        return offset === undefined ? line : lineAt(text, start + offset);
      };
      const instructed = child(tx, "Amt", "InstdAmt");
      const value = textOf(instructed);
      const code = (instructed as Node | undefined)?.["@Ccy"];
      // Amount and account problems are reported here, at the line of the element at fault.
      const reported: ("amount" | "destination")[] = [];
      let amount: number | undefined;
      if (value === undefined || typeof code !== "string") {
        problems.push({ line: lineOf("InstdAmt"), message: "Amt/InstdAmt with a Ccy attribute is required" });
        reported.push("amount");
      } else {
        const minor = toMinorUnits(value, code);
        if (minor.ok) {
          amount = minor.amount;
          amounts.push(value);
        } else {
          problems.push({ line: lineOf("InstdAmt"), message: minor.message });
          reported.push("amount");
        }
      }
      const account = child(tx, "CdtrAcct", "Id");
      const destination = textOf(child(account, "Othr", "Id")) ?? textOf(child(account, "IBAN"));
      const agent = child(tx, "CdtrAgt", "FinInstnId");
      const holderName = textOf(child(tx, "Cdtr", "Nm"));
      const bic = textOf(child(agent, "BICFI")) ?? textOf(child(agent, "BIC"));
      const iban = textOf(child(account, "IBAN"));
      if (iban !== undefined && textOf(child(account, "Othr", "Id")) === undefined) {
        // Checked here to report each problem at the line of the element at fault.
        const check = checkBankDetails({ iban, bic, holder_name: holderName });
        if (!check.ok) {
          for (const problem of check.problems) {
            const element =
              problem.field === "bic" ? (textOf(child(agent, "BICFI")) ? "BICFI" : "BIC") : "IBAN";
            problems.push({
              line: lineOf(element),
              message: `${problem.field}: ${renderMessage(options.language ?? "en", problem.message)}`,
            });
          }
          reported.push("destination");
        }
      }
      const remittance = (child(tx, "RmtInf") as Node | undefined)?.Ustrd as unknown[] | undefined;
      drafts.push({
        line,
        id: textOf(child(tx, "PmtId", "EndToEndId")),
        destination,
        amount,
        reported,
        description: remittance?.map(textOf).filter(Boolean).join(" ") || undefined,
        currency: typeof code === "string" ? code : undefined,
        holderName,
        bic,
      });
    }
  }
  const header = child(initiation, "GrpHdr");
  const declaredCount = textOf(child(header, "NbOfTxs"));
  if (declaredCount !== undefined && declaredCount !== String(drafts.length)) {
    problems.push({
      line: lineAt(text, startTags(text, "NbOfTxs")[0] ?? 0),
      message: `GrpHdr/NbOfTxs says ${declaredCount} but the file holds ${drafts.length} transactions`,
    });
  }
  const declaredSum = textOf(child(header, "CtrlSum"));
  if (declaredSum !== undefined && amounts.length === drafts.length) {
    const scale = Math.max(
      declaredSum.split(".")[1]?.length ?? 0,
      ...amounts.map((a) => a.split(".")[1]?.length ?? 0),
    );
    const declared = scaledDecimal(declaredSum, scale);
    const actual = amounts.reduce((sum, a) => sum + (scaledDecimal(a, scale) ?? 0n), 0n);
    if (declared !== actual) {
      problems.push({
        line: lineAt(text, startTags(text, "CtrlSum")[0] ?? 0),
        message: `GrpHdr/CtrlSum says ${declaredSum} but the amounts add up to a different total`,
      });
    }
  }
  const batch = checkItems(file, drafts, options, problems);
  return debtor ? { ...batch, source: debtor } : batch;
}
