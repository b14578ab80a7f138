import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/payrail.js";
import { ibanCheckDigits } from "../../lib/domain/bank-details/index.js";
import { newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("bank-details");
});

/** A valid German IBAN whose account number ends in `suffix` (the sandbox rail's magic endings). */
function germanIban(suffix: string): string {
  const bban = `37040044053201${suffix}`;
  return `DE${ibanCheckDigits("DE", bban)}${bban}`;
}

describe("international bank details", () => {
  it("opens an account from an IBAN and answers only its last four characters", async () => {
    const iban = germanIban("3000");
    expect(iban).toBe("DE89370400440532013000");
    const created = await merchant.http.post("/v1/accounts", {
      currency: "EUR",
      type: "bank",
      bank: {
        country: "DE",
        iban: "DE89 3704 0044 0532 0130 00",
        bic: "cobadeffxxx",
        holder_name: "Jonas Becker",
        holder_type: "individual",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.bank).toEqual({
      country: "DE",
      identifier: "iban",
      last4: "3000",
      bic: "COBADEFFXXX",
      holder_name: "Jonas Becker",
      holder_type: "individual",
    });
    expect(created.text).not.toContain("0532013000");
    const read = await merchant.http.get(`/v1/accounts/${created.body.id}`);
    expect(read.body).toEqual(created.body);
    expect(read.text).not.toContain("0532013000");
  });

  it("opens accounts from national details and answers their routing fields", async () => {
    const gb = await merchant.http.post("/v1/accounts", {
      currency: "GBP",
      type: "bank",
      bank: { country: "GB", account_number: "31926819", sort_code: "60-16-13", holder_type: "company" },
    });
    expect(gb.status).toBe(201);
    expect(gb.body.bank).toEqual({
      country: "GB",
      identifier: "account_number",
      last4: "6819",
      sort_code: "601613",
      bic: null,
      holder_name: null,
      holder_type: "company",
    });
    const mx = await merchant.http.post("/v1/accounts", {
      currency: "USD",
      type: "bank",
      bank: { country: "MX", clabe: "032180000118359719" },
    });
    expect(mx.status).toBe(201);
    expect(mx.body.bank).toMatchObject({ country: "MX", identifier: "clabe", last4: "9719" });
    expect(mx.text).not.toContain("032180000118359719");
  });

  it.each([
    [
      { country: "DE", iban: "DE89370400440532013001" },
      "bank.iban",
      "parameter_invalid",
      "Invalid bank.iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
    ],
    [
      { country: "DE", iban: "DE8937040044053201300" },
      "bank.iban",
      "parameter_invalid",
      "Invalid bank.iban: a DE IBAN has 22 characters (without spaces), this one has 21",
    ],
    [
      { country: "FR", iban: "DE89370400440532013000" },
      "bank.iban",
      "parameter_invalid",
      "Invalid bank.iban: must be an IBAN of FR (starting with FR), this one is of DE",
    ],
    [
      { country: "DE", account_number: "0532013000" },
      "bank.iban",
      "parameter_missing",
      "Missing required parameter: bank.iban: DE accounts are identified by their IBAN",
    ],
    [
      { country: "GB", account_number: "31926819" },
      "bank.sort_code",
      "parameter_missing",
      "Missing required parameter: bank.sort_code: GB accounts need it: 6 digits",
    ],
    [
      { country: "US", account_number: "000123456789", routing_number: "110000001" },
      "bank.routing_number",
      "parameter_invalid",
      "Invalid bank.routing_number: the ABA check digit does not match: a digit is mistyped",
    ],
    [
      { country: "DE", iban: "DE89370400440532013000", bic: "NWBKGB2L" },
      "bank.bic",
      "parameter_invalid",
      "Invalid bank.bic: this BIC is of a bank in GB, the account is in DE",
    ],
  ])("refuses %j with 400 on %s, and writes nothing", async (bank, param, code, message) => {
    const fresh = await newMerchant("bank-details-refused");
    const key = `bank-${param}-${code}`;
    const answer = await fresh.http.post(
      "/v1/accounts",
      { currency: "EUR", type: "bank", bank },
      { headers: { "idempotency-key": key } },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ type: "invalid_request_error", code, param, message });
    expect(answer.body.error.errors).toEqual([{ param, code, message }]);
    // Nothing written: no account, and the Idempotency-Key is still free for a corrected request.
    expect((await fresh.http.get("/v1/accounts")).body.data).toEqual([]);
    const corrected = await fresh.http.post(
      "/v1/accounts",
      { currency: "EUR", type: "bank", bank: { iban: "DE89370400440532013000" } },
      { headers: { "idempotency-key": key } },
    );
    expect(corrected.status).toBe(201);
  });

  it("never echoes a refused IBAN in the error", async () => {
    const answer = await merchant.http.post("/v1/accounts", {
      currency: "EUR",
      type: "bank",
      bank: { iban: "DE89370400440532013001", account_number: "0532013001" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors.map((e: { param: string }) => e.param)).toEqual([
      "bank.iban",
      "bank.account_number",
    ]);
    expect(answer.text).not.toContain("0532013001");
  });

  it("pays out to IBAN accounts on the sandbox rail, whose magic endings still decide", async () => {
    const wallet = await openWallet(merchant, "EUR", 10_000);
    const open = async (iban: string) =>
      (await merchant.http.post("/v1/accounts", { currency: "EUR", type: "bank", bank: { iban } })).body
        .id as string;
    const accepted = await merchant.http.post("/v1/payments", {
      source: wallet,
      destination: await open(germanIban("0001")),
      amount: 1500,
      currency: "EUR",
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ status: "succeeded", channel: "bank", amount: 1500 });
    const declined = await merchant.http.post("/v1/payments", {
      source: wallet,
      destination: await open(germanIban("0002")),
      amount: 700,
      currency: "EUR",
    });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({
      code: "channel_declined",
      payment: { status: "failed", channel: "bank", failure_code: "channel_declined" },
    });
    expect((await merchant.http.get(`/v1/accounts/${wallet}`)).body.balance).toBe(8500);
  });

  it("never logs a full IBAN, accepted or refused", async () => {
    const accepted = germanIban("7731");
    const refused = `${accepted.slice(0, -1)}2`;
    await merchant.http.post("/v1/accounts", { currency: "EUR", type: "bank", bank: { iban: accepted } });
    await merchant.http.post("/v1/accounts", { currency: "EUR", type: "bank", bank: { iban: refused } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the log stream flush
    const logs = readFileSync(stackContext().logFile, "utf8");
    expect(logs).toContain(merchant.merchantId);
    expect(logs).not.toContain(accepted.slice(4));
    expect(logs).not.toContain(refused.slice(4));
  });
});

describe("the CLI with IBANs", () => {
  it("opens a bank account per IBAN of a CSV once, and pays them in a batch", async () => {
    const payer = await newMerchant("bank-details-cli");
    const wallet = await openWallet(payer, "EUR", 100_000);
    const dir = mkdtempSync(join(tmpdir(), "payrail-iban-"));
    const file = join(dir, "suppliers.csv");
    writeFileSync(
      file,
      [
        "id,destination,amount,holder_name,bic",
        `s-1,${germanIban("0001")
          .replace(/(.{4})/g, "$1 ")
          .trim()},25000,Jonas Becker,COBADEFFXXX`,
        `s-2,${germanIban("0002")},5000,Mia Wolf,`,
        `s-3,${germanIban("0001")},1000,Jonas Becker,COBADEFFXXX`,
      ].join("\n"),
    );
    const submit = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(["batch", "submit", file, "--source", wallet], {
        env: { PAYRAIL_API_KEY: payer.apiKey, PAYRAIL_URL: stackContext().httpUrl },
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => err.push(text), isTTY: false },
        pollIntervalMs: 200,
      });
      return { code, out: out.join(""), err: err.join("") };
    };
    const first = await submit();
    expect(first.err).toContain("suppliers.csv: 3 items, 3 to IBANs, EUR 310.00, 1 batch");
    expect(first.code).toBe(3); // the IBAN ending in 0002 is declined by the sandbox rail
    const banks = (await payer.http.get("/v1/accounts?limit=100")).body.data.filter(
      (a: { type: string }) => a.type === "bank",
    );
    // s-1 and s-3 are one payee: one account.
    expect(
      banks
        .map((a: { bank: unknown }) => a.bank)
        .sort((a: any, b: any) => a.holder_name.localeCompare(b.holder_name)),
    ).toEqual([
      {
        country: "DE",
        identifier: "iban",
        last4: "0001",
        bic: "COBADEFFXXX",
        holder_name: "Jonas Becker",
        holder_type: null,
      },
      {
        country: "DE",
        identifier: "iban",
        last4: "0002",
        bic: null,
        holder_name: "Mia Wolf",
        holder_type: null,
      },
    ]);
    const batchId = /bat_[0-9A-Z]{26}/.exec(first.out)?.[0];
    const batch = (await payer.http.get(`/v1/batches/${batchId}`)).body;
    expect(batch).toMatchObject({ status: "completed", counts: { succeeded: 2, failed: 1 } });
    expect((await payer.http.get(`/v1/accounts/${wallet}`)).body.balance).toBe(100_000 - 26_000);

    // The same file again: the accounts and the batch replay, nothing new is opened or paid.
    const again = await submit();
    expect(again.err).toContain("already submitted");
    const after = (await payer.http.get("/v1/accounts?limit=100")).body.data;
    expect(after.filter((a: { type: string }) => a.type === "bank")).toHaveLength(2);
    expect((await payer.http.get(`/v1/accounts/${wallet}`)).body.balance).toBe(100_000 - 26_000);
  });
});
