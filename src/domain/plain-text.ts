/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional controls (embeddings, overrides,
 * isolates, marks). In a name or an identifier they serve only to disguise it: `\u202e` shows
 * "exe.txt" for "txt.exe", `\u001b` starts a terminal escape in a log viewer. They are refused in
 * every name and identifier, wherever it is typed (API, chat, import). So are the invisible format
 * characters (zero-width space and joiners U+200B–U+200D, the word joiner and invisible operators
 * U+2060–U+206F, a byte-order mark U+FEFF anywhere in the name): "Acme\u200bTelecom" looks like
 * "AcmeTelecom" but matches neither it in a search nor a screening list's entry.
 */
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/u;

export const UNSAFE_TEXT_MESSAGE =
  'must not contain control characters or bidirectional-override characters (such as U+202E), nor invisible format characters (such as U+200B)';

/** True when the text holds none of UNSAFE_TEXT. */
export const isPlainText = (text: string): boolean => !UNSAFE_TEXT.test(text);
