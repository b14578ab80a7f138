// Owns the reconciliation CSV of a batch: one row per item, in the order the API lists them.
import type { BatchItem } from "../client/index.js";

export const REPORT_HEADER = ["item_id", "destination", "amount", "status", "failure_code", "payment_id"];

function field(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportRow(item: BatchItem): string {
  return [item.id, item.destination, item.amount, item.status, item.failure_code, item.payment]
    .map(field)
    .join(",");
}

export function reportHeader(): string {
  return REPORT_HEADER.join(",");
}
