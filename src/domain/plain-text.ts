/**
 * Control characters (C0, DEL, C1) and the Unicode bidirectional controls (embeddings, overrides,
 * isolates, marks). In a name or an identifier they serve only to disguise it: `\u202e` shows
 * "exe.txt" for "txt.exe", `\u001b` starts a terminal escape in a log viewer. They are refused in
 * every name and identifier, wherever it is typed (API, chat, import).
 */
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters or bidirectional-override characters (such as U+202E)';

/** True when the text holds none of UNSAFE_TEXT. */
export const isPlainText = (text: string): boolean => !UNSAFE_TEXT.test(text);
