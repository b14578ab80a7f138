// Owns authentication: `Authorization: Bearer sk_...` (or HTTP Basic with the key as user name)
// resolves to a merchant. Keys are looked up by their SHA-256 and compared in constant time.
// Verified keys are cached per container for a short TTL so the hot path spends its one DynamoDB
// round trip on the payment, not on the key; a revoked key therefore stops working within that TTL.
// Messages show a key masked (`sk_test_****wxyz`), never in full.

import type { MiddlewareObj } from "@middy/core";
import {
  hashSecretKey,
  looksLikeSecretKey,
  maskSecretKey,
  presentedKey,
  sameHash,
} from "../domain/api-keys.js";
import { AuthenticationError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { findKeyOwner } from "../ledger/merchants.js";
import type { LedgerStore } from "../ledger/records.js";
import type { ApiEvent } from "./types.js";

/** How to send the key, shown with `key` (a placeholder or the masked key sent). */
const how = (key: string) => messageRef("auth.how", { key });

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
          messageRef("api_key_missing.detail", { how: how("sk_test_...") }),
        );
      const presented = presentedKey(header);
      if (presented.kind === "no_scheme")
        throw new AuthenticationError(
          "api_key_invalid",
          messageRef("api_key_invalid.no_scheme", { how: how(maskSecretKey(presented.secret)) }),
        );
      if (presented.kind === "unreadable")
        throw new AuthenticationError(
          "api_key_invalid",
          messageRef("api_key_invalid.unreadable", { how: how("sk_test_...") }),
        );
      const secret = presented.secret;
      const invalid = () =>
        new AuthenticationError(
          "api_key_invalid",
          messageRef("api_key_invalid.detail", { key: maskSecretKey(secret) }),
        );
      if (!looksLikeSecretKey(secret)) throw invalid();
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
        throw invalid();
      }
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      if (cacheTtlMs > 0) cache.set(hash, { merchantId: owner.merchantId, expiresAt: now + cacheTtlMs });
      request.event.payrail.merchantId = owner.merchantId;
    },
  };
}
