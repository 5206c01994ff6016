/**
 * Character trigrams of a normalised name, word by word (each word padded: "  orion "), as a set.
 * Word order does not change the set, so "Trading Orion" and "Orion Trading" compare equal.
 */
export function trigrams(normalized: string): string[] {
  const out = new Set<string>();
  for (const word of normalized.split(' ')) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i += 1) out.add(padded.slice(i, i + 3));
  }
  return [...out];
}

/** Sørensen–Dice coefficient of two names' trigram sets, in [0, 1]. */
export function nameSimilarity(a: string, b: string): number {
  const ga = trigrams(a);
  const gb = new Set(trigrams(b));
  if (ga.length === 0 && gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  return (2 * shared) / (ga.length + gb.size);
}
