import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BatchFileError } from "../../../cli/batch-file.js";
import { parseBatchCsv } from "../../../cli/parse-csv.js";
import { itemLines, parseBatchJson } from "../../../cli/parse-json.js";
import { parsePain001 } from "../../../cli/parse-pain001.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
const acct = (n: number) => `acct_01JD8X3V9Q00000000000000${String(n).padStart(2, "0")}`;

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof BatchFileError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("CSV batch files", () => {
  it("reads items with their lines, amounts in minor units", () => {
    const file = parseBatchCsv(fixture("payroll.csv"), "payroll.csv", { currency: "usd" });
    expect(file).toEqual({
      currency: "USD",
      lines: [2, 3, 4],
      items: [
        { id: "emp-001", destination: acct(1), amount: 250000, description: "March salary" },
        { id: "emp-002", destination: acct(2), amount: 180050, description: "March salary, bonus" },
        { id: "emp-003", destination: acct(3), amount: 99 },
      ],
    });
  });

  it("takes the currency from a currency column", () => {
    const file = parseBatchCsv(fixture("payroll-currency.csv"), "payroll-currency.csv");
    expect(file.currency).toBe("JPY");
    expect(file.items.map((i) => i.amount)).toEqual([1000, 2000]);
  });

  it("refuses a bad file with every problem at its line", () => {
    expect(
      problemsOf(() => parseBatchCsv(fixture("payroll-bad.csv"), "payroll.csv", { currency: "USD" })),
    ).toEqual([
      "payroll.csv:3: amount must be a positive integer",
      "payroll.csv:5: destination must be an account id (acct_…) or an IBAN",
      "payroll.csv:6: id 'emp-001' is already used on line 2",
      "payroll.csv:7: id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -",
      "payroll.csv:7: amount must be a positive integer",
      "payroll.csv:8: expected 4 fields, found 2",
    ]);
  });

  it("refuses a wrong header and a missing currency", () => {
    expect(
      problemsOf(() => parseBatchCsv(fixture("payroll-header.csv"), "h.csv", { currency: "USD" })),
    ).toEqual([
      "h.csv:1: missing column 'destination'; the header must be id,destination,amount[,description][,currency][,holder_name][,bic]",
      "h.csv:1: unknown column 'dest'; the header must be id,destination,amount[,description][,currency][,holder_name][,bic]",
    ]);
    expect(problemsOf(() => parseBatchCsv(fixture("payroll.csv"), "p.csv"))).toEqual([
      "p.csv:1: no currency: pass --currency or add a currency column",
    ]);
  });

  it("keeps rows in another currency than the batch as cross-currency items", () => {
    const file = parseBatchCsv(fixture("payroll-currency.csv"), "c.csv", { currency: "USD" });
    expect(file).toEqual({
      currency: "USD",
      lines: [2, 3],
      items: [
        { id: "a1", destination: acct(1), amount: 1000, currency: "JPY" },
        { id: "a2", destination: acct(2), amount: 2000, currency: "JPY" },
      ],
    });
    // The source account's currency is the batch's when --currency is not given.
    expect(
      parseBatchCsv(fixture("payroll-currency.csv"), "c.csv", { defaultCurrency: "EUR" }).items[0],
    ).toEqual({
      id: "a1",
      destination: acct(1),
      amount: 1000,
      currency: "JPY",
    });
  });

  it("reads IBAN destinations with their holder and BIC, in the printed form", () => {
    const file = parseBatchCsv(fixture("payroll-iban.csv"), "iban.csv", { defaultCurrency: "USD" });
    expect(file.items).toEqual([
      { id: "gb-1", destination: "", amount: 50000, currency: "GBP" },
      { id: "us-1", destination: acct(1), amount: 2500 },
      { id: "de-1", destination: "", amount: 1000, currency: "EUR" },
    ]);
    expect(file.payees).toEqual(
      new Map([
        [0, { iban: "GB29NWBK60161331926819", currency: "GBP", holderName: "Ada Lovelace", bic: "NWBKGB2L" }],
        [2, { iban: "DE89370400440532013000", currency: "EUR" }],
      ]),
    );
  });

  it("refuses a bad IBAN or BIC at its line, saying what is expected, without repeating it", () => {
    const text = [
      "id,destination,amount,currency,holder_name,bic",
      "a,DE89370400440532013001,100,EUR,,",
      "b,DE8937040044053201300,100,EUR,,",
      "c,DE89370400440532013000,100,EUR,,NWBKGB2L",
    ].join("\n");
    expect(problemsOf(() => parseBatchCsv(text, "bad.csv", { currency: "USD" }))).toEqual([
      "bad.csv:2: iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
      "bad.csv:3: iban: a DE IBAN has 22 characters (without spaces), this one has 21",
      "bad.csv:4: bic: this BIC is of a bank in GB, the account is in DE",
    ]);
  });
});

