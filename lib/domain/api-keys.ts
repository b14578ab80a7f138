// Owns secret API keys: how they look, and how they are stored (only as a SHA-256 hash, so a leaked
// table does not leak usable keys; a high-entropy random key needs no slow password hash).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_PREFIX = "sk_test_";

export function generateSecretKey(): string {
  return KEY_PREFIX + randomBytes(24).toString("base64url");
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
  return value.startsWith(KEY_PREFIX) && value.length <= 100;
}
