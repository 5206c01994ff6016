/** Levenshtein distance, for "did you mean …" on near misses. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Within a third of the longer text's length (at least 2): a typo, not another word. */
const isNear = (a: string, b: string) => editDistance(a, b) <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));

/**
 * The names a failed exact lookup probably meant, best first, at most `limit`: a name that starts
 * with what was typed or holds it as a word ("bravo" → "Bravo Clinic"), then one within a typo of it,
 * whole or word by word ("alder dentl" → "Alder Dental").
 */
export function nearNames(typed: string, names: readonly string[], limit = 3): string[] {
  const t = typed.trim().toLowerCase();
  if (!t) return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(names)) {
    const n = name.toLowerCase();
    const words = n.split(/\s+/);
    const score = n.startsWith(t)
      ? 0
      : words.includes(t) || n.includes(` ${t}`)
        ? 1
        : isNear(t, n)
          ? 2 + editDistance(t, n)
          : words.some((w) => w.length > 2 && isNear(t, w))
            ? 50
            : undefined;
    if (score !== undefined) scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** "Did you mean Bravo Clinic?", "Did you mean Alder Dental or Alder Dentistry?", or nothing. */
export function didYouMean(names: readonly string[]): string {
  if (!names.length) return '';
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
  return `Did you mean ${list}?`;
}
