// Owns secret API keys: how they look, and how they are stored (only as a SHA-256 hash, so a leaked
// table does not leak usable keys; a high-entropy random key needs no slow password hash). A key
// says its mode in its prefix (`sk_test_`, `sk_live_`), as Stripe's do.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedId } from "./ids.js";
import type { Mode } from "./modes.js";

const KEY_PREFIXES: Readonly<Record<Mode, string>> = { test: "sk_test_", live: "sk_live_" };

export function generateSecretKey(mode: Mode = "test"): string {
  return KEY_PREFIXES[mode] + randomBytes(24).toString("base64url");
}

/** The mode a key's prefix names, or undefined for anything that is not a secret key. */
export function modeOfKey(value: string): Mode | undefined {
  if (value.length > 100) return undefined;
  if (value.startsWith(KEY_PREFIXES.test)) return "test";
  if (value.startsWith(KEY_PREFIXES.live)) return "live";
  return undefined;
}

export function hashSecretKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

export function looksLikeSecretKey(value: string): boolean {
  return modeOfKey(value) !== undefined;
}

/**
 * A key as it may appear in a message or a log: its mode prefix and last four characters
 * (`sk_test_****wxyz`), never more. Anything not shaped like a key shows as `****` plus its last four.
 */
export function maskSecretKey(value: string): string {
  const prefix = /^sk_[a-z]+_/.exec(value)?.[0] ?? "";
  const rest = value.slice(prefix.length);
  // Short values show no characters at all: four of eight would be half the secret.
  return `${prefix}****${rest.length >= 12 ? rest.slice(-4) : ""}`;
}

export type PresentedKey =
  | { kind: "key"; secret: string }
  | { kind: "no_scheme"; secret: string }
  | { kind: "unreadable" };

/**
 * Reads the Authorization header: `Bearer <key>`, or HTTP Basic with the key as user name and an
 * empty password (`curl -u sk_test_…:`, Stripe's documented style). A bare key without a scheme is
 * recognized so the answer can say which scheme to use.
 */
export function presentedKey(header: string): PresentedKey {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return { kind: "key", secret: bearer[1] as string };
  const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    return user === "" ? { kind: "unreadable" } : { kind: "key", secret: user };
  }
  const bare = header.trim();
  if (/^sk_[a-z]+_\S+$/.test(bare)) return { kind: "no_scheme", secret: bare };
  return { kind: "unreadable" };
}

/**
 * A key record's id: `key_id` as stored, or, for keys issued before keys had ids, one derived from
 * the key's hash and creation time (stable, and no way back to the secret).
 */
export function keyIdOf(record: { key_id?: unknown; key_hash?: unknown; created_at?: unknown }): string {
  if (typeof record.key_id === "string") return record.key_id;
  return derivedId("apiKey", Number(record.created_at ?? 0) * 1000, String(record.key_hash));
}
