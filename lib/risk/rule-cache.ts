// Owns the per-container cache of each owner's risk rules. A payment needs its merchant's rules
// before its one transaction; reading them each time would double its round trips, so they are
// kept `ttlMs` per container (PAYRAIL_RISK_RULES_CACHE_SECONDS, 10 s by default), like verified
// API keys. A rule set or deleted through this container applies here at once; other containers
// see it within the TTL. Limits are still exact: the counters and their conditions live in the
// ledger, only which rules exist may be up to one TTL old.
import type { RiskRule } from "../domain/risk/rules.js";
import type { LedgerStore } from "../ledger/records.js";
import { readRiskRules } from "../ledger/risk-rules.js";

const MAX_OWNERS = 10_000;

export class RiskRuleCache {
  private readonly entries = new Map<string, { rules: RiskRule[]; until: number }>();

  constructor(
    private readonly store: LedgerStore,
    private readonly ttlMs: number,
  ) {}

  async forOwner(owner: string, nowMs = Date.now()): Promise<RiskRule[]> {
    const cached = this.entries.get(owner);
    if (cached && cached.until > nowMs) return cached.rules;
    const rules = await readRiskRules(this.store, owner);
    if (this.entries.size >= MAX_OWNERS) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(owner, { rules, until: nowMs + this.ttlMs });
    return rules;
  }

  /** After a change made here: the next payment of this owner reads the rules again. */
  forget(owner: string): void {
    this.entries.delete(owner);
  }
}
