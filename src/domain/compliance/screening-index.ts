import { nameSimilarity, trigrams } from './name-similarity.js';
import { normalizeName } from './normalize-name.js';

export interface ScreeningEntry {
  id: string;
  source: string;
  name: string;
  altNames: readonly string[];
  country: string | null;
}

export interface ScreeningMatch {
  entryId: string;
  source: string;
  /** The list name (primary or alternate) that matched. */
  matchedName: string;
  score: number;
}

interface IndexedName {
  entry: ScreeningEntry;
  name: string;
  normalized: string;
  grams: number;
}

/**
 * The list, indexed for screening. Candidates come from an inverted index of trigrams: only names
 * sharing enough trigrams with the customer's name are scored, so screening never compares every
 * pair (a customer touches a few hundred postings, not the 20,000 entries).
 */
export interface ScreeningIndex {
  names: IndexedName[];
  postings: Map<string, number[]>;
  size: number;
}

export function buildScreeningIndex(entries: readonly ScreeningEntry[]): ScreeningIndex {
  const names: IndexedName[] = [];
  const postings = new Map<string, number[]>();
  for (const entry of entries) {
    for (const name of [entry.name, ...entry.altNames]) {
      const normalized = normalizeName(name);
      if (!normalized) continue;
      const grams = trigrams(normalized);
      const idx = names.push({ entry, name, normalized, grams: grams.length }) - 1;
      for (const g of grams) {
        const list = postings.get(g);
        if (list) list.push(idx);
        else postings.set(g, [idx]);
      }
    }
  }
  return { names, postings, size: entries.length };
}

/**
 * The list entries a customer may be: similar enough by name (≥ threshold) and, when the entry
 * names a country, in that country. Best match per entry, best first.
 */
export function screenName(index: ScreeningIndex, customer: { name: string; country: string }, threshold: number): ScreeningMatch[] {
  const normalized = normalizeName(customer.name);
  if (!normalized) return [];
  const grams = trigrams(normalized);
  const shared = new Map<number, number>();
  for (const g of grams) for (const idx of index.postings.get(g) ?? []) shared.set(idx, (shared.get(idx) ?? 0) + 1);
  const best = new Map<string, ScreeningMatch>();
  for (const [idx, count] of shared) {
    const candidate = index.names[idx]!;
    // Dice on trigrams can reach the threshold only with this many shared; cheap pre-filter. Word
    // order is handled by the sorted comparison, which this bound does not cover, so keep it loose.
    if ((2 * count) / (grams.length + candidate.grams) < threshold * 0.6) continue;
    if (candidate.entry.country && candidate.entry.country !== customer.country) continue;
    const score = nameSimilarity(normalized, candidate.normalized);
    if (score < threshold) continue;
    const prev = best.get(candidate.entry.id);
    if (!prev || score > prev.score) best.set(candidate.entry.id, { entryId: candidate.entry.id, source: candidate.entry.source, matchedName: candidate.name, score: Math.round(score * 1000) / 1000 });
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}
