import { describe, expect, it } from "vitest";
import { ibanRemainder } from "../../../lib/domain/bank-details/iban.js";
import {
  type BankDetailsInput,
  checkBankDetails,
  IBAN_LENGTHS,
  ibanCheckDigits,
  NATIONAL_SCHEMES,
  SEPA_COUNTRIES,
} from "../../../lib/domain/bank-details/index.js";
import { abaChecksumValid, clabeChecksumValid } from "../../../lib/domain/bank-details/national.js";
import { renderMessage } from "../../../lib/i18n/render.js";

/** The problems as `field: English message` (and `missing` marked), for exact assertions. */
function problemsOf(input: BankDetailsInput): string[] {
  const check = checkBankDetails(input);
  if (check.ok) return [];
  return check.problems.map(
    (p) => `${p.missing ? "missing " : ""}${p.field}: ${renderMessage("en", p.message)}`,
  );
}

function detailsOf(input: BankDetailsInput) {
  const check = checkBankDetails(input);
  if (!check.ok) throw new Error(`unexpected problems: ${problemsOf(input).join("; ")}`);
  return check.details;
}

/** A valid IBAN of `country` whose BBAN is `fill` repeated to the country's length. */
function ibanOf(country: string, fill = "1234567890"): string {
  const length = IBAN_LENGTHS[country] as number;
  const bban = fill.repeat(10).slice(0, length - 4);
  return `${country}${ibanCheckDigits(country, bban)}${bban}`;
}

