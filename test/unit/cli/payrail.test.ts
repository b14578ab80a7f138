import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../../cli/payrail.js";
import { fakeFetch, type ScriptedAnswer } from "../client/fake-fetch.js";

const SOURCE = "acct_01JD8X3V9Q0000000000000099";
const BATCH_ID = "bat_01JD8X3V9Q0000000000000001";
const acct = (n: number) => `acct_01JD8X3V9Q${String(n).padStart(16, "0")}`;

function batch(status: string, counts: { total: number; succeeded: number; failed: number }) {
  return {
    id: BATCH_ID,
    object: "batch",
    status,
    source: SOURCE,
    currency: "USD",
    scheduled_at: null,
    description: null,
    metadata: {},
    counts: { ...counts, pending: counts.total - counts.succeeded - counts.failed },
    amounts: { total: 430149, succeeded: counts.succeeded === 3 ? 430149 : 0, failed: 0 },
    failure_code: null,
    created_at: 1,
    completed_at: null,
  };
}

function run(argv: string[], script: (ScriptedAnswer | Error)[], files: Record<string, string> = {}) {
  const fake = fakeFetch(script);
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const done = main(argv, {
    env: { PAYRAIL_API_KEY: "sk_test_abc", PAYRAIL_URL: "http://127.0.0.1:3999" },
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    fetch: fake.fetch,
    readFile: async (path) =>
      path in files
        ? new TextEncoder().encode(files[path])
        : readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)),
    writeFile: async (path, data) => {
      written[path] = data;
    },
    pollIntervalMs: 1,
    initialRetryDelayMs: 1,
  });
  return done.then((code) => ({
    code,
    out: out.join(""),
    err: err.join(""),
    requests: fake.requests,
    written,
  }));
}

