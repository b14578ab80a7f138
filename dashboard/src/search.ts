// Owns payment search: the criteria a person types, and finding the payments that match them
// (newest first). The API filters what it can (one filter per list request: an account as source
// and as destination is two lists merged; dates as created[gte]/created[lte]); what is left (the
// status next to an account, the amount range) is matched here, over at most SCAN_LIMIT payments.

import { exponentOf } from "./format.js";
import type { Payment, PaymentListParams, Payrail } from "./payrail.js";

export const SCAN_LIMIT = 2_000;
export const RESULT_LIMIT = 100;

export interface PaymentCriteria {
  status?: string;
  /** Source or destination account. */
  account?: string;
  /** Decimal amounts in major units ("10.50"), compared in each payment's own currency. */
  minAmount?: string;
  maxAmount?: string;
  /** Dates (YYYY-MM-DD, the reader's time zone), inclusive. */
  from?: string;
  to?: string;
}

export function criteriaFrom(query: URLSearchParams): PaymentCriteria {
  const value = (name: string) => query.get(name)?.trim() || undefined;
  return {
    status: value("status"),
    account: value("account"),
    minAmount: value("min"),
    maxAmount: value("max"),
    from: value("from"),
    to: value("to"),
  };
}

/** "10.5" in a currency with exponent 2 → 1050; undefined when not a plain decimal. Exact (BigInt). */
export function minorUnits(decimal: string, currency: string): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) return undefined;
  const exponent = exponentOf(currency);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) return undefined;
  return Number(BigInt((match[1] ?? "") + fraction.padEnd(exponent, "0")));
}

/** Unix seconds of a date's start (or end, `endOfDay`) in the reader's time zone. */
function dayBound(date: string | undefined, endOfDay: boolean): number | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const start = new Date(year, month - 1, day).getTime() / 1000;
  return endOfDay ? start + 86_399 : start;
}

export function matches(payment: Payment, criteria: PaymentCriteria): boolean {
  if (criteria.status && payment.status !== criteria.status) return false;
  if (criteria.account && payment.source !== criteria.account && payment.destination !== criteria.account)
    return false;
  if (criteria.minAmount !== undefined) {
    const min = minorUnits(criteria.minAmount, payment.currency);
    if (min !== undefined && payment.amount < min) return false;
  }
  if (criteria.maxAmount !== undefined) {
    const max = minorUnits(criteria.maxAmount, payment.currency);
    if (max !== undefined && payment.amount > max) return false;
  }
  const from = dayBound(criteria.from, false);
  const to = dayBound(criteria.to, true);
  if (from !== undefined && payment.created_at < from) return false;
  if (to !== undefined && payment.created_at > to) return false;
  return true;
}

export interface SearchResult {
  payments: Payment[];
  scanned: number;
  /** True when the scan stopped at SCAN_LIMIT before reaching the end (or the `from` date). */
  truncated: boolean;
}

/** The list requests that cover `criteria`, each with at most one filter (the API's rule). */
export function listQueries(criteria: PaymentCriteria): PaymentListParams[] {
  const base: PaymentListParams = { limit: 100 };
  const from = dayBound(criteria.from, false);
  const to = dayBound(criteria.to, true);
  if (from !== undefined) base["created[gte]"] = from;
  if (to !== undefined) base["created[lte]"] = to;
  if (criteria.account)
    return [
      { ...base, source: criteria.account },
      { ...base, destination: criteria.account },
    ];
  const status = criteria.status as PaymentListParams["status"];
  return [status ? { ...base, status } : base];
}

/** Newest first across lists that are each newest first (ids sort by creation time). */
async function* newestFirst(lists: AsyncIterable<Payment>[]): AsyncGenerator<Payment> {
  const iterators = lists.map((list) => list[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((iterator) => iterator.next()));
  for (;;) {
    let pick = -1;
    heads.forEach((head, i) => {
      const picked = heads[pick];
      if (!head.done && (!picked || head.value.id > (picked.value as Payment).id)) pick = i;
    });
    if (pick < 0) return;
    yield heads[pick]?.value as Payment;
    heads[pick] = await (iterators[pick] as AsyncIterator<Payment>).next();
  }
}

export async function searchPayments(client: Payrail, criteria: PaymentCriteria): Promise<SearchResult> {
  const payments: Payment[] = [];
  let scanned = 0;
  const lists = listQueries(criteria).map((query) => client.payments.list(query));
  for await (const payment of newestFirst(lists)) {
    scanned++;
    if (matches(payment, criteria)) {
      payments.push(payment);
      if (payments.length >= RESULT_LIMIT) return { payments, scanned, truncated: true };
    }
    if (scanned >= SCAN_LIMIT) return { payments, scanned, truncated: true };
  }
  return { payments, scanned, truncated: false };
}
