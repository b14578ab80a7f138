import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/payrail.js";
import { NotFoundError, PaymentError, Payrail, PermissionError } from "../../client/index.js";
import { newMerchant, type TestMerchant } from "../support/fixtures.js";
import { stackContext } from "../support/stack-context.js";

// The typed client and the CLI, used the way an integrating developer and a finance team would,
// against the real local stack.

let merchant: TestMerchant;
let payrail: Payrail;

beforeAll(async () => {
  merchant = await newMerchant("client");
  payrail = new Payrail({
    apiKey: merchant.apiKey,
    baseUrl: stackContext().httpUrl,
    initialRetryDelayMs: 10,
  });
});

function memoryStream() {
  let text = "";
  const write = (chunk: string) => {
    text += chunk;
    return true;
  };
  return { stream: { write, isTTY: false }, text: () => text };
}

describe("typed client against the live API", () => {
  it("funds, pays, replays with its automatic Idempotency-Key and pages through lists", async () => {
    const source = await payrail.accounts.create({ currency: "USD", name: "ops" });
    const destination = await payrail.accounts.create({ currency: "USD" });
    await payrail.topups.create({ account: source.id, amount: 5_000, currency: "USD" });
    const paid = await payrail.payments.create({
      source: source.id,
      destination: destination.id,
      amount: 1_234,
      currency: "USD",
    });
    expect(paid).toMatchObject({ object: "payment", status: "succeeded", amount: 1_234, channel: "ledger" });
    expect(paid.lastResponse.idempotencyKey).toEqual(expect.any(String));
    const again = await payrail.payments.create(
      { source: source.id, destination: destination.id, amount: 1_234, currency: "USD" },
      { idempotencyKey: paid.lastResponse.idempotencyKey },
    );
    expect(again.id).toBe(paid.id);
    expect(again.lastResponse.idempotentReplayed).toBe(true);
    expect((await payrail.accounts.retrieve(source.id)).balance).toBe(5_000 - 1_234);

    for (let i = 0; i < 3; i++) {
      await payrail.payments.create({
        source: source.id,
        destination: destination.id,
        amount: 1,
        currency: "USD",
      });
    }
    const seen: string[] = [];
    for await (const payment of payrail.payments.list({ limit: 2 })) seen.push(payment.id);
    expect(seen).toHaveLength(4);
    expect(seen[3]).toBe(paid.id);
  });

  it("raises typed errors with the API's fields", async () => {
    const source = await payrail.accounts.create({ currency: "USD" });
    const destination = await payrail.accounts.create({ currency: "USD" });
    const declined = await payrail.payments
      .create({ source: source.id, destination: destination.id, amount: 10, currency: "USD" })
      .catch((error: unknown) => error);
    expect(declined).toBeInstanceOf(PaymentError);
    expect((declined as PaymentError).code).toBe("insufficient_funds");
    expect((declined as PaymentError).payment?.status).toBe("failed");
    const missing = await payrail.payments
      .retrieve("pay_01KAAAAAAAAAAAAAAAAAAAAAAA")
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).status).toBe(404);
  });
});