describe("payrail batch submit", () => {
  it("submits nothing when the file has a bad line", async () => {
    const result = await run(
      ["batch", "submit", "payroll-bad.csv", "--source", SOURCE, "--currency", "USD"],
      [],
    );
    expect(result.code).toBe(1);
    expect(result.requests).toEqual([]);
    expect(result.err).toContain("payroll-bad.csv:3: amount must be a positive integer\n");
    expect(result.err).toContain("payroll-bad.csv: refused, nothing was submitted\n");
  });

  it("submits a file with a key derived from its hash, then follows the batch to completion", async () => {
    const sha = createHash("sha256")
      .update(readFileSync(new URL("../../fixtures/payroll.csv", import.meta.url)))
      .digest("hex");
    const result = await run(
      [
        "batch",
        "submit",
        "payroll.csv",
        "--source",
        SOURCE,
        "--currency",
        "USD",
        "--at",
        "2027-01-01T09:00:00Z",
      ],
      [
        { status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }) },
        { status: 200, body: batch("processing", { total: 3, succeeded: 1, failed: 0 }) },
        { status: 200, body: batch("processing", { total: 3, succeeded: 1, failed: 0 }) },
        { status: 200, body: batch("completed", { total: 3, succeeded: 3, failed: 0 }) },
      ],
    );
    expect(result.code).toBe(0);
    const [create, ...polls] = result.requests;
    expect(create?.headers["idempotency-key"]).toBe(`payrail-cli-${sha}-1-of-1`);
    expect(create?.body).toEqual({
      source: SOURCE,
      currency: "USD",
      scheduled_at: "2027-01-01T09:00:00Z",
      metadata: { part: "1/1", file_sha256: sha },
      items: [
        {
          id: "emp-001",
          destination: "acct_01JD8X3V9Q0000000000000001",
          amount: 250000,
          description: "March salary",
        },
        {
          id: "emp-002",
          destination: "acct_01JD8X3V9Q0000000000000002",
          amount: 180050,
          description: "March salary, bonus",
        },
        { id: "emp-003", destination: "acct_01JD8X3V9Q0000000000000003", amount: 99 },
      ],
    });
    expect(polls.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(
      Array(3).fill(`GET /v1/batches/${BATCH_ID}`),
    );
    expect(result.out).toBe(`${BATCH_ID}\tcompleted\t3 succeeded (USD 4,301.49)\t0 failed\n`);
    // Not a terminal: one line per change of status or quarter, not one per poll.
    expect(result.err).toBe(
      [
        "payroll.csv: 3 items, USD 4,301.49, 1 batch",
        `${BATCH_ID} queued (3 items, part 1/1)`,
        `${BATCH_ID} queued: 0/3 items`,
        `${BATCH_ID} processing: 1/3 items`,
        `${BATCH_ID} completed: 3/3 items`,
        "",
      ].join("\n"),
    );
  });

  it("splits a file over 10,000 items into batches with stable per-part keys", async () => {
    const rows = Array.from({ length: 25_001 }, (_, i) => `row-${i},${acct(i + 1)},${i + 1}`);
    const csv = `id,destination,amount\n${rows.join("\n")}\n`;
    const answer = () => ({ status: 202, body: batch("scheduled", { total: 1, succeeded: 0, failed: 0 }) });
    const argv = ["batch", "submit", "big.csv", "--source", SOURCE, "--currency", "USD", "--no-wait"];
    const first = await run(argv, [answer(), answer(), answer()], { "big.csv": csv });
    const again = await run(argv, [answer(), answer(), answer()], { "big.csv": csv });
    expect(first.code).toBe(0);
    const sha = createHash("sha256").update(csv).digest("hex");
    const keys = first.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toEqual([1, 2, 3].map((n) => `payrail-cli-${sha}-${n}-of-3`));
    expect(again.requests.map((r) => r.headers["idempotency-key"])).toEqual(keys);
    const sizes = first.requests.map((r) => (r.body as { items: { id: string }[] }).items);
    expect(sizes.map((items) => items.length)).toEqual([10_000, 10_000, 5_001]);
    expect(sizes.map((items) => [items[0]?.id, items.at(-1)?.id])).toEqual([
      ["row-0", "row-9999"],
      ["row-10000", "row-19999"],
      ["row-20000", "row-25000"],
    ]);
  }, 30_000); // parses 25,001 rows: seconds on a busy 2-core machine, past the 5 s default

  it("names file lines for the items the API refused", async () => {
    const result = await run(
      ["batch", "submit", "payroll.csv", "--source", SOURCE, "--currency", "USD"],
      [
        {
          status: 400,
          body: {
            error: {
              type: "invalid_request_error",
              code: "same_account",
              message: "1 invalid parameter",
              param: "items[2].destination",
              request_id: "req_1",
              errors: [
                {
                  param: "items[2].destination",
                  code: "same_account",
                  message: "The destination must differ.",
                },
              ],
            },
          },
        },
      ],
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain("payroll.csv:4: same_account: The destination must differ.\n");
  });

  it("explains a re-run of the same file with other options", async () => {
    const result = await run(
      ["batch", "submit", "payroll.csv", "--source", SOURCE, "--currency", "USD"],
      [
        {
          status: 422,
          body: {
            error: {
              type: "idempotency_error",
              code: "idempotency_key_reused",
              message: "reused",
              request_id: "req_7",
            },
          },
        },
      ],
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      "error: 422 idempotency_key_reused: reused (this file was already submitted with other options: --source, --currency, --at or --description) [req_7]\n",
    );
  });
});

