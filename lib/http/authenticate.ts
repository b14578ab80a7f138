// Owns authentication: `Authorization: Bearer sk_...` resolves to a merchant. Keys are looked up by
// their SHA-256 and compared in constant time. Verified keys are cached per container for a short
// TTL so the hot path spends its one DynamoDB round trip on the payment, not on the key; a revoked
// key therefore stops working within that TTL.
import type { MiddlewareObj } from "@middy/core";
import { hashSecretKey, looksLikeSecretKey, sameHash } from "../domain/api-keys.js";
import { AuthenticationError } from "../errors.js";
import { findKeyOwner } from "../ledger/merchants.js";
import type { LedgerStore } from "../ledger/records.js";
import type { ApiEvent } from "./types.js";

interface CachedOwner {
  merchantId: string;
  expiresAt: number;
}

const MAX_CACHED_KEYS = 1_000;

export function authenticate(store: LedgerStore, cacheTtlMs: number): MiddlewareObj<ApiEvent> {
  const cache = new Map<string, CachedOwner>();
  return {
    name: "authenticate",
    async before(request) {
      const header = request.event.headers.authorization;
      if (!header)
        throw new AuthenticationError(
          "api_key_missing",
          "No API key provided: use Authorization: Bearer <secret key>.",
        );
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const secret = match?.[1];
      if (!secret || !looksLikeSecretKey(secret))
        throw new AuthenticationError("api_key_invalid", "Invalid API key provided.");
      const hash = hashSecretKey(secret);
      const now = Date.now();
      const cached = cache.get(hash);
      if (cached && cached.expiresAt > now) {
        request.event.payrail.merchantId = cached.merchantId;
        return;
      }
      const owner = await findKeyOwner(store, hash);
      if (!owner || !sameHash(owner.keyHash, hash)) {
        cache.delete(hash);
        throw new AuthenticationError("api_key_invalid", "Invalid API key provided.");
      }
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      if (cacheTtlMs > 0) cache.set(hash, { merchantId: owner.merchantId, expiresAt: now + cacheTtlMs });
      request.event.payrail.merchantId = owner.merchantId;
    },
  };
}
