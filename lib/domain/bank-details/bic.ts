// Owns the BIC (ISO 9362) format: 4 letters of bank, 2 of country, 2 of location, optionally 3
// of branch. The country in it must be the account's: a BIC of another country is a wrong BIC.
import { type MessageRef, messageRef } from "../../i18n/message-ref.js";

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

export function normalizeBic(raw: string): string {
  return raw.replace(/ /g, "").toUpperCase();
}

/** What is wrong with a BIC (normalized) for an account in `country`, or undefined. */
export function bicProblem(bic: string, country: string): MessageRef | undefined {
  if (!BIC.test(bic)) return messageRef("bank.bic_format");
  const inBic = bic.slice(4, 6);
  if (inBic !== country) return messageRef("bank.bic_country", { country, got: inBic });
  return undefined;
}
