// Owns the messages schemas give zod: a schema says its message once through schemaMessage(), which
// answers the English text zod carries and remembers its MessageRef, so validation can say the
// same problem in another language (validate.ts looks the text up).
import type { MessageRef } from "./message-ref.js";
import { renderMessage } from "./render.js";

const REFS_BY_ENGLISH = new Map<string, MessageRef>();

/** The English text of `ref` for a schema's `error`, remembered for the other languages. */
export function schemaMessage(ref: MessageRef): string {
  const english = renderMessage("en", ref);
  REFS_BY_ENGLISH.set(english, ref);
  return english;
}

/** The ref a schema said `english` with, if it said it through schemaMessage(). */
export function schemaMessageRef(english: string): MessageRef | undefined {
  return REFS_BY_ENGLISH.get(english);
}
