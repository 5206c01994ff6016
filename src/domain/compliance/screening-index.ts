import { addressAgreement, MAX_ADDRESS_BONUS, type AddressPart, type ScreenedAddress } from './address-agreement.js';
import { trigrams } from './name-similarity.js';
import { normalizeName } from './normalize-name.js';

export interface ScreeningEntry {
  id: string;
  source: string;
  name: string;
  altNames: readonly string[];
  country: string | null;
  /** The entry's addresses, each free text ("12 Harbour Road, Port City"); none when unknown. */
  addresses?: readonly string[];
}

export interface ScreeningMatch {
  entryId: string;
  source: string;
  /** The list name (primary or alternate) that matched. */
  matchedName: string;
  /** The name's similarity, raised by at most 0.10 when the entry's address agrees (see `addressAgreement`). */
  score: number;
  /** Present when the address raised the score: the name's own similarity and what agreed. */
  nameScore?: number;
  addressAgrees?: AddressPart[];
}

export interface ScreenedCustomer {
  name: string;
  country: string;
  /** The customer's address; when given, an agreeing list address raises the score. */
  address?: ScreenedAddress | undefined;
}

interface IndexedName {
  entry: ScreeningEntry;
  name: string;
  /** Sorted trigram ids. */
  grams: Int32Array;
}

/**
 * The list, indexed for screening: trigram ids, and per trigram the names holding it. A customer's
 * candidates come only from its rarest trigrams (prefix filtering): a name sharing none of them
 * cannot reach the threshold. Each candidate's Dice similarity is then computed exactly from the two
 * sorted trigram lists, so the work follows the rare trigrams, not the size of the list.
 */
export interface ScreeningIndex {
  names: IndexedName[];
  gramIds: Map<string, number>;
  postings: Int32Array[];
  size: number;
  /** Per-name stamp of the last query that looked at it (screening is synchronous). */
  seen: Int32Array;
  query: number;
}

export function buildScreeningIndex(entries: readonly ScreeningEntry[]): ScreeningIndex {
  const names: IndexedName[] = [];
  const gramIds = new Map<string, number>();
  const lists: number[][] = [];
  for (const entry of entries) {
    for (const name of [entry.name, ...entry.altNames]) {
      const normalized = normalizeName(name);
      if (!normalized) continue;
      const ids = trigrams(normalized).map((g) => {
        let id = gramIds.get(g);
        if (id === undefined) {
          id = lists.push([]) - 1;
          gramIds.set(g, id);
        }
        return id;
      });
      const idx = names.push({ entry, name, grams: Int32Array.from(ids).sort() }) - 1;
      for (const id of ids) lists[id]!.push(idx);
    }
  }
  return {
    names,
    gramIds,
    postings: lists.map((l) => Int32Array.from(l)),
    size: entries.length,
    seen: new Int32Array(names.length),
    query: 0,
  };
}

function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      n += 1;
      i += 1;
      j += 1;
    } else if (a[i]! < b[j]!) i += 1;
    else j += 1;
  }
  return n;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The list entries a customer may be: Dice similarity of names, plus the bounded bonus of an
 * agreeing address, ≥ threshold and, when the entry names a country, in that country. Best match per
 * entry, best first.
 */
export function screenName(index: ScreeningIndex, customer: ScreenedCustomer, threshold: number): ScreeningMatch[] {
  const normalized = normalizeName(customer.name);
  if (!normalized) return [];
  const grams = trigrams(normalized);
  const a = grams.length;
  const known = grams.map((g) => index.gramIds.get(g)).filter((id): id is number => id !== undefined);
  const query = Int32Array.from(known).sort();
  // With an address, a name this far below the threshold can still be lifted over it.
  const floor = customer.address ? threshold - MAX_ADDRESS_BONUS : threshold;
  // Dice ≥ floor bounds the other name's size and the overlap needed; unknown trigrams count as rarest.
  const minB = Math.ceil((a * floor) / (2 - floor));
  const maxB = Math.floor((a * (2 - floor)) / floor);
  const minOverlap = Math.ceil((floor * (a + minB)) / 2);
  const prefix = a - minOverlap + 1 - (a - known.length);
  const rarest = [...known].sort((x, y) => index.postings[x]!.length - index.postings[y]!.length).slice(0, Math.max(0, prefix));
  const stamp = (index.query += 1);
  const best = new Map<string, ScreeningMatch>();
  for (const gram of rarest) {
    const list = index.postings[gram]!;
    for (let k = 0; k < list.length; k += 1) {
      const idx = list[k]!;
      if (index.seen[idx] === stamp) continue;
      index.seen[idx] = stamp;
      const candidate = index.names[idx]!;
      const b = candidate.grams.length;
      if (b < minB || b > maxB) continue;
      if (candidate.entry.country && candidate.entry.country !== customer.country) continue;
      const nameScore = (2 * overlap(query, candidate.grams)) / (a + b);
      if (nameScore < floor) continue;
      keepBestMatch(best, customer, candidate.entry, candidate.name, nameScore, threshold);
    }
  }
  return [...best.values()].sort((x, y) => y.score - x.score);
}