describe("IBAN", () => {
  it.each([
    "DE89370400440532013000",
    "GB29NWBK60161331926819",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "CH9300762011623852957",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
    "NO9386011117947",
    "MT84MALT011000012345MTLCAST001S",
    "AT611904300234573201",
    "PL61109010140000071219812874",
    "SA0380000000608010167519",
    "AE070331234567890123456",
    "BR1800360305000010009795493C1",
    "TR330006100519786457841326",
  ])("accepts the published example %s", (iban) => {
    const details = detailsOf({ country: iban.slice(0, 2), iban });
    expect(details).toEqual({
      country: iban.slice(0, 2),
      identifier: "iban",
      accountIdentifier: iban,
      routing: {},
      bic: null,
      holderName: null,
      holderType: null,
    });
  });

  it("covers every SEPA country, GB and CH in the length table", () => {
    for (const country of [...SEPA_COUNTRIES, "GB", "CH"]) expect(IBAN_LENGTHS[country]).toBeGreaterThan(14);
    expect(SEPA_COUNTRIES).toHaveLength(37);
  });

  it.each(Object.entries(IBAN_LENGTHS))(
    "%s: accepts %i characters, refuses one more or one less",
    (country, length) => {
      const valid = ibanOf(country);
      expect(valid).toHaveLength(length);
      expect(problemsOf({ country, iban: valid })).toEqual([]);
      const longer = `${valid.slice(0, 4)}${valid.slice(4)}1`;
      expect(problemsOf({ country, iban: longer })).toEqual([
        `iban: a ${country} IBAN has ${length} characters (without spaces), this one has ${length + 1}`,
      ]);
      expect(problemsOf({ country, iban: valid.slice(0, -1) })).toEqual([
        `iban: a ${country} IBAN has ${length} characters (without spaces), this one has ${length - 1}`,
      ]);
    },
  );

  it("accepts the printed form: lower case and spaces between groups, kept in the electronic form", () => {
    expect(detailsOf({ country: "de", iban: "de89 3704 0044 0532 0130 00" }).accountIdentifier).toBe(
      "DE89370400440532013000",
    );
  });

  it("takes the country from the IBAN when none is sent", () => {
    expect(detailsOf({ iban: "FR1420041010050500013M02606" }).country).toBe("FR");
  });

  const CHECKSUM =
    "iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing";

  it("refuses a single mistyped digit and two swapped digits (what mod 97 is for)", () => {
    expect(problemsOf({ country: "DE", iban: "DE89370400440532013001" })).toEqual([CHECKSUM]);
    expect(problemsOf({ country: "DE", iban: "DE98370400440532013000" })).toEqual([CHECKSUM]);
    expect(problemsOf({ country: "DE", iban: "DE89370400440532010300" })).toEqual([CHECKSUM]);
  });

  it("refuses check digits 00, 01 and 99 even where they pass mod 97 (valid ones are 02..98)", () => {
    // Find a BBAN whose check digits are 02: then 99 (≡ 02 mod 97) passes the remainder test too.
    let bban = "";
    for (let n = 0; ; n++) {
      bban = `37040044${String(n).padStart(10, "0")}`;
      if (ibanCheckDigits("DE", bban) === "02") break;
    }
    expect(problemsOf({ country: "DE", iban: `DE02${bban}` })).toEqual([]);
    expect(ibanRemainder(`DE99${bban}`)).toBe(1);
    expect(problemsOf({ country: "DE", iban: `DE99${bban}` })).toEqual([CHECKSUM]);
    expect(problemsOf({ country: "DE", iban: `DE00${bban}` })).toEqual([CHECKSUM]);
    expect(problemsOf({ country: "DE", iban: `DE01${bban}` })).toEqual([CHECKSUM]);
  });

  it("refuses letters as check digits, punctuation, an unknown prefix and another country's IBAN", () => {
    expect(problemsOf({ country: "DE", iban: "DEAB370400440532013000" })).toEqual([CHECKSUM]);
    expect(problemsOf({ country: "DE", iban: "DE89-3704-0044-0532-0130-00" })).toEqual([
      "iban: an IBAN has only letters and digits (spaces between groups are ignored)",
    ]);
    expect(problemsOf({ country: "DE", iban: "XX89370400440532013000" })).toEqual([
      "iban: an IBAN starts with its country code, and XX is not an IBAN country",
    ]);
    expect(problemsOf({ country: "DE", iban: "FR1420041010050500013M02606" })).toEqual([
      "iban: must be an IBAN of DE (starting with DE), this one is of FR",
    ]);
  });

  it("refuses an IBAN for a country without IBANs, and national fields beside an IBAN", () => {
    expect(problemsOf({ country: "US", iban: "DE89370400440532013000" })).toEqual([
      "iban: US accounts have no IBAN: send bank.account_number, bank.routing_number",
    ]);
    expect(problemsOf({ country: "GB", iban: "GB29NWBK60161331926819", sort_code: "601613" })).toEqual([
      "sort_code: not used beside bank.iban: the IBAN already identifies the account",
    ]);
  });

  it("asks IBAN-only countries for their IBAN", () => {
    expect(problemsOf({ country: "DE", account_number: "0532013000" })).toEqual([
      "missing iban: DE accounts are identified by their IBAN",
    ]);
  });
});

