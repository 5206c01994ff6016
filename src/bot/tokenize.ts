/**
 * Splits a chat message into words; "double" or 'single' quotes keep spaces inside a value, and
 * typographic quotes (what phones type) count too. An unclosed quote runs to the end.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const normalized = text.replace(/[\u201C\u201D\u201E]/g, '"').replace(/[\u2018\u2019]/g, "'");
  const re = /"([^"]*)"?|'([^']*)'?|(\S+)/g;
  for (let m = re.exec(normalized); m; m = re.exec(normalized)) tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  return tokens;
}

/**
 * Reads `keyword value` pairs after the positional words: keywords are case-insensitive and may be
 * several words long ("external-id"); a value runs until the next keyword.
 */
export function readPairs(
  tokens: readonly string[],
  keywords: readonly string[],
): { positional: string[]; pairs: Record<string, string>; repeated: string[] } {
  const positional: string[] = [];
  const pairs: Record<string, string> = {};
  const repeated: string[] = [];
  let current: string | undefined;
  for (const token of tokens) {
    const key = keywords.find((k) => k === token.toLowerCase());
    if (key) {
      if (key in pairs) repeated.push(key);
      current = key;
      pairs[key] = '';
    } else if (current) pairs[current] = pairs[current] ? `${pairs[current]} ${token}` : token;
    else positional.push(token);
  }
  return { positional, pairs, repeated };
}
