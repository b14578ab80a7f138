// Owns the English messages about bank details (see lib/domain/bank-details). Each says what is
// expected; none repeats the value sent, so an account number never travels back in an error.
export const BANK_DETAILS_EN = {
  "format.digits": "{count} digits",
  "format.digit_range": "{min} to {max} digits",
  "format.ifsc": "an IFSC: 4 letters, a zero, then 6 letters or digits (e.g. HDFC0001234)",
  "bank.country_unsupported":
    "bank accounts in {country} are not supported; supported countries (ISO 3166 alpha-2): {countries}",
  "bank.iban_characters": "an IBAN has only letters and digits (spaces between groups are ignored)",
  "bank.iban_unknown_country": "an IBAN starts with its country code, and {prefix} is not an IBAN country",
  "bank.iban_country": "must be an IBAN of {country} (starting with {country}), this one is of {prefix}",
  "bank.iban_length": "a {country} IBAN has {length} characters (without spaces), this one has {got}",
  "bank.iban_checksum":
    "the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
  "bank.iban_not_used": "{country} accounts have no IBAN: send {fields}",
  "bank.iban_required": "{country} accounts are identified by their IBAN",
  "bank.field_with_iban": "not used beside bank.iban: the IBAN already identifies the account",
  "bank.field_required": "{country} accounts need it: {expected}",
  "bank.field_format": "must be {expected}",
  "bank.field_checksum": "the {scheme} check digit does not match: a digit is mistyped",
  "bank.field_not_used": "not used for {country} accounts, which take {fields}",
  "bank.bic_format":
    "a BIC is 8 or 11 characters: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 more (branch)",
  "bank.bic_country": "this BIC is of a bank in {got}, the account is in {country}",
} as const satisfies Record<string, string>;

export type BankDetailsMessageKey = keyof typeof BANK_DETAILS_EN;
