// Owns resource ids: a type prefix and a time-ordered random body (ULID-like, Crockford base32),
// so sorting ids sorts by creation time and lists can page newest-first on the id alone.
import { createHash, randomBytes } from "node:crypto";

export const ID_PREFIXES = {
  merchant: "mer",
  account: "acct",
  topup: "tu",
  payment: "pay",
  batch: "bat",
  refund: "re",
  hold: "hold",
  event: "evt",
  webhookEndpoint: "we",
  webhookDelivery: "whd",
  quote: "quote",
  riskRule: "rr",
  apiKey: "key",
} as const;

export type ResourceKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

/** The smallest id of `kind` created after `ms`: ids at or before `ms` sort below it. */
export function idAfterTime(kind: ResourceKind, ms: number): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(ms + 1)}`;
}

/** Whether `id` is the id of some payrail object (any kind), e.g. what an event is about. */
export function isPayrailId(id: string): boolean {
  return (Object.keys(ID_PREFIXES) as ResourceKind[]).some((kind) => isIdOf(kind, id));
}

/** The time (ms since the epoch) a time-ordered id was created at. */
export function idTimeMs(id: string): number {
  const body = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  let ms = 0;
  for (const char of body) ms = ms * 32 + ALPHABET.indexOf(char);
  return ms;
}

export function newId(kind: ResourceKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${encodeRandom(16)}`;
}

const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `id` is shaped like an id of `kind`; says nothing about whether it exists. */
export function isIdOf(kind: ResourceKind, id: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return id.startsWith(prefix) && ID_PATTERN.test(id.slice(prefix.length));
}

/**
 * The id prefix shared by every id of `kind` created in millisecond `ms`: ids created earlier sort
 * below it, ids created at or after it sort above it. Lists turn `created[…]` into id ranges with it.
 */
export function idTimeBound(kind: ResourceKind, ms: number): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(ms)}`;
}

/**
 * A time-ordered id whose body is derived from `seed` instead of chance: the same seed always gives
 * the same id, so a retried step re-derives the ids it wrote before (batch item payments are keyed
 * by batch id and item index, and the bank rail sees the same reference on every attempt).
 */
export function derivedId(kind: ResourceKind, timeMs: number, seed: string): string {
  const digest = createHash("sha256").update(`${kind}:${seed}`).digest();
  let body = "";
  for (let i = 0; i < 16; i++) body += ALPHABET[(digest[i] ?? 0) % 32];
  return `${ID_PREFIXES[kind]}_${encodeTime(timeMs)}${body}`;
}
