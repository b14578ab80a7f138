// Owns the language-neutral form of a message: a catalogue key and the values to put in it. Code
// that knows *what* went wrong builds a MessageRef; the catalogue of the caller's language says it.

export type MessageValue = string | number | MessageRef;

export interface MessageRef {
  key: string;
  vars: Record<string, MessageValue>;
}

export function messageRef(key: string, vars: Record<string, MessageValue> = {}): MessageRef {
  return { key, vars };
}