/** Adds the address bonus to a name's score and keeps the entry's best match at or above the threshold. */
function keepBestMatch(
  best: Map<string, ScreeningMatch>,
  customer: ScreenedCustomer,
  entry: ScreeningEntry,
  matchedName: string,
  nameScore: number,
  threshold: number,
): void {
  const agreement =
    customer.address && entry.addresses?.length
      ? addressAgreement(entry.addresses, entry.country, { ...customer.address, country: customer.country })
      : undefined;
  const score = Math.min(1, nameScore + (agreement?.bonus ?? 0));
  // Sums of decimals (0.74 + 0.10) may land a hair under; the tolerance keeps them exact.
  if (score + 1e-9 < threshold) return;
  const prev = best.get(entry.id);
  if (!prev || score > prev.score)
    best.set(entry.id, {
      entryId: entry.id,
      source: entry.source,
      matchedName,
      score: round3(score),
      ...(agreement?.bonus ? { nameScore: round3(nameScore), addressAgrees: agreement.agrees } : {}),
    });
}

/** A list name the database found near a customer's: the entry it belongs to and the name as stored, normalised. */
export interface ScreeningCandidate {
  entry: ScreeningEntry;
  name: string;
  normalized: string;
}

/** What pg_trgm's Jaccard similarity is allowed to miss by: it computes in float4, the desk in float8. */
const CANDIDATE_MARGIN = 0.005;

/**
 * The pg_trgm similarity (Jaccard, shared ÷ union of the two trigram sets) a list name needs to be a
 * candidate. pg_trgm builds the same padded word trigrams as `trigrams()` on a normalised name, and a
 * Dice coefficient D ≥ floor is a Jaccard coefficient J = D ÷ (2 − D) ≥ floor ÷ (2 − floor), so every
 * name the desk's scoring could accept is among the candidates; the scoring then decides exactly.
 */
export function candidateSimilarityFloor(customer: { address?: ScreenedAddress | undefined }, threshold: number): number {
  const floor = customer.address ? threshold - MAX_ADDRESS_BONUS : threshold;
  return Math.max(0, floor / (2 - floor) - CANDIDATE_MARGIN);
}

/**
 * The desk's own scoring of the candidates the database found: the same rule as `screenName` (Dice of
 * the trigram sets, the entry's country, the bounded address bonus, best match per entry, best first),
 * so precision and recall do not depend on where the candidates came from.
 */
export function scoreScreeningCandidates(
  customer: ScreenedCustomer,
  candidates: readonly ScreeningCandidate[],
  threshold: number,
): ScreeningMatch[] {
  const normalized = normalizeName(customer.name);
  if (!normalized) return [];
  const query = new Set(trigrams(normalized));
  const floor = customer.address ? threshold - MAX_ADDRESS_BONUS : threshold;
  const best = new Map<string, ScreeningMatch>();
  for (const candidate of candidates) {
    if (candidate.entry.country && candidate.entry.country !== customer.country) continue;
    const grams = trigrams(candidate.normalized);
    let shared = 0;
    for (const g of grams) if (query.has(g)) shared += 1;
    const nameScore = (2 * shared) / (query.size + grams.length);
    if (nameScore < floor) continue;
    keepBestMatch(best, customer, candidate.entry, candidate.name, nameScore, threshold);
  }
  // Equal scores in entry order, whatever order the database returned the candidates in.
  return [...best.values()].sort((x, y) => y.score - x.score || (x.entryId < y.entryId ? -1 : x.entryId > y.entryId ? 1 : 0));
}

/** The names a list entry is screened on, normalised, once each (a name that normalises to nothing is left out). */
export function screeningNamesOf(entry: { name: string; altNames: readonly string[] }): { name: string; normalized: string }[] {
  const seen = new Set<string>();
  const out: { name: string; normalized: string }[] = [];
  for (const name of [entry.name, ...entry.altNames]) {
    const normalized = normalizeName(name);
    if (!normalized || seen.has(normalized)) continue;
    seen.add(normalized);
    out.push({ name, normalized });
  }
  return out;
}
