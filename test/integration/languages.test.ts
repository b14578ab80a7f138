import { beforeAll, describe, expect, it } from "vitest";
import { newMerchant, openWallet, type TestMerchant } from "../support/fixtures.js";

let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await newMerchant("languages");
});

const ZH = { "accept-language": "zh-CN" };

/** The same request in English and in Chinese: both answers, for comparing field by field. */
async function inBoth(
  method: "GET" | "POST",
  path: string,
  options: { body?: unknown; apiKey?: string | null } = {},
) {
  const en = await merchant.http.call(method, path, options);
  const zh = await merchant.http.call(method, path, { ...options, headers: ZH });
  return { en, zh };
}

/** Everything but the message and the request id is the same in both languages. */
function expectSameButMessage(en: any, zh: any) {
  const { message: _m1, request_id: _r1, errors: e1, ...restEn } = en.body.error;
  const { message: _m2, request_id: _r2, errors: e2, ...restZh } = zh.body.error;
  expect(restZh).toEqual(restEn);
  expect(zh.status).toBe(en.status);
  expect((e2 ?? []).map((e: any) => [e.param, e.code])).toEqual(
    (e1 ?? []).map((e: any) => [e.param, e.code]),
  );
}

describe("error messages follow Accept-Language", () => {
  it("says a validation error in Chinese with the same code, type and param", async () => {
    const body = { currency: "EUR", type: "bank", bank: { country: "DE", iban: "DE89370400440532013001" } };
    const { en, zh } = await inBoth("POST", "/v1/accounts", { body });
    expect(en.status).toBe(400);
    expect(en.headers.get("content-language")).toBe("en");
    expect(zh.headers.get("content-language")).toBe("zh-CN");
    expect(en.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid",
      param: "bank.iban",
      message:
        "Invalid bank.iban: the IBAN's check digits do not match (ISO 7064 mod 97): a character is mistyped or missing",
    });
    expect(zh.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "parameter_invalid",
      param: "bank.iban",
      message: "参数 bank.iban 无效：IBAN 校验位不匹配（ISO 7064 mod 97）：有字符输错或缺失",
      errors: [
        {
          param: "bank.iban",
          code: "parameter_invalid",
          message: "参数 bank.iban 无效：IBAN 校验位不匹配（ISO 7064 mod 97）：有字符输错或缺失",
        },
      ],
    });
    expectSameButMessage(en, zh);
  });

  it("says how to send JSON in Chinese when the body is form-encoded", async () => {
    const answer = await merchant.http.call("POST", "/v1/accounts", { raw: "currency=USD", headers: ZH });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      type: "invalid_request_error",
      code: "body_not_json",
      message:
        '请求体是表单编码（name=value&…），不是 JSON。payrail 只接受 JSON 请求体：请发送一个 JSON 对象，并带上 Content-Type: application/json，例如 curl … -H "Content-Type: application/json" -d \'{"amount":1050,"currency":"USD"}\'。',
    });
  });

  it("says a 404 in Chinese", async () => {
    const id = "acct_01KAAAAAAAAAAAAAAAAAAAAAAA";
    const { en, zh } = await inBoth("GET", `/v1/accounts/${id}`);
    expect(en.status).toBe(404);
    expect(en.body.error.message).toBe(`No such account: '${id}'`);
    expect(zh.body.error).toMatchObject({
      code: "resource_missing",
      param: "id",
      message: `账户不存在：'${id}'`,
    });
    expectSameButMessage(en, zh);
  });

  it("keeps the values of a domain error in Chinese (currencies, quotes, batch item ids)", async () => {
    const usd = await openWallet(merchant, "USD", 1_000);
    const eur = await openWallet(merchant, "EUR");
    const { en, zh } = await inBoth("POST", "/v1/payments", {
      body: { source: usd, destination: eur, amount: 100, currency: "USD" },
    });
    expect(en.status).toBe(400);
    expect(en.body.error.message).toBe(
      'The destination account holds EUR, not USD. To convert, send "convert": true (the current rate) or a "quote" from POST /v1/fx_quotes.',
    );
    expect(zh.body.error.message).toBe(
      '目标账户的币种是 EUR，不是 USD。如需换汇，请发送 "convert": true（按当前汇率）或来自 POST /v1/fx_quotes 的 "quote"。',
    );
    expectSameButMessage(en, zh);

    const quote = await merchant.http.post("/v1/fx_quotes", {
      source_currency: "USD",
      destination_currency: "EUR",
      source_amount: 500,
    });
    const wrongAmount = await inBoth("POST", "/v1/payments", {
      body: { source: usd, destination: eur, amount: 400, currency: "USD", quote: quote.body.id },
    });
    expect(wrongAmount.en.body.error.message).toBe("The quote is for 500 USD (minor units), not 400.");
    expect(wrongAmount.zh.body.error.message).toBe("该报价的金额是 500 USD（最小货币单位），不是 400。");
    expectSameButMessage(wrongAmount.en, wrongAmount.zh);

    const batch = await inBoth("POST", "/v1/batches", {
      body: {
        source: usd,
        currency: "USD",
        items: [
          { id: "a", destination: eur, amount: 1 },
          { id: "a", destination: eur, amount: 1 },
        ],
      },
    });
    expect(batch.en.body.error.errors[0].message).toBe("Item id 'a' is already used by items[0].");
    expect(batch.zh.body.error.errors[0].message).toBe("条目 id 'a' 已被 items[0] 使用。");
    // One invalid parameter: the error's message is that parameter's, in each language.
    expect(batch.en.body.error.message).toBe("Item id 'a' is already used by items[0].");
    expect(batch.zh.body.error.message).toBe("条目 id 'a' 已被 items[0] 使用。");
  });

  it("says a 401 in Chinese, with the key still masked", async () => {
    const wrong = `${merchant.apiKey.slice(0, -4)}wxyz`;
    const { en, zh } = await inBoth("GET", "/v1/accounts", { apiKey: wrong });
    expect(en.status).toBe(401);
    expect(en.body.error.message).toBe("Invalid API key provided: sk_test_****wxyz");
    expect(zh.body.error).toMatchObject({
      type: "authentication_error",
      code: "api_key_invalid",
      message: "提供的 API 密钥无效：sk_test_****wxyz",
    });
    expect(zh.text).not.toContain(merchant.apiKey.slice(8, -4));
    expectSameButMessage(en, zh);
    const missing = await merchant.http.get("/v1/accounts", { apiKey: null, headers: ZH });
    expect(missing.body.error.message).toBe(
      "未提供 API 密钥：请发送 `Authorization: Bearer sk_test_...`（或使用 HTTP Basic，以密钥作为用户名：`curl -u sk_test_...:`）。",
    );
  });

  it("says a 402 decline in Chinese, with the failed payment as recorded", async () => {
    const source = await openWallet(merchant, "USD", 100);
    const destination = await openWallet(merchant, "USD");
    const body = { source, destination, amount: 101, currency: "USD" };
    const en = await merchant.http.post("/v1/payments", body);
    const zh = await merchant.http.post("/v1/payments", body, { headers: ZH });
    expect(en.status).toBe(402);
    expect(zh.status).toBe(402);
    expect(zh.body.error).toMatchObject({
      type: "payment_error",
      code: "insufficient_funds",
      message: "付款钱包余额不足。",
      payment: { status: "failed", failure_code: "insufficient_funds", amount: 101 },
    });
    expect(en.body.error).toMatchObject({ type: "payment_error", code: "insufficient_funds" });
    expect(en.body.error.message).not.toBe(zh.body.error.message);
  });

  it("parses q-values and Chinese's other names; English when nothing matches", async () => {
    const ask = async (header: string) =>
      (
        await merchant.http.get("/v1/accounts/acct_01KAAAAAAAAAAAAAAAAAAAAAAA", {
          headers: { "accept-language": header },
        })
      ).headers.get("content-language");
    expect(await ask("en;q=0.5, zh;q=0.9")).toBe("zh-CN");
    expect(await ask("zh-Hans")).toBe("zh-CN");
    expect(await ask("zh-CN;q=0, en;q=0.1")).toBe("en");
    expect(await ask("fr-FR")).toBe("en");
  });

  it("answers successes with Content-Language too", async () => {
    const answer = await merchant.http.get("/v1/accounts", { headers: ZH });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-language")).toBe("zh-CN");
  });
});
