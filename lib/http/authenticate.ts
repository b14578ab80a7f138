// Owns authentication: `Authorization: Bearer sk_test_…|sk_live_…` (or HTTP Basic with the key as
// user name) resolves to a merchant in a mode, and the call's owner is that merchant in that mode
// (lib/domain/modes.ts), which is what keeps test and live objects apart. Keys are looked up by
// their SHA-256 and compared in constant time. Verified keys are cached per container for a short
// TTL so the hot path spends its one DynamoDB round trip on the payment, not on the key; a revoked
// key therefore stops working within that TTL (a rotated key's grace period ends exactly: the cache
// never outlives it). The key's id, name and role ride along (lib/http/authorize.ts checks the role;
// a role change by revoke-and-reissue is likewise seen within the TTL). Messages show a key masked (`sk_test_****wxyz`, `sk_live_****wxyz`), never in
// full.
import type { MiddlewareObj } from "@middy/core";
import {
  hashSecretKey,
  looksLikeSecretKey,
  maskSecretKey,
  presentedKey,
  sameHash,
} from "../domain/api-keys.js";
import { ledgerOwner, type Mode } from "../domain/modes.js";
import { AuthenticationError, LiveModeUnavailableError } from "../errors.js";
import { messageRef } from "../i18n/message-ref.js";
import { findKeyOwner } from "../ledger/merchants.js";
import type { LedgerStore } from "../ledger/records.js";
import type { ApiEvent, CallingKey } from "./types.js";

/** How to send the key, shown with `key` (a placeholder or the masked key sent). */
const how = (key: string) => messageRef("auth.how", { key });

interface CachedOwner {
  merchantId: string;
  mode: Mode;
  key: CallingKey;
  expiresAt: number;
}

const MAX_CACHED_KEYS = 1_000;

export interface AuthenticateOptions {
  cacheTtlMs: number;
  /** False on a stage without a live bank rail: live keys are refused with 403. */
  liveModeEnabled: boolean;
}

export function authenticate(store: LedgerStore, options: AuthenticateOptions): MiddlewareObj<ApiEvent> {
  const cache = new Map<string, CachedOwner>();
  const admit = (event: ApiEvent, merchantId: string, mode: Mode, key: CallingKey) => {
    if (mode === "live" && !options.liveModeEnabled) throw new LiveModeUnavailableError();
    event.payrail.merchantId = ledgerOwner(merchantId, mode);
    event.payrail.livemode = mode === "live";
    event.payrail.apiKey = key;
  };
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
      if (cached && cached.expiresAt > now)
        return admit(request.event, cached.merchantId, cached.mode, cached.key);
      const owner = await findKeyOwner(store, hash, now);
      if (!owner || !sameHash(owner.keyHash, hash)) {
        cache.delete(hash);
        throw invalid();
      }
      if (cache.size >= MAX_CACHED_KEYS) cache.clear();
      const trustedUntil = Math.min(now + options.cacheTtlMs, owner.expiresAtMs ?? Number.POSITIVE_INFINITY);
      const key: CallingKey = { id: owner.keyId, name: owner.name, role: owner.role };
      if (options.cacheTtlMs > 0)
        cache.set(hash, { merchantId: owner.merchantId, mode: owner.mode, key, expiresAt: trustedUntil });
      admit(request.event, owner.merchantId, owner.mode, key);
    },
  };
}