describe("maker-checker with the typed client and the CLI", () => {
  it("submits a payroll that requires approval and another key approves it with `payrail batch approve`", async () => {
    const owner = await newMerchant("cli-approvals");
    const url = stackContext().httpUrl;
    const admin = new Payrail({ apiKey: owner.apiKey, baseUrl: url, initialRetryDelayMs: 10 });
    const policy = await admin.approvalPolicy.update({ batch_items_at_least: 2 });
    expect(policy).toMatchObject({ batch_items_at_least: 2, batch_amount_at_least: {} });
    const payerKey = await admin.apiKeys.create({ role: "payer", name: "Payroll bot" });
    const approverKey = await admin.apiKeys.create({ role: "approver", name: "Finance" });
    expect((await admin.apiKeys.list()).data.map((key) => key.role)).toEqual(["admin", "payer", "approver"]);

    const source = await admin.accounts.create({ currency: "USD" });
    await admin.topups.create({ account: source.id, amount: 10_000, currency: "USD" });
    const alice = await admin.accounts.create({ currency: "USD" });
    const dir = mkdtempSync(join(tmpdir(), "payrail-cli-"));
    const file = join(dir, "payroll.csv");
    writeFileSync(
      file,
      ["id,destination,amount", `emp-1,${alice.id},2500`, `emp-2,${alice.id},1500`].join("\n"),
    );
    const cli = async (key: string, ...argv: string[]) => {
      const out = memoryStream();
      const err = memoryStream();
      const code = await main(argv, {
        env: { PAYRAIL_API_KEY: key, PAYRAIL_URL: url },
        stdout: out.stream,
        stderr: err.stream,
        pollIntervalMs: 200,
        initialRetryDelayMs: 1,
      });
      return { code, out: out.text(), err: err.text() };
    };
    // The submitter does not wait for a batch only a person can move.
    const submitted = await cli(payerKey.secret as string, "batch", "submit", file, "--source", source.id);
    expect(submitted.code, submitted.err).toBe(0);
    const batchId = /bat_[0-9A-Z]{26}/.exec(submitted.out)?.[0] as string;
    expect(submitted.out).toBe(`${batchId}\trequires_approval\n`);
    expect(submitted.err).toContain(`payrail batch approve ${batchId}`);
    expect((await admin.accounts.retrieve(source.id)).balance).toBe(10_000);

    // The payer cannot approve its own payroll: the API's 403, said by the CLI, exit 1.
    const self = await cli(payerKey.secret as string, "batch", "approve", batchId);
    expect(self.code).toBe(1);
    expect(self.err).toContain("permission_denied");
    const payer = new Payrail({ apiKey: payerKey.secret as string, baseUrl: url, maxRetries: 0 });
    const refused = await payer.batches.approve(batchId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PermissionError);
    expect((refused as PermissionError).code).toBe("permission_denied");

    const approved = await cli(approverKey.secret as string, "batch", "approve", batchId);
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toBe(`${batchId}\tqueued\tapproved by Finance\n`);
    const again = await cli(approverKey.secret as string, "batch", "reject", batchId, "--reason", "late");
    expect(again.code).toBe(1);
    expect(again.err).toContain("batch_not_awaiting_approval");
    await expect
      .poll(async () => (await admin.batches.retrieve(batchId)).status, { timeout: 60_000, interval: 250 })
      .toBe("completed");
    expect((await admin.accounts.retrieve(source.id)).balance).toBe(6_000);

    // A second payroll, rejected through the CLI with a reason.
    writeFileSync(
      file,
      ["id,destination,amount", `emp-3,${alice.id},100`, `emp-4,${alice.id},100`].join("\n"),
    );
    const second = await cli(payerKey.secret as string, "batch", "submit", file, "--source", source.id);
    const secondId = /bat_[0-9A-Z]{26}/.exec(second.out)?.[0] as string;
    const rejected = await cli(
      approverKey.secret as string,
      "batch",
      "reject",
      secondId,
      "--reason",
      "duplicate run",
    );
    expect(rejected.code, rejected.err).toBe(0);
    expect(rejected.out).toBe(`${secondId}\tcanceled\trejected by Finance\n`);
    expect((await admin.batches.retrieve(secondId)).approval).toMatchObject({
      status: "rejected",
      reason: "duplicate run",
      decided_by: { api_key: approverKey.id, name: "Finance" },
    });
  });
});