describe("national details", () => {
  it("keeps the original US shape working: no country means US", () => {
    expect(detailsOf({ account_number: "000123456789", routing_number: "110000000" })).toEqual({
      country: "US",
      identifier: "account_number",
      accountIdentifier: "000123456789",
      routing: { routing_number: "110000000" },
      bic: null,
      holderName: null,
      holderType: null,
    });
  });

  it("US: checks the ABA routing number's check digit", () => {
    for (const routing of ["110000000", "021000021", "011000015", "026009593"]) {
      expect(abaChecksumValid(routing)).toBe(true);
      expect(problemsOf({ country: "US", account_number: "1234", routing_number: routing })).toEqual([]);
    }
    expect(problemsOf({ country: "US", account_number: "1234", routing_number: "021000022" })).toEqual([
      "routing_number: the ABA check digit does not match: a digit is mistyped",
    ]);
    expect(problemsOf({ country: "US", account_number: "1234", routing_number: "11000000" })).toEqual([
      "routing_number: must be 9 digits",
    ]);
    expect(problemsOf({ country: "US", account_number: "123", routing_number: "110000000" })).toEqual([
      "account_number: must be 4 to 17 digits",
    ]);
    expect(
      problemsOf({ country: "US", account_number: "12345678901234567", routing_number: "110000000" }),
    ).toEqual([]);
    expect(
      problemsOf({ country: "US", account_number: "123456789012345678", routing_number: "110000000" }),
    ).toEqual(["account_number: must be 4 to 17 digits"]);
  });

  it("GB: 8-digit account number and 6-digit sort code, dashes allowed", () => {
    expect(detailsOf({ country: "GB", account_number: "31926819", sort_code: "60-16-13" }).routing).toEqual({
      sort_code: "601613",
    });
    expect(problemsOf({ country: "GB", account_number: "3192681", sort_code: "6016" })).toEqual([
      "account_number: must be 8 digits",
      "sort_code: must be 6 digits",
    ]);
    expect(problemsOf({ country: "GB", account_number: "31926819" })).toEqual([
      "missing sort_code: GB accounts need it: 6 digits",
    ]);
    expect(
      problemsOf({ country: "GB", account_number: "31926819", sort_code: "601613", bsb: "062000" }),
    ).toEqual(["bsb: not used for GB accounts, which take bank.account_number, bank.sort_code"]);
  });

  it("AU: BSB of 6 digits and an account number of 5 to 10", () => {
    expect(detailsOf({ country: "AU", account_number: "12345678", bsb: "062-000" }).routing).toEqual({
      bsb: "062000",
    });
    expect(problemsOf({ country: "AU", account_number: "1234", bsb: "06200" })).toEqual([
      "account_number: must be 5 to 10 digits",
      "bsb: must be 6 digits",
    ]);
  });

  it("IN: IFSC of 4 letters, a zero and 6 letters or digits (any case), account number of 9 to 18 digits", () => {
    expect(
      detailsOf({ country: "IN", account_number: "50100012345678", ifsc: "hdfc0001234" }).routing,
    ).toEqual({
      ifsc: "HDFC0001234",
    });
    expect(problemsOf({ country: "IN", account_number: "50100012345678", ifsc: "HDFC1001234" })).toEqual([
      "ifsc: must be an IFSC: 4 letters, a zero, then 6 letters or digits (e.g. HDFC0001234)",
    ]);
    expect(problemsOf({ country: "IN", account_number: "12345678", ifsc: "HDFC0001234" })).toEqual([
      "account_number: must be 9 to 18 digits",
    ]);
  });

  it("MX: an 18-digit CLABE with its check digit, which is the account (last4 of it)", () => {
    for (const clabe of [
      "032180000118359719",
      "002010077777777771",
      "014027000005555558",
      "646180157000000004",
    ]) {
      expect(clabeChecksumValid(clabe)).toBe(true);
    }
    const details = detailsOf({ country: "MX", clabe: "032180000118359719" });
    expect(details).toMatchObject({
      identifier: "clabe",
      accountIdentifier: "032180000118359719",
      routing: {},
    });
    expect(problemsOf({ country: "MX", clabe: "032180000118359718" })).toEqual([
      "clabe: the CLABE check digit does not match: a digit is mistyped",
    ]);
    expect(problemsOf({ country: "MX", clabe: "03218000011835971" })).toEqual(["clabe: must be 18 digits"]);
    expect(problemsOf({ country: "MX", account_number: "0118359719" })).toEqual([
      "missing clabe: MX accounts need it: 18 digits",
      "account_number: not used for MX accounts, which take bank.clabe",
    ]);
  });

  it("CA: transit (5 digits) and institution (3 digits) numbers, account number of 7 to 12", () => {
    expect(
      detailsOf({
        country: "CA",
        account_number: "1234567",
        transit_number: "12345",
        institution_number: "003",
      }).routing,
    ).toEqual({ transit_number: "12345", institution_number: "003" });
    expect(problemsOf({ country: "CA", account_number: "123456", transit_number: "1234" })).toEqual([
      "account_number: must be 7 to 12 digits",
      "transit_number: must be 5 digits",
      "missing institution_number: CA accounts need it: 3 digits",
    ]);
  });

  it("JP, SG, HK and CN: bank and branch codes of their lengths", () => {
    expect(
      problemsOf({ country: "JP", account_number: "1234567", bank_code: "0005", branch_code: "001" }),
    ).toEqual([]);
    expect(
      problemsOf({ country: "JP", account_number: "123456", bank_code: "005", branch_code: "001" }),
    ).toEqual(["account_number: must be 7 digits", "bank_code: must be 4 digits"]);
    expect(
      problemsOf({ country: "SG", account_number: "1234567890", bank_code: "7171", branch_code: "081" }),
    ).toEqual([]);
    expect(problemsOf({ country: "SG", account_number: "1234567890", bank_code: "7171" })).toEqual([
      "missing branch_code: SG accounts need it: 3 digits",
    ]);
    expect(
      problemsOf({ country: "HK", account_number: "123456789", bank_code: "004", branch_code: "123" }),
    ).toEqual([]);
    expect(
      problemsOf({ country: "HK", account_number: "12345", bank_code: "0004", branch_code: "123" }),
    ).toEqual(["account_number: must be 6 to 12 digits", "bank_code: must be 3 digits"]);
    expect(
      problemsOf({ country: "CN", account_number: "6222021234567890123", bank_code: "102100099996" }),
    ).toEqual([]);
    expect(problemsOf({ country: "CN", account_number: "6222021234567890123", bank_code: "1021" })).toEqual([
      "bank_code: must be 12 digits",
    ]);
  });

  it("knows the national schemes of AU, CA, CN, GB, HK, IN, JP, MX, SG and US", () => {
    expect(Object.keys(NATIONAL_SCHEMES).sort()).toEqual([
      "AU",
      "CA",
      "CN",
      "GB",
      "HK",
      "IN",
      "JP",
      "MX",
      "SG",
      "US",
    ]);
  });

  it("refuses a country it cannot pay to, naming the supported ones", () => {
    const [problem] = problemsOf({ country: "ZZ", account_number: "1234" });
    expect(problem).toMatch(
      /^country: bank accounts in ZZ are not supported; supported countries \(ISO 3166 alpha-2\): AD, AE, AL, /,
    );
  });
});

