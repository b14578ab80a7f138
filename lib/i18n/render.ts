// Owns saying a MessageRef in a language: the catalogue's template with `{name}` replaced by the
// values (a value that is itself a MessageRef is said in the same language).
import { BANK_DETAILS_EN } from "./bank-details-en.js";
import type { MessageRef, MessageValue } from "./message-ref.js";

export type Language = "en";

const CATALOGUES: Record<Language, Record<string, string>> = { en: { ...BANK_DETAILS_EN } };

export function renderMessage(language: Language, ref: MessageRef): string {
  const template = CATALOGUES[language][ref.key] ?? CATALOGUES.en[ref.key] ?? ref.key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value: MessageValue | undefined = ref.vars[name];
    if (value === undefined) return whole;
    return typeof value === "object" ? renderMessage(language, value) : String(value);
  });
}