describe("CLI against the live API", () => {
  it("submits a CSV payroll, waits for completion and writes the reconciliation report", async () => {
    const source = await payrail.accounts.create({ currency: "USD" });
    await payrail.topups.create({ account: source.id, amount: 100_000, currency: "USD" });
    const alice = await payrail.accounts.create({ currency: "USD" });
    const bob = await payrail.accounts.create({ currency: "USD" });
    const dir = mkdtempSync(join(tmpdir(), "payrail-cli-"));
    const file = join(dir, "payroll.csv");
    writeFileSync(
      file,
      [
        "id,destination,amount,description",
        `emp-1,${alice.id},25000,November`,
        `emp-2,${bob.id},31000,November`,
        "emp-3,acct_01KAAAAAAAAAAAAAAAAAAAAAAA,100,Nobody",
      ].join("\n"),
    );
    const env = { PAYRAIL_API_KEY: merchant.apiKey, PAYRAIL_URL: stackContext().httpUrl };
    const out = memoryStream();
    const err = memoryStream();
    const code = await main(["batch", "submit", file, "--source", source.id, "--currency", "USD"], {
      env,
      stdout: out.stream,
      stderr: err.stream,
      pollIntervalMs: 200,
    });
    // Progress goes to stderr, so stdout stays machine-readable.
    expect(err.text()).toContain("payroll.csv: 3 items, USD 561.00, 1 batch");
    expect(err.text()).toMatch(/completed: 3\/3 items/);
    expect(code).toBe(3); // some items failed: the unknown destination
    const batchId = /bat_[0-9A-Z]{26}/.exec(out.text() + err.text())?.[0];
    expect(batchId).toBeDefined();
    const batch = await payrail.batches.retrieve(batchId!);
    expect(batch).toMatchObject({
      status: "completed",
      counts: { total: 3, succeeded: 2, failed: 1, pending: 0, returned: 0 },
    });
    expect((await payrail.accounts.retrieve(source.id)).balance).toBe(100_000 - 56_000);

    const report = join(dir, "results.csv");
    const reportCode = await main(["batch", "report", batchId!, "--out", report], {
      env,
      stdout: memoryStream().stream,
      stderr: memoryStream().stream,
    });
    expect(reportCode).toBe(0);
    const lines = readFileSync(report, "utf8").trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 5).join(","))).toEqual([
      `emp-1,${alice.id},25000,succeeded,`,
      `emp-2,${bob.id},31000,succeeded,`,
      "emp-3,acct_01KAAAAAAAAAAAAAAAAAAAAAAA,100,failed,account_not_found",
    ]);
  });
  it("submits a pain.001 file paying an IBAN in EUR, a JPY wallet and a USD wallet from one USD source", async () => {
    const source = await payrail.accounts.create({ currency: "USD" });
    await payrail.topups.create({ account: source.id, amount: 10_000_000, currency: "USD" });
    const yen = await payrail.accounts.create({ currency: "JPY" });
    const dollars = await payrail.accounts.create({ currency: "USD" });
    const dir = mkdtempSync(join(tmpdir(), "payrail-cli-"));
    const file = join(dir, "intl.xml");
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr><MsgId>INTL-CLI</MsgId><NbOfTxs>3</NbOfTxs></GrpHdr>
    <PmtInf>
      <DbtrAcct><Id><Othr><Id>${source.id}</Id></Othr></Id></DbtrAcct>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>de-1</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">1200.50</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>
        <Cdtr><Nm>Jonas Becker</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>DE89 3704 0044 0532 0130 00</IBAN></Id></CdtrAcct>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>jp-1</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="JPY">1500</InstdAmt></Amt>
        <CdtrAcct><Id><Othr><Id>${yen.id}</Id></Othr></Id></CdtrAcct>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>us-1</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="USD">1.00</InstdAmt></Amt>
        <CdtrAcct><Id><Othr><Id>${dollars.id}</Id></Othr></Id></CdtrAcct>
      </CdtTrfTxInf>
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
`,
    );
    const env = { PAYRAIL_API_KEY: merchant.apiKey, PAYRAIL_URL: stackContext().httpUrl };
    const out = memoryStream();
    const err = memoryStream();
    const code = await main(["batch", "submit", file], {
      env,
      stdout: out.stream,
      stderr: err.stream,
      pollIntervalMs: 200,
    });
    expect(err.text()).toContain("intl.xml: 3 items, 1 to IBANs");
    expect(code, `${err.text()}${out.text()}`).toBe(0);
    const batchId = /bat_[0-9A-Z]{26}/.exec(out.text() + err.text())?.[0] as string;
    const batch = await payrail.batches.retrieve(batchId);
    expect(batch).toMatchObject({
      status: "completed",
      source: source.id,
      currency: "USD",
      counts: { total: 3, succeeded: 3, failed: 0 },
    });
    const byCurrency = batch.amounts_by_currency as Record<string, { total: number; succeeded: number }>;
    expect(byCurrency.EUR).toMatchObject({ total: 120_050, succeeded: 120_050 });
    expect(byCurrency.JPY).toMatchObject({ total: 1_500, succeeded: 1_500 });
    expect(byCurrency.USD).toMatchObject({ total: 100, succeeded: 100 });
    // The IBAN payee got a EUR bank account of its own, showing only the last four digits.
    const items: Array<{ id: string; destination: string }> = [];
    for await (const item of payrail.batches.listItems(batchId)) items.push(item);
    const german = items.find((item) => item.id === "de-1")?.destination as string;
    const account = await payrail.accounts.retrieve(german);
    expect(account).toMatchObject({ type: "bank", currency: "EUR", balance: 120_050 });
    expect(JSON.stringify(account)).not.toContain("0532013000");
    expect((await payrail.accounts.retrieve(yen.id)).balance).toBe(1_500);
    expect((await payrail.accounts.retrieve(dollars.id)).balance).toBe(100);
    // The source paid every item's cost at the locked rates: its whole debit is the batch's total.
    expect((await payrail.accounts.retrieve(source.id)).balance).toBe(10_000_000 - batch.amounts.total);
  });
});
