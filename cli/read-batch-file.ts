// Owns turning a file on disk into batch requests: pick the reader by extension (or content),
// then split into parts of at most MAX_BATCH_ITEMS, each with an Idempotency-Key derived from the
// file's SHA-256 and the part's index, so submitting the same file again creates nothing new.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { BatchItemParams } from "../client/index.js";
import { MAX_BATCH_ITEMS } from "../lib/domain/batch-limits.js";
import type { BatchFile, CurrencyOptions } from "./batch-file.js";
import { parseBatchCsv } from "./parse-csv.js";
import { parseBatchJson } from "./parse-json.js";
import { parsePain001 } from "./parse-pain001.js";

export type BatchFileFormat = "csv" | "json" | "pain.001";

export function formatOf(path: string, text: string): BatchFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".xml")) return "pain.001";
  const start = text.trimStart();
  if (start.startsWith("<")) return "pain.001";
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  return "csv";
}

/** Parses `bytes` as a batch file; throws BatchFileError with `name:line: message` problems. */
export function readBatchFile(path: string, bytes: Uint8Array, options: CurrencyOptions) {
  const text = new TextDecoder("utf-8").decode(bytes);
  const name = basename(path);
  const format = formatOf(path, text);
  const opts: CurrencyOptions = {
    ...(options.currency ? { currency: options.currency } : {}),
    ...(options.defaultCurrency ? { defaultCurrency: options.defaultCurrency } : {}),
    ...(options.language ? { language: options.language } : {}),
  };
  const file =
    format === "csv"
      ? parseBatchCsv(text, name, opts)
      : format === "json"
        ? parseBatchJson(text, name, opts)
        : parsePain001(text, name, opts);
  return { name, format, file, sha256: createHash("sha256").update(bytes).digest("hex") };
}

export interface BatchPart {
  /** 0-based. */
  index: number;
  count: number;
  items: BatchItemParams[];
  /** The file line of each item, for mapping API errors back to the file. */
  lines: number[];
  idempotencyKey: string;
}

export function splitIntoParts(file: BatchFile, sha256: string, size = MAX_BATCH_ITEMS): BatchPart[] {
  const count = Math.max(1, Math.ceil(file.items.length / size));
  return Array.from({ length: count }, (_, index) => ({
    index,
    count,
    items: file.items.slice(index * size, (index + 1) * size),
    lines: file.lines.slice(index * size, (index + 1) * size),
    idempotencyKey: `payrail-cli-${sha256}-${index + 1}-of-${count}`,
  }));
}

/** The key of a part submitted again (--resubmit) after `endedBatchId` failed or was canceled:
 *  derived, so running the same resubmission twice still submits it once. */
export function resubmitKey(part: BatchPart, endedBatchId: string): string {
  return `${part.idempotencyKey}-after-${endedBatchId}`;
}
