// An account aggregate for unit tests of the pure rules: a zero-balance USD wallet unless overridden.
import type { Account } from "../../lib/domain/accounts.js";

export function anAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: "acct_01M8A806SVF9J6VHHWWVKTEMJC",
    merchantId: "mer_01M8A806S4QFNP59HM84X942XD",
    type: "wallet",
    currency: "USD",
    balance: 0,
    held: 0,
    name: null,
    metadata: {},
    bankLast4: null,
    bankNumber: null,
    bankRouting: null,
    bank: null,
    createdAt: 0,
    ...overrides,
  };
}
