// Owns saying a MessageRef in a language: the catalogue's template with `{name}` replaced by the
// values (a value that is itself a MessageRef is said in the same language). The `$text` key
// carries text already said per language (a zod message in English and Chinese).
import { DEFAULT_LANGUAGE, type Language } from "./language.js";
import type { MessageRef, MessageValue } from "./message-ref.js";
import { MESSAGES_EN } from "./messages-en.js";
import { MESSAGES_ZH_CN } from "./messages-zh-CN.js";

export type { Language } from "./language.js";

export const CATALOGUES: Record<Language, Record<string, string>> = {
  en: MESSAGES_EN,
  "zh-CN": MESSAGES_ZH_CN,
};

export function renderMessage(language: Language, ref: MessageRef): string {
  if (ref.key === TEXT_KEY) return String(ref.vars[language] ?? ref.vars[DEFAULT_LANGUAGE] ?? "");
  const template = CATALOGUES[language][ref.key] ?? CATALOGUES[DEFAULT_LANGUAGE][ref.key] ?? ref.key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value: MessageValue | undefined = ref.vars[name];
    if (value === undefined) return whole;
    return typeof value === "object" ? renderMessage(language, value) : String(value);
  });
}

const TEXT_KEY = "$text";

/** Text said per language by someone else (zod's locales); English is used when one is missing. */
export function textRef(byLanguage: Partial<Record<Language, string>>): MessageRef {
  return { key: TEXT_KEY, vars: byLanguage as Record<string, string> };
}

/** A field error's English `message` and its `ref`, for the other languages. */
export function fieldMessage(ref: MessageRef): { message: string; ref: MessageRef } {
  return { message: renderMessage(DEFAULT_LANGUAGE, ref), ref };
}
