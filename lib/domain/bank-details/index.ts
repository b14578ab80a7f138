// Owns checking the bank details of a payout destination: an IBAN (length per country, mod 97) or
// the country's national fields (formats and check digits), a BIC, the holder. Pure: takes what
// the client sent and answers the normalized details or every problem with the field it is about.
// The full account identifier leaves this module only inside `BankDetails.accountIdentifier`,
// which openAccount reduces to its last four characters.
import { type MessageRef, messageRef } from "../../i18n/message-ref.js";
import { bicProblem, normalizeBic } from "./bic.js";
import { IBAN_LENGTHS, ibanProblem, normalizeIban } from "./iban.js";
import { ACCOUNT_IDENTIFIERS, NATIONAL_FIELDS, NATIONAL_SCHEMES, type NationalField } from "./national.js";

export { IBAN_LENGTHS, ibanCheckDigits, SEPA_COUNTRIES } from "./iban.js";
export { NATIONAL_FIELDS, NATIONAL_SCHEMES, type NationalField } from "./national.js";

export type HolderType = "individual" | "company";

/** What a client sends (after the schema checked the types). */
export type BankDetailsInput = Partial<Record<NationalField, string>> & {
  country?: string | undefined;
  iban?: string | undefined;
  bic?: string | undefined;
  holder_name?: string | undefined;
  holder_type?: HolderType | undefined;
};

/** Which identifier the account has: `last4` is of this one. */
export type AccountIdentifierKind = "iban" | "account_number" | "clabe";

export interface BankDetails {
  country: string;
  identifier: AccountIdentifierKind;
  /** The full IBAN, account number or CLABE, normalized. Never stored, logged or answered. */
  accountIdentifier: string;
  /** The bank's routing fields (sort_code, bsb, …): public, answered as sent (normalized). */
  routing: Partial<Record<NationalField, string>>;
  bic: string | null;
  holderName: string | null;
  holderType: HolderType | null;
}

export interface BankDetailsProblem {
  /** The field at fault, relative to `bank` (`iban`, `sort_code`, …). */
  field: string;
  /** True when a required field is absent (answered as parameter_missing). */
  missing: boolean;
  message: MessageRef;
}

export type BankDetailsCheck =
  | { ok: true; details: BankDetails }
  | { ok: false; problems: BankDetailsProblem[] };

/** Every country bank accounts may be in: IBAN countries and those with a national scheme. */
export const BANK_COUNTRIES: readonly string[] = [
  ...new Set([...Object.keys(IBAN_LENGTHS), ...Object.keys(NATIONAL_SCHEMES)]),
].sort();

const fieldList = (fields: readonly string[]) => fields.map((field) => `bank.${field}`).join(", ");

/** The country the details are for: as sent, else the IBAN's, else US (the original shape). */
function countryOf(input: BankDetailsInput): string {
  if (input.country !== undefined) return input.country.toUpperCase();
  if (input.iban !== undefined) return normalizeIban(input.iban).slice(0, 2);
  return "US";
}

export function checkBankDetails(input: BankDetailsInput): BankDetailsCheck {
  const problems: BankDetailsProblem[] = [];
  const invalid = (field: string, message: MessageRef) => problems.push({ field, missing: false, message });
  const country = countryOf(input);
  const scheme = NATIONAL_SCHEMES[country];
  const ibanCountry = IBAN_LENGTHS[country] !== undefined;
  if (!scheme && !ibanCountry) {
    const field = input.country === undefined ? "iban" : "country";
    invalid(field, messageRef("bank.country_unsupported", { country, countries: BANK_COUNTRIES.join(", ") }));
    return { ok: false, problems };
  }
  const sentNational = NATIONAL_FIELDS.filter((field) => input[field] !== undefined);
  const routing: Partial<Record<NationalField, string>> = {};
  let identifier: AccountIdentifierKind = "iban";
  let accountIdentifier = "";

  if (input.iban !== undefined) {
    const iban = normalizeIban(input.iban);
    if (!ibanCountry) {
      invalid(
        "iban",
        messageRef("bank.iban_not_used", { country, fields: fieldList(Object.keys(scheme ?? {})) }),
      );
    } else {
      const problem = ibanProblem(iban, country);
      if (problem) invalid("iban", problem);
    }
    // An IBAN carries the whole account: national fields beside it could only contradict it.
    for (const field of sentNational) invalid(field, messageRef("bank.field_with_iban"));
    accountIdentifier = iban;
  } else if (!scheme) {
    problems.push({ field: "iban", missing: true, message: messageRef("bank.iban_required", { country }) });
  } else {
    for (const [field, rule] of Object.entries(scheme) as [NationalField, (typeof scheme)[NationalField]][]) {
      if (!rule) continue;
      const sent = input[field];
      if (sent === undefined) {
        problems.push({
          field,
          missing: true,
          message: messageRef("bank.field_required", { country, expected: rule.expected }),
        });
        continue;
      }
      let value = rule.strip ? sent.replace(rule.strip, "") : sent;
      if (rule.upperCase) value = value.toUpperCase();
      if (!rule.pattern.test(value)) {
        invalid(field, messageRef("bank.field_format", { expected: rule.expected }));
      } else if (rule.checksum && !rule.checksum.valid(value)) {
        invalid(field, messageRef("bank.field_checksum", { scheme: rule.checksum.name }));
      } else if (ACCOUNT_IDENTIFIERS.includes(field)) {
        identifier = field as AccountIdentifierKind;
        accountIdentifier = value;
      } else {
        routing[field] = value;
      }
    }
    for (const field of sentNational) {
      if (scheme[field] === undefined) {
        invalid(
          field,
          messageRef("bank.field_not_used", { country, fields: fieldList(Object.keys(scheme)) }),
        );
      }
    }
  }

  let bic: string | null = null;
  if (input.bic !== undefined) {
    bic = normalizeBic(input.bic);
    const problem = bicProblem(bic, country);
    if (problem) invalid("bic", problem);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    details: {
      country,
      identifier,
      accountIdentifier,
      routing,
      bic,
      holderName: input.holder_name ?? null,
      holderType: input.holder_type ?? null,
    },
  };
}
