// Owns a per-container cache of the immutable facts about accounts (owner, type, currency, bank
// coordinates). Balances are never cached. A stale or wrong entry can only pick the wrong channel
// first: the transaction's conditions still decide, and the router then reads fresh state.
import type { Account } from "../domain/accounts.js";

export type AccountFacts = Omit<Account, "balance" | "name" | "metadata" | "createdAt">;

const MAX_ENTRIES = 10_000;

export class AccountDirectory {
  private readonly facts = new Map<string, AccountFacts>();

  get(id: string): AccountFacts | undefined {
    return this.facts.get(id);
  }

  remember(account: Account): void {
    if (this.facts.size >= MAX_ENTRIES) {
      const oldest = this.facts.keys().next().value;
      if (oldest !== undefined) this.facts.delete(oldest);
    }
    const { balance: _b, name: _n, metadata: _m, createdAt: _c, ...facts } = account;
    this.facts.set(account.id, facts);
  }
}