describe("JSON batch files", () => {
  it("reads {currency, items} with the line each item starts on", () => {
    expect(parseBatchJson(fixture("payouts.json"), "payouts.json")).toEqual({
      currency: "EUR",
      lines: [4, 5],
      items: [
        { id: "po-1", destination: acct(1), amount: 1250 },
        { id: "po-2", destination: acct(2), amount: 999, description: "refund [ticket 7]" },
      ],
    });
  });

  it("reads a bare array with per-item currency", () => {
    const file = parseBatchJson(fixture("payouts-array.json"), "a.json");
    expect([file.currency, file.lines, file.items.map((i) => i.amount)]).toEqual(["USD", [2, 3], [5, 6]]);
  });

  it("refuses string and fractional amounts, unknown fields and repeated ids at their lines", () => {
    expect(
      problemsOf(() => parseBatchJson(fixture("payouts-bad.json"), "payouts.json", { currency: "USD" })),
    ).toEqual([
      "payouts.json:4: amount must be a positive integer",
      "payouts.json:5: unknown field 'memo'",
      "payouts.json:5: amount must be a positive integer",
      "payouts.json:6: id 'po-1' is already used on line 3",
    ]);
  });

  it("reports a syntax error at its line", () => {
    const [first] = problemsOf(() =>
      parseBatchJson(fixture("payouts-broken.json.txt"), "b.json", { currency: "USD" }),
    );
    expect(first).toMatch(/^b\.json:4: not valid JSON: /);
  });

  it("finds item lines past strings holding brackets, braces and escaped quotes", () => {
    const text = '{"note": "[{\\"x\\"]", "items": [\n{"a": "]"},\n\n  {"b": [1, {"c": 2}]}, 3\n]}';
    expect(itemLines(text)).toEqual([2, 4, 4]);
  });
});

describe("pain.001 batch files", () => {
  it("maps EndToEndId, InstdAmt and CdtrAcct/Id/Othr/Id across payment blocks", () => {
    expect(parsePain001(fixture("pain001.xml"), "pain001.xml")).toEqual({
      currency: "USD",
      source: acct(99),
      lines: [19, 26, 36],
      items: [
        { id: "E2E-0001", destination: acct(1), amount: 123456, description: "March salary" },
        { id: "E2E-0002", destination: acct(2), amount: 100000 },
        { id: "E2E-0003", destination: acct(3), amount: 100 },
      ],
    });
  });

  it("converts a three-decimal currency exactly", () => {
    const file = parsePain001(fixture("pain001-currencies.xml"), "bhd.xml");
    expect([file.currency, file.items[0]?.amount]).toEqual(["BHD", 1005]);
  });

  it("refuses bad amounts, a bad IBAN and a wrong NbOfTxs at their lines", () => {
    expect(problemsOf(() => parsePain001(fixture("pain001-bad.xml"), "pain.xml"))).toEqual([
      "pain.xml:6: GrpHdr/NbOfTxs says 4 but the file holds 3 transactions",
      "pain.xml:11: amount '10.001' has more decimals than USD allows (2)",
      "pain.xml:16: amount '1,000.00' is not a decimal number like 1234.56",
      "pain.xml:17: iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
    ]);
  });

  it("reads IBAN creditors (Cdtr/Nm, CdtrAgt BICFI) and items in other currencies, each in its own decimals", () => {
    const file = parsePain001(fixture("pain001-iban.xml"), "intl.xml", { defaultCurrency: "USD" });
    expect(file).toEqual({
      currency: "USD",
      source: acct(99),
      lines: [7, 14, 19],
      items: [
        { id: "de-1", destination: "", amount: 120050, currency: "EUR" },
        { id: "jp-1", destination: acct(2), amount: 1500, currency: "JPY" },
        { id: "us-1", destination: acct(3), amount: 100 },
      ],
      payees: new Map([
        [
          0,
          { iban: "DE89370400440532013000", currency: "EUR", holderName: "Jonas Becker", bic: "COBADEFFXXX" },
        ],
      ]),
    });
    // Without --currency or a source account, the first transaction's currency is the batch's.
    expect(parsePain001(fixture("pain001-iban.xml"), "intl.xml").items.map((i) => i.currency)).toEqual([
      undefined,
      "JPY",
      "USD",
    ]);
  });

  it("refuses XML that is not well-formed at the line of the fault", () => {
    expect(problemsOf(() => parsePain001(fixture("pain001-malformed.xml"), "m.xml"))).toEqual([
      "m.xml:6: not well-formed XML: Expected closing tag 'InstdAmt' (opened in line 6, col 14) instead of closing tag 'Amt'.",
    ]);
  });

  it("refuses a wrong CtrlSum", () => {
    const text = fixture("pain001.xml").replace("<CtrlSum>2235.56</CtrlSum>", "<CtrlSum>2235.55</CtrlSum>");
    expect(problemsOf(() => parsePain001(text, "sum.xml"))).toEqual([
      "sum.xml:8: GrpHdr/CtrlSum says 2235.55 but the amounts add up to a different total",
    ]);
  });
});
