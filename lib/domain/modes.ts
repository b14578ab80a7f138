// Owns test and live mode (Stripe's convention). A merchant has one key per mode, and everything a
// key creates belongs to the merchant *in that mode*: the ledger owner is `mer_…` in test mode and
// `mer_….live` in live mode. Every ownership condition, list partition and idempotency key already
// names the owner, so a live key cannot see, pay from or replay anything made with a test key (and
// the other way round) without a single extra condition anywhere in the ledger; the answer is the
// 404 an unknown id gets. `livemode` on every resource is read back from the owner.

export type Mode = "test" | "live";

/** Ids never contain a dot, so a test owner can never be mistaken for a live one (or prefix it). */
const LIVE_SUFFIX = ".live";

/** The owner a merchant's objects in `mode` are stored under. */
export function ledgerOwner(merchantId: string, mode: Mode): string {
  return mode === "live" ? `${merchantId}${LIVE_SUFFIX}` : merchantId;
}

/** True for objects owned by a merchant in live mode: the `livemode` of every resource. */
export function isLiveOwner(owner: string): boolean {
  return owner.endsWith(LIVE_SUFFIX);
}

/** The merchant behind an owner, whatever its mode. */
export function merchantOf(owner: string): string {
  return isLiveOwner(owner) ? owner.slice(0, -LIVE_SUFFIX.length) : owner;
}