describe("payrail batch submit: currency and failed replays", () => {
  const failed = () => ({
    ...batch("failed", { total: 3, succeeded: 0, failed: 0 }),
    failure_code: "insufficient_funds",
  });
  const replayed = { "idempotent-replayed": "true" };
  const argv = ["batch", "submit", "payroll.csv", "--source", SOURCE];

  it("takes the source account's currency when neither --currency nor the file names one", async () => {
    const result = await run(
      [...argv, "--no-wait"],
      [
        { status: 200, body: { id: SOURCE, object: "account", currency: "EUR" } },
        { status: 202, body: { ...batch("queued", { total: 3, succeeded: 0, failed: 0 }), currency: "EUR" } },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /v1/accounts/${SOURCE}`,
      "POST /v1/batches",
    ]);
    expect(result.requests[1]?.body).toMatchObject({ currency: "EUR" });
    expect(result.err).toContain("payroll.csv: 3 items, EUR 4,301.49, 1 batch\n");
  });

  it("says a replayed batch ended failed, submits nothing and offers --resubmit", async () => {
    const result = await run(
      [...argv, "--currency", "USD"],
      [
        { status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }), headers: replayed },
        { status: 200, body: failed() },
      ],
    );
    expect(result.code).toBe(2);
    expect(result.requests).toHaveLength(2);
    expect(result.err).toContain(
      `${BATCH_ID} was submitted from this file before and ended failed (insufficient_funds); nothing was submitted now. Once the cause is fixed, run again with --resubmit to submit it as a new batch.\n`,
    );
    expect(result.out).toBe(`${BATCH_ID}\tfailed\t0 succeeded (USD 0.00)\t0 failed (insufficient_funds)\n`);
  });

  it("--resubmit submits a failed batch again under a key derived from it, once", async () => {
    const sha = createHash("sha256")
      .update(readFileSync(new URL("../../fixtures/payroll.csv", import.meta.url)))
      .digest("hex");
    const second = "bat_01JD8X3V9Q0000000000000002";
    const completed = { ...batch("completed", { total: 3, succeeded: 3, failed: 0 }), id: second };
    const result = await run(
      [...argv, "--currency", "USD", "--resubmit"],
      [
        { status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }), headers: replayed },
        { status: 200, body: failed() },
        { status: 202, body: { ...batch("queued", { total: 3, succeeded: 0, failed: 0 }), id: second } },
        { status: 200, body: completed },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      `payrail-cli-${sha}-1-of-1`,
      undefined,
      `payrail-cli-${sha}-1-of-1-after-${BATCH_ID}`,
      undefined,
    ]);
    expect(result.err).toContain(
      `${BATCH_ID} was submitted from this file before and ended failed (insufficient_funds); resubmitted as ${second}\n`,
    );
    expect(result.out).toBe(`${second}\tcompleted\t3 succeeded (USD 4,301.49)\t0 failed\n`);

    // The same resubmission again replays the second batch instead of creating a third.
    const again = await run(
      [...argv, "--currency", "USD", "--resubmit"],
      [
        { status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }), headers: replayed },
        { status: 200, body: failed() },
        {
          status: 202,
          body: { ...batch("queued", { total: 3, succeeded: 0, failed: 0 }), id: second },
          headers: replayed,
        },
        { status: 200, body: completed },
      ],
    );
    expect(again.code).toBe(0);
    expect(again.err).toContain(`ended failed (insufficient_funds); already resubmitted as ${second}\n`);
    expect(again.err).toContain(`${second} completed (3 items, part 1/1) already submitted\n`);
  });
});

describe("payrail batch report", () => {
  it("pages every item into a reconciliation CSV", async () => {
    const item = (id: string, status: string, payment: string | null, failure: string | null) => ({
      id,
      object: "batch_item",
      batch: BATCH_ID,
      payment,
      destination: acct(1),
      amount: 1250,
      status,
      failure_code: failure,
      processed_at: 1,
    });
    const list = (data: unknown[], hasMore: boolean) => ({
      status: 200,
      body: { object: "list", url: `/v1/batches/${BATCH_ID}/items`, data, has_more: hasMore },
    });
    const result = await run(
      ["batch", "report", BATCH_ID, "--out", "results.csv"],
      [
        list([item("a,1", "succeeded", "pay_1", null)], true),
        list([item("b-2", "failed", null, "account_not_found")], false),
      ],
    );
    expect(result.code).toBe(0);
    expect(result.written["results.csv"]).toBe(
      [
        "item_id,destination,amount,status,failure_code,payment_id",
        `"a,1",${acct(1)},1250,succeeded,,pay_1`,
        `b-2,${acct(1)},1250,failed,account_not_found,`,
        "",
      ].join("\n"),
    );
    expect(result.requests.map((r) => r.url.search)).toEqual([
      "?limit=100",
      "?limit=100&starting_after=a%2C1",
    ]);
    expect(result.err).toBe("results.csv: 2 items (1 succeeded, 1 failed)\n");
  });
});

describe("payrail batch submit --dry-run", () => {
  it("checks a file without a key and submits nothing", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["batch", "submit", "test/fixtures/pain001.xml", "--dry-run"], {
      env: {},
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      fetch: async () => {
        throw new Error("no request expected");
      },
    });
    expect(code).toBe(0);
    expect(err.join("")).toBe("pain001.xml: 3 items, USD 2,235.56, 1 batch\n");
    expect(out.join("")).toMatch(/^part 1\/1\t3 items\tpayrail-cli-[0-9a-f]{64}-1-of-1\n$/);
  });
});

describe("payrail usage", () => {
  it("prints help and refuses unknown commands and a missing key", async () => {
    expect((await run(["--help"], [])).out).toMatch(/^payrail: submit payment batches/);
    expect((await run(["batch", "frobnicate", "x"], [])).code).toBe(64);
    const noKey = await main(["batch", "report", BATCH_ID], {
      env: {},
      stdout: { write: () => true },
      stderr: { write: () => true },
    });
    expect(noKey).toBe(64);
  });
});

describe("payrail refund", () => {
  const PAYMENT_ID = "pay_01JD8X3V9Q0000000000000001";
  const refund = {
    id: "re_01JD8X3V9Q0000000000000001",
    object: "refund",
    livemode: false,
    payment: PAYMENT_ID,
    amount: 1250,
    currency: "USD",
    status: "succeeded",
    failure_code: null,
    reason: "duplicate",
    metadata: {},
    created_at: 1,
  };

  it("refunds part of a payment with the given key and prints the refund", async () => {
    const result = await run(
      ["refund", PAYMENT_ID, "--amount", "1250", "--reason", "duplicate", "--idempotency-key", "r-42"],
      [{ status: 201, body: refund }],
    );
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${refund.id}\tsucceeded\tUSD 12.50\t${PAYMENT_ID}\n`);
    expect(result.requests).toHaveLength(1);
    expect(result.requests[0]?.url.pathname).toBe("/v1/refunds");
    expect(result.requests[0]?.headers["idempotency-key"]).toBe("r-42");
    expect(result.requests[0]?.body).toEqual({ payment: PAYMENT_ID, amount: 1250, reason: "duplicate" });
  });

  it("reports a declined refund with its code and exits 1", async () => {
    const result = await run(
      ["refund", PAYMENT_ID],
      [
        {
          status: 402,
          body: {
            error: {
              type: "payment_error",
              code: "insufficient_funds",
              message: "The payment's destination wallet no longer holds enough funds for this refund.",
              request_id: "req_1",
              refund: { ...refund, status: "failed", failure_code: "insufficient_funds" },
            },
          },
        },
      ],
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "error: 402 insufficient_funds: The payment's destination wallet no longer holds enough funds for this refund. [req_1]\n",
    );
    expect(result.requests[0]?.body).toEqual({ payment: PAYMENT_ID });
  });

  it("refuses a fractional amount or an unknown reason before calling the API (exit 64)", async () => {
    for (const argv of [
      ["refund", PAYMENT_ID, "--amount", "12.50"],
      ["refund", PAYMENT_ID, "--reason", "because"],
      ["refund"],
    ]) {
      const result = await run(argv, []);
      expect(result.code).toBe(64);
      expect(result.requests).toHaveLength(0);
    }
  });
});

describe("payrail batch submit: IBANs and other currencies", () => {
  it("opens one bank account per IBAN payee, then pays it, with rows in other currencies as such", async () => {
    const bankAccount = (n: number, currency: string) => ({
      id: acct(n),
      object: "account",
      type: "bank",
      currency,
    });
    const result = await run(
      ["batch", "submit", "payroll-iban.csv", "--source", SOURCE, "--no-wait"],
      [
        { status: 200, body: { id: SOURCE, object: "account", currency: "USD" } },
        { status: 201, body: bankAccount(41, "GBP") },
        { status: 201, body: bankAccount(42, "EUR") },
        { status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }) },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /v1/accounts/${SOURCE}`,
      "POST /v1/accounts",
      "POST /v1/accounts",
      "POST /v1/batches",
    ]);
    expect(result.requests[1]?.body).toEqual({
      currency: "GBP",
      type: "bank",
      bank: { iban: "GB29NWBK60161331926819", bic: "NWBKGB2L", holder_name: "Ada Lovelace" },
    });
    expect(result.requests[2]?.body).toEqual({
      currency: "EUR",
      type: "bank",
      bank: { iban: "DE89370400440532013000" },
    });
    // Derived keys: the same file opens the same accounts again (replays), never new ones.
    const keys = [1, 2].map((i) => result.requests[i]?.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^payrail-cli-[0-9a-f]{32}-payee-[0-9a-f]{32}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(result.requests[3]?.body).toMatchObject({
      currency: "USD",
      items: [
        { id: "gb-1", destination: acct(41), amount: 50000, currency: "GBP" },
        { id: "us-1", destination: acct(1), amount: 2500 },
        { id: "de-1", destination: acct(42), amount: 1000, currency: "EUR" },
      ],
    });
    expect(result.err).toContain(
      "payroll-iban.csv: 3 items, 2 to IBANs, USD 25.00 + GBP 500.00 + EUR 10.00, 1 batch\n",
    );
  });

  it("checks IBANs offline in --dry-run and opens nothing", async () => {
    const result = await run(["batch", "submit", "bad.csv", "--currency", "EUR", "--dry-run"], [], {
      "bad.csv": "id,destination,amount\na,DE89370400440532013001,100\n",
    });
    expect(result.code).toBe(1);
    expect(result.requests).toEqual([]);
    expect(result.err).toContain(
      "bad.csv:2: iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
    );
  });
});

describe("payrail --lang", () => {
  it("says its lines in Chinese and asks the API for Chinese messages, codes unchanged", async () => {
    const result = await run(
      ["batch", "submit", "payroll.csv", "--source", SOURCE, "--currency", "USD", "--lang", "zh"],
      [
        {
          status: 402,
          body: {
            error: {
              type: "payment_error",
              code: "insufficient_funds",
              message:
                "付款钱包余额为 100 USD（最小货币单位），而批次总额为 430149：请先充值，再重新提交批次。未保存任何内容。",
              param: "source",
              request_id: "req_9",
            },
          },
        },
      ],
    );
    expect(result.code).toBe(1);
    expect(result.requests[0]?.headers["accept-language"]).toBe("zh-CN");
    expect(result.err).toBe(
      "payroll.csv：3 个条目，USD 4,301.49，1 个批次\n" +
        "错误：402 insufficient_funds: 付款钱包余额为 100 USD（最小货币单位），而批次总额为 430149：请先充值，再重新提交批次。未保存任何内容。 [req_9]\n",
    );
  });

  it("says the bank details problems of a file in Chinese", async () => {
    const result = await run(
      ["batch", "submit", "bad.csv", "--currency", "EUR", "--dry-run", "--lang", "zh-CN"],
      [],
      {
        "bad.csv": "id,destination,amount\na,DE8937040044053201300,100\n",
      },
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "bad.csv:2: iban: DE 的 IBAN 长度为 22 个字符（不含空格），此 IBAN 为 21 个字符\nbad.csv：已拒绝，未提交任何内容\n",
    );
  });

  it("asks the API in English without --lang, and refuses a language it does not speak", async () => {
    const english = await run(
      ["batch", "submit", "payroll.csv", "--source", SOURCE, "--currency", "USD", "--no-wait"],
      [{ status: 202, body: batch("queued", { total: 3, succeeded: 0, failed: 0 }) }],
    );
    expect(english.requests[0]?.headers["accept-language"]).toBe("en");
    expect(english.err).toContain("payroll.csv: 3 items, USD 4,301.49, 1 batch\n");
    const french = await run(["batch", "submit", "payroll.csv", "--lang", "fr"], []);
    expect(french.code).toBe(64);
    expect(french.err).toBe("--lang must be en or zh-CN (zh, zh-Hans)\n\nRun payrail --help for usage.\n");
  });

  it("has every line in both languages", async () => {
    const { CLI_MESSAGES } = await import("../../../cli/messages.js");
    expect(Object.keys(CLI_MESSAGES["zh-CN"]).sort()).toEqual(Object.keys(CLI_MESSAGES.en).sort());
  });
});