describe("BIC and holder", () => {
  it("accepts an 8- or 11-character BIC of a bank in the account's country, in any case", () => {
    expect(detailsOf({ country: "DE", iban: "DE89370400440532013000", bic: "deutdeff" }).bic).toBe(
      "DEUTDEFF",
    );
    expect(detailsOf({ country: "DE", iban: "DE89370400440532013000", bic: "DEUTDEFF500" }).bic).toBe(
      "DEUTDEFF500",
    );
  });

  it("refuses a malformed BIC and one of a bank in another country", () => {
    const format =
      "bic: a BIC is 8 or 11 characters: 4 letters (bank), 2 letters (country), 2 letters or digits (location), optionally 3 more (branch)";
    for (const bic of ["DEUTDE", "DEUTDEFF5", "DEU1DEFF", "DEUTDEFF50"]) {
      expect(problemsOf({ country: "DE", iban: "DE89370400440532013000", bic })).toEqual([format]);
    }
    expect(problemsOf({ country: "DE", iban: "DE89370400440532013000", bic: "NWBKGB2L" })).toEqual([
      "bic: this BIC is of a bank in GB, the account is in DE",
    ]);
  });

  it("keeps the holder's name and type", () => {
    expect(
      detailsOf({
        country: "FR",
        iban: "FR1420041010050500013M02606",
        holder_name: "Élise Martin",
        holder_type: "individual",
      }),
    ).toMatchObject({ holderName: "Élise Martin", holderType: "individual" });
  });

  it("reports every problem at once, each on its field", () => {
    expect(
      problemsOf({ country: "GB", account_number: "12", sort_code: "1", bic: "X" }).map(
        (p) => p.split(":")[0],
      ),
    ).toEqual(["account_number", "sort_code", "bic"]);
  });
});
