// Owns the IBAN rules (ISO 13616): the length of each country's IBAN and the mod-97 check. The
// table lists the SEPA countries plus the other IBAN countries payrail pays to; a country missing
// from it is refused rather than guessed, because a wrong length is the commonest typo.
import type { MessageRef } from "../../i18n/message-ref.js";

/** IBAN length per country (SWIFT IBAN registry). SEPA members are marked in SEPA_COUNTRIES. */
// biome-ignore format: a table reads better in rows
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18,
  FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27,
  VA: 22,
  // Outside SEPA.
  AE: 23, AL: 28, AZ: 28, BA: 20, BH: 22, BR: 29, CR: 22, DO: 28, EG: 29, FO: 18, GE: 22, GL: 18,
  GT: 28, IL: 23, JO: 30, KW: 30, KZ: 20, LB: 28, MD: 24, ME: 22, MK: 19, MU: 30, PK: 24, QA: 29,
  RS: 22, SA: 24, TN: 24, TR: 26, UA: 29, XK: 20,
};

/** The SEPA scheme's countries (EU + EEA + CH, GB, MC, SM, AD, VA, GI), all in IBAN_LENGTHS. */
// biome-ignore format: a table reads better in rows
export const SEPA_COUNTRIES: readonly string[] = [
  "AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GI", "GR",
  "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT", "RO",
  "SE", "SI", "SK", "SM", "VA",
];

/** The electronic form: spaces removed, uppercase ("de89 3704 …" → "DE893704…"). */
export function normalizeIban(raw: string): string {
  return raw.replace(/ /g, "").toUpperCase();
}

/**
 * ISO 7064 mod 97-10 of an IBAN: the first four characters moved to the end, letters as 10..35,
 * the remainder taken digit by digit so no number ever exceeds 96 * 10 + 35 (no big integers).
 */
export function ibanRemainder(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}

/** The two check digits that make `country` + `bban` a valid IBAN (for fixtures and docs). */
export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - ibanRemainder(`${country}00${bban.toUpperCase()}`);
  return String(check).padStart(2, "0");
}

/** What is wrong with an IBAN (already normalized) for `country`, or undefined when it is valid. */
export function ibanProblem(iban: string, country: string): MessageRef | undefined {
  if (!/^[A-Z0-9]+$/.test(iban)) return { key: "bank.iban_characters", vars: {} };
  const prefix = iban.slice(0, 2);
  if (!/^[A-Z]{2}$/.test(prefix) || IBAN_LENGTHS[prefix] === undefined) {
    return { key: "bank.iban_unknown_country", vars: { prefix } };
  }
  if (prefix !== country) return { key: "bank.iban_country", vars: { country, prefix } };
  const length = IBAN_LENGTHS[country] as number;
  if (iban.length !== length) return { key: "bank.iban_length", vars: { country, length, got: iban.length } };
  // Check digits are 02..98 by construction; 00, 01 and 99 can pass mod 97 by accident (99 ≡ 02).
  const check = iban.slice(2, 4);
  if (!/^\d{2}$/.test(check) || check < "02" || check > "98" || ibanRemainder(iban) !== 1) {
    return { key: "bank.iban_checksum", vars: {} };
  }
  return undefined;
}
