import { describe, expect, it } from "vitest";
import { languageOption, negotiateLanguage } from "../../../lib/i18n/language.js";

describe("Accept-Language", () => {
  it.each([
    [undefined, "en"],
    ["", "en"],
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["ZH-cn", "zh-CN"],
    ["zh-SG", "zh-CN"],
    ["en-GB", "en"],
    ["fr-FR, de", "en"],
    ["*", "en"],
    // Traditional Chinese is not offered: the next range the client accepts is used.
    ["zh-TW, zh-CN;q=0.8", "zh-CN"],
    ["zh-Hant, en;q=0.5", "en"],
    // q-values decide, not the order; ties keep the client's order.
    ["en;q=0.5, zh-CN;q=0.9", "zh-CN"],
    ["zh-CN;q=0.4, en;q=0.8", "en"],
    ["fr;q=1, zh;q=0.7, en;q=0.7", "zh-CN"],
    ["en;q=0.7, zh;q=0.7", "en"],
    ["zh;q=1.000, en", "zh-CN"],
    // q=0 means "not this one"; a malformed q-value counts as 1.
    ["zh-CN;q=0, en;q=0.1", "en"],
    ["zh;q=0.000", "en"],
    ["en;q=2, zh-CN;q=0.9", "en"],
    ["de;q=0.9,zh-Hans;q=0.8 , en;q=0.1", "zh-CN"],
  ])("%j answers %s", (header, expected) => {
    expect(negotiateLanguage(header)).toBe(expected);
  });

  it("reads --lang with the same names", () => {
    expect(languageOption("zh")).toBe("zh-CN");
    expect(languageOption("zh-Hans")).toBe("zh-CN");
    expect(languageOption("en-US")).toBe("en");
    expect(languageOption("fr")).toBeUndefined();
  });
});
