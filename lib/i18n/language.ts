// Owns choosing the answer's language from Accept-Language (RFC 9110 §12.5.4): ranges in order of
// their q-values (ties keep the client's order, q=0 means "not this one"), the first payrail
// speaks wins, English when none does. Simplified Chinese is zh-CN, also picked for `zh`,
// `zh-Hans`, `zh-Hans-*` and `zh-SG`; Traditional (zh-TW, zh-HK, zh-Hant) is not offered.

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

const SIMPLIFIED_CHINESE = new Set(["zh", "zh-cn", "zh-hans", "zh-sg", "zh-hans-cn", "zh-hans-sg"]);

/** The language a range names, if payrail speaks it; `*` is the default. */
function languageOf(range: string): Language | undefined {
  const tag = range.toLowerCase();
  if (tag === "*" || tag === "en" || tag.startsWith("en-")) return "en";
  if (SIMPLIFIED_CHINESE.has(tag) || tag.startsWith("zh-hans-")) return "zh-CN";
  return undefined;
}

/** The q-value of a range's parameters: 0 to 1 with up to 3 decimals; malformed counts as 1. */
function qualityOf(parameters: string[]): number {
  for (const parameter of parameters) {
    const match = /^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/i.exec(parameter);
    if (match) return Number(match[1]);
  }
  return 1;
}

export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranges = header
    .split(",")
    .map((part, order) => {
      const [range = "", ...parameters] = part.split(";");
      return { range: range.trim(), quality: qualityOf(parameters), order };
    })
    .filter((entry) => entry.range !== "" && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  for (const { range } of ranges) {
    const language = languageOf(range);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** A CLI --lang value: the same names (zh, zh-Hans, zh-CN, en, en-GB, …), or undefined if unknown. */
export function languageOption(value: string): Language | undefined {
  return languageOf(value.trim());
}
