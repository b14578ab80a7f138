// Owns the national (non-IBAN) bank details of each country payrail pays to: which fields a
// country's accounts need and the format of each, with the check digits where the scheme has them
// (US ABA routing numbers, MX CLABE). All listed fields of a country are required.
import { type MessageRef, messageRef } from "../../i18n/message-ref.js";

export const NATIONAL_FIELDS = [
  "account_number",
  "routing_number",
  "sort_code",
  "bsb",
  "ifsc",
  "clabe",
  "transit_number",
  "institution_number",
  "bank_code",
  "branch_code",
] as const;

export type NationalField = (typeof NATIONAL_FIELDS)[number];

/** The fields that identify the account itself: answered as last4 only (stored in full for the rail, see Account.bankNumber). */
export const ACCOUNT_IDENTIFIERS: readonly NationalField[] = ["account_number", "clabe"];

export interface FieldRule {
  /** Separators people write and banks ignore (sort code "60-16-13"), removed before checking. */
  strip?: RegExp;
  upperCase?: boolean;
  pattern: RegExp;
  /** What the format is, for the message when a value does not match. */
  expected: MessageRef;
  /** The scheme's check digits; `name` is said in the message when they fail. */
  checksum?: { name: string; valid: (value: string) => boolean };
}

const digits = (count: number) => ({
  pattern: new RegExp(`^\\d{${count}}$`),
  expected: messageRef("format.digits", { count }),
});
const digitRange = (min: number, max: number) => ({
  pattern: new RegExp(`^\\d{${min},${max}}$`),
  expected: messageRef("format.digit_range", { min, max }),
});
const DASHES_AND_SPACES = /[-\s]/g;

/** ABA routing number: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. */
export function abaChecksumValid(routing: string): boolean {
  const weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(routing[i]) * (weights[i] as number);
  return sum % 10 === 0;
}

/** CLABE: the 18th digit is (10 − Σ (dᵢ·wᵢ mod 10) mod 10) mod 10 with weights 3, 7, 1 repeated. */
export function clabeChecksumValid(clabe: string): boolean {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(clabe[i]) * (weights[i % 3] as number)) % 10;
  return (10 - (sum % 10)) % 10 === Number(clabe[17]);
}

/** The national scheme of each country, field by field. */
export const NATIONAL_SCHEMES: Readonly<Record<string, Partial<Record<NationalField, FieldRule>>>> = {
  US: {
    account_number: digitRange(4, 17),
    routing_number: { ...digits(9), checksum: { name: "ABA", valid: abaChecksumValid } },
  },
  GB: { account_number: digits(8), sort_code: { ...digits(6), strip: DASHES_AND_SPACES } },
  AU: { account_number: digitRange(5, 10), bsb: { ...digits(6), strip: DASHES_AND_SPACES } },
  IN: {
    account_number: digitRange(9, 18),
    ifsc: { pattern: /^[A-Z]{4}0[A-Z0-9]{6}$/, upperCase: true, expected: messageRef("format.ifsc") },
  },
  MX: { clabe: { ...digits(18), checksum: { name: "CLABE", valid: clabeChecksumValid } } },
  CA: { account_number: digitRange(7, 12), transit_number: digits(5), institution_number: digits(3) },
  JP: { account_number: digits(7), bank_code: digits(4), branch_code: digits(3) },
  SG: { account_number: digitRange(6, 17), bank_code: digits(4), branch_code: digits(3) },
  HK: { account_number: digitRange(6, 12), bank_code: digits(3), branch_code: digits(3) },
  CN: { account_number: digitRange(8, 30), bank_code: digits(12) },
};
