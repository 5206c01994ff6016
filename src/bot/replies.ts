/** Webex refuses text or markdown over 7,439 bytes. */
export const WEBEX_MESSAGE_LIMIT_BYTES = 7_439;

/** User data shown literally: markdown control characters escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+!|>~-])/g, '\\$1');
}

/**
 * Splits a reply below the byte limit, at line breaks where possible, never inside a UTF-8
 * character; each part is a message of its own.
 */
export function splitMarkdown(markdown: string, limit = WEBEX_MESSAGE_LIMIT_BYTES): string[] {
  const encoder = new TextEncoder();
  const bytes = (s: string) => encoder.encode(s).byteLength;
  if (bytes(markdown) <= limit) return [markdown];
  const parts: string[] = [];
  let current = '';
  for (const line of markdown.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (bytes(candidate) <= limit) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    current = '';
    // A single line over the limit: cut by characters.
    let rest = line;
    while (bytes(rest) > limit) {
      let cut = Math.min(rest.length, limit);
      while (bytes(rest.slice(0, cut)) > limit) cut -= 1;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) parts.push(current);
  return parts;
}
