// Owns reading a batch CSV: header `id,destination,amount[,description][,currency][,holder_name][,bic]`,
// amounts in integer minor units of the row's currency, one item per line; a destination is an
// account id or an IBAN (then holder_name and bic describe its bank account).
import { parse } from "csv-parse/sync";
import {
  type BatchFile,
  BatchFileError,
  type CurrencyOptions,
  checkItems,
  type ItemDraft,
} from "./batch-file.js";

const REQUIRED = ["id", "destination", "amount"] as const;
const OPTIONAL = ["description", "currency", "holder_name", "bic"] as const;

export function parseBatchCsv(text: string, file: string, options: CurrencyOptions = {}): BatchFile {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new BatchFileError(file, [{ line, message: `not valid CSV: ${(error as Error).message}` }]);
  }
  const [header, ...records] = rows;
  if (!header) throw new BatchFileError(file, [{ line: 1, message: "the file is empty" }]);
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const problems = [
    ...REQUIRED.filter((name) => !columns.includes(name)).map((name) => `missing column '${name}'`),
    ...columns.filter((name) => !known.has(name)).map((name) => `unknown column '${name}'`),
  ];
  if (problems.length > 0) {
    throw new BatchFileError(
      file,
      problems.map((message) => ({
        line: header.info.lines,
        message: `${message}; the header must be id,destination,amount[,description][,currency][,holder_name][,bic]`,
      })),
    );
  }
  const drafts: ItemDraft[] = [];
  const shapeProblems = [];
  for (const { record, info } of records) {
    if (record.length !== columns.length) {
      shapeProblems.push({
        line: info.lines,
        message: `expected ${columns.length} fields, found ${record.length}`,
      });
      continue;
    }
    const cell = (name: string) => {
      const index = columns.indexOf(name);
      return index < 0 ? undefined : record[index];
    };
    drafts.push({
      line: info.lines,
      id: cell("id"),
      destination: cell("destination"),
      amount: cell("amount"),
      description: cell("description"),
      currency: cell("currency"),
      holderName: cell("holder_name"),
      bic: cell("bic"),
    });
  }
  return checkItems(file, drafts, options, shapeProblems);
}
