/** Character trigrams of a normalised name, padded so short words still have some. */
export function trigrams(normalized: string): string[] {
  const padded = `  ${normalized} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  return [...out];
}

function dice(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const setB = new Set(b);
  let shared = 0;
  for (const g of a) if (setB.has(g)) shared += 1;
  return (2 * shared) / (a.length + b.length);
}

const sortTokens = (s: string) => s.split(' ').sort().join(' ');

/**
 * Similarity of two normalised names in [0, 1]: the Sørensen–Dice coefficient of their character
 * trigrams, taken on the names as written and with their words sorted (so "Trading Orion" meets
 * "Orion Trading"); the better of the two.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  return Math.max(dice(trigrams(a), trigrams(b)), dice(trigrams(sortTokens(a)), trigrams(sortTokens(b))));
}
