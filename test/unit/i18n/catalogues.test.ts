import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  InvalidParametersError,
  ResourceMissingError,
  RouteNotFoundError,
  toErrorBody,
} from "../../../lib/errors.js";
import { LANGUAGES } from "../../../lib/i18n/language.js";
import { messageRef } from "../../../lib/i18n/message-ref.js";
import { CATALOGUES, renderMessage } from "../../../lib/i18n/render.js";
import { createAccountSchema } from "../../../lib/schemas/accounts.js";
import { ERROR_CODE_LIST } from "../../../lib/schemas/errors.js";
import { fieldErrorsOf } from "../../../lib/schemas/validate.js";

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  it.each(LANGUAGES)("%s has a message for every error code, taking no values", (language) => {
    for (const code of ERROR_CODE_LIST) {
      const message = CATALOGUES[language][code];
      expect(message, `${language} ${code}`).toMatch(/\S/);
      expect(placeholders(message as string), `${language} ${code}`).toEqual([]);
    }
  });

  it("has the same keys in every language, each with the same values", () => {
    const english = CATALOGUES.en;
    const chinese = CATALOGUES["zh-CN"];
    expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
    for (const [key, template] of Object.entries(english)) {
      expect(placeholders(chinese[key] as string), key).toEqual(placeholders(template));
    }
  });

  it("Chinese messages are Chinese", () => {
    for (const code of ERROR_CODE_LIST) expect(CATALOGUES["zh-CN"][code]).toMatch(/[\u4e00-\u9fff]/);
  });

  it("says nested values in the same language", () => {
    const ref = messageRef("resource_missing.detail", { kind: messageRef("kind.payment"), id: "pay_1" });
    expect(renderMessage("en", ref)).toBe("No such payment: 'pay_1'");
    expect(renderMessage("zh-CN", ref)).toBe("付款不存在：'pay_1'");
  });
});

describe("error bodies in two languages", () => {
  it("keep type, code and param, and change only the message", () => {
    const missing = new ResourceMissingError("account", "acct_X", "id");
    const en = toErrorBody(missing, "req_1").error;
    const zh = toErrorBody(missing, "req_1", "zh-CN").error;
    expect(en).toEqual({
      type: "invalid_request_error",
      code: "resource_missing",
      message: "No such account: 'acct_X'",
      param: "id",
      request_id: "req_1",
    });
    expect(zh).toEqual({ ...en, message: "账户不存在：'acct_X'" });
    expect(toErrorBody(new RouteNotFoundError("GET", "/v2/x"), "r", "zh-CN").error.message).toBe(
      "无法识别的请求 URL（GET: /v2/x）。",
    );
  });

  it("say the 401 hints with the masked key in both languages", () => {
    const error = new AuthenticationError(
      "api_key_invalid",
      messageRef("api_key_invalid.detail", { key: "sk_test_****wxyz" }),
    );
    expect(error.message).toBe("Invalid API key provided: sk_test_****wxyz");
    expect(toErrorBody(error, "r", "zh-CN").error.message).toBe("提供的 API 密钥无效：sk_test_****wxyz");
  });

  it("say validation problems in Chinese, zod's own and the bank rules', each in error.errors", () => {
    const input = {
      currency: 5,
      type: "bank",
      bank: { country: "GB", account_number: "31926819" },
      nam: "x",
    };
    const result = createAccountSchema.safeParse(input);
    expect(result.success).toBe(false);
    const fields = fieldErrorsOf(result.error!, input, createAccountSchema);
    const error = new InvalidParametersError(fields);
    const en = toErrorBody(error, "r").error;
    const zh = toErrorBody(error, "r", "zh-CN").error;
    expect(en.errors).toEqual([
      {
        param: "currency",
        code: "parameter_invalid",
        message: "Invalid currency: expected string, received number",
      },
      {
        param: "bank.sort_code",
        code: "parameter_missing",
        message: "Missing required parameter: bank.sort_code: GB accounts need it: 6 digits",
      },
      {
        param: "nam",
        code: "parameter_unknown",
        message: "Received unknown parameter: nam. Did you mean `name`?",
      },
    ]);
    expect(zh.errors).toEqual([
      {
        param: "currency",
        code: "parameter_invalid",
        message: "参数 currency 无效：期望 string，实际接收 数字",
      },
      {
        param: "bank.sort_code",
        code: "parameter_missing",
        message: "缺少必需的参数：bank.sort_code：GB 的账户需要此字段：6 位数字",
      },
      { param: "nam", code: "parameter_unknown", message: "收到未知参数：nam。您是否想用 `name`？" },
    ]);
    expect(zh.message).toBe(
      "共有 3 个无效参数（全部列于 error.errors）；第一个：参数 currency 无效：期望 string，实际接收 数字",
    );
    expect([zh.code, zh.type, zh.param]).toEqual([en.code, en.type, en.param]);
    expect(JSON.stringify(en)).not.toContain("ref");

    const bank = { currency: "GBP", type: "bank", bank: { country: "GB", account_number: "31926819" } };
    // One problem: the message is that problem's.
    const bankResult = createAccountSchema.safeParse(bank);
    const bankError = new InvalidParametersError(fieldErrorsOf(bankResult.error!, bank, createAccountSchema));
    expect(toErrorBody(bankError, "r").error.message).toBe(
      "Missing required parameter: bank.sort_code: GB accounts need it: 6 digits",
    );
    expect(toErrorBody(bankError, "r", "zh-CN").error).toMatchObject({
      code: "parameter_missing",
      param: "bank.sort_code",
      message: "缺少必需的参数：bank.sort_code：GB 的账户需要此字段：6 位数字",
    });
  });
});

describe("schema messages in two languages", () => {
  it("say the common schemas' own messages (amounts, currencies, ids) in Chinese too", async () => {
    const { createPaymentSchema } = await import("../../../lib/schemas/payments.js");
    const input = { source: "acct_x", destination: "pay_1", amount: 0, currency: "usdd" };
    const result = createPaymentSchema.safeParse(input);
    const error = new InvalidParametersError(fieldErrorsOf(result.error!, input, createPaymentSchema));
    const byParam = (language: "en" | "zh-CN") =>
      Object.fromEntries(
        (toErrorBody(error, "r", language).error.errors as { param: string; message: string }[]).map((e) => [
          e.param,
          e.message,
        ]),
      );
    expect(byParam("en")).toEqual({
      source: "Invalid source: must be an account id (acct_…)",
      destination: "Invalid destination: must be an account id (acct_…)",
      amount: "Invalid amount: must be greater than 0",
      currency: expect.stringMatching(/^Invalid currency: must be a three-letter ISO 4217 code: USD, EUR, /),
    });
    expect(byParam("zh-CN")).toEqual({
      source: "参数 source 无效：必须是 account id（acct_…）",
      destination: "参数 destination 无效：必须是 account id（acct_…）",
      amount: "参数 amount 无效：必须大于 0",
      currency: expect.stringMatching(/^参数 currency 无效：必须是三个字母的 ISO 4217 币种代码：USD, EUR, /),
    });
  });
});
