import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { splitAddresses } from '../src/domain/compliance/address-agreement.js';
import { evaluateScreening, type LabelledPair } from '../src/domain/compliance/evaluate-screening.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../src/domain/compliance/review-rules.js';
import { nameSimilarity } from '../src/domain/compliance/name-similarity.js';
import { normalizeName } from '../src/domain/compliance/normalize-name.js';
import { buildScreeningIndex, screenName, type ScreeningEntry } from '../src/domain/compliance/screening-index.js';

// Consonant-vowel(-consonant) syllables: name-like words with the spread of trigrams real lists have.
const consonants = 'bcdfghjklmnprstvwz'.split('');
const vowels = 'aeiou'.split('');
const syllables = consonants.flatMap((c) => vowels.flatMap((v) => [c + v, ...['n', 'r', 's', 'l'].map((e) => c + v + e)]));
const words = [
  'Trading',
  'Shipping',
  'Logistics',
  'Electronics',
  'Industries',
  'Engineering',
  'Mining',
  'Aerospace',
  'Systems',
  'Petroleum',
  'Holdings',
  'Dynamics',
];
const countries = ['AE', 'CN', 'RU', 'IR', 'DE', 'US', 'GB', 'SG', 'BR', 'IN', ''];

function fakeName(i: number, rand: () => number): string {
  const w = (n: number) => Array.from({ length: n }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
  const first = w(2 + (i % 2));
  return `${first[0]!.toUpperCase()}${first.slice(1)} ${w(2)[0]!.toUpperCase()}${w(2).slice(1)} ${words[i % words.length]}`;
}

/**
 * Precision and recall on the labelled fixture at several thresholds; then 10,000 customers screened
 * against a 20,000-entry list (synthetic, name-like, ~450 syllables) through the trigram index,
 * beside brute force (every pair scored) on a sample, measured in the same run.
 */
export function benchScreening(): void {
  const rows = parse(readFileSync(new URL('../test/fixtures/screening-list.csv', import.meta.url)), { columns: true }) as Record<
    string,
    string
  >[];
  const list = rows.map((r) => ({
    id: r._id!,
    source: r.source!,
    name: r.name!,
    altNames: r.alt_names ? r.alt_names.split(';') : [],
    country: r.country || null,
    addresses: splitAddresses(r.addresses ?? ''),
  }));
  const pairs: LabelledPair[] = JSON.parse(readFileSync(new URL('../test/fixtures/screening-pairs.json', import.meta.url), 'utf8'));
  console.log(`screening quality on ${pairs.length} labelled pairs (threshold: precision / recall):`);
  for (const t of [0.6, 0.65, 0.7, 0.72, 0.74, 0.76, 0.78, 0.8, 0.84, 0.88]) {
    const q = evaluateScreening(list, pairs, t);
    console.log(
      `  ${t.toFixed(2)}${t === DEFAULT_SCREENING_THRESHOLD ? ' (default)' : '          '}: ${q.precision.toFixed(3)} / ${q.recall.toFixed(3)}  (false positives ${q.falsePositives}, misses ${q.falseNegatives})`,
    );
  }
  // The address rule on its own pairs, beside the same pairs with the addresses left out.
  const withAddress = pairs.filter((p) => p.customerAddress);
  const show = (q: ReturnType<typeof evaluateScreening>) =>
    `${q.precision.toFixed(3)} / ${q.recall.toFixed(3)} (false positives ${q.falsePositives}, misses ${q.falseNegatives})`;
  const t = DEFAULT_SCREENING_THRESHOLD;
  console.log(
    `  without the ${withAddress.length} address pairs at ${t}: ${show(
      evaluateScreening(
        list,
        pairs.filter((p) => !p.customerAddress),
        t,
      ),
    )}`,
  );
  console.log(
    `  the ${withAddress.length} address pairs at ${t}: ${show(evaluateScreening(list, withAddress, t))}; ` +
      `addresses ignored: ${show(
        evaluateScreening(
          list,
          withAddress.map((p) => ({ ...p, customerAddress: undefined })),
          t,
        ),
      )}`,
  );

  let seed = 99;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const entries: ScreeningEntry[] = Array.from({ length: 20_000 }, (_, i) => ({
    id: `e${i}`,
    source: 'SDN',
    name: fakeName(i, rand),
    altNames: i % 5 === 0 ? [fakeName(i + 7, rand)] : [],
    country: countries[i % countries.length] || null,
  }));
  const customers = Array.from({ length: 10_000 }, (_, i) => ({
    name: i % 50 === 0 ? entries[i * 2]!.name : fakeName(i + 100_000, rand),
    country: countries[i % countries.length] || 'US',
  }));
  const t0 = performance.now();
  const index = buildScreeningIndex(entries);
  const built = performance.now() - t0;
  let hits = 0;
  const t1 = performance.now();
  for (const c of customers) hits += screenName(index, c, DEFAULT_SCREENING_THRESHOLD).length ? 1 : 0;
  const indexed = performance.now() - t1;

  // Brute force on 200 customers, scaled up: what the index saves.
  const normalized = entries.flatMap((e) => [e.name, ...e.altNames].map((n) => normalizeName(n)));
  const t2 = performance.now();
  for (const c of customers.slice(0, 200)) {
    const n = normalizeName(c.name);
    for (const e of normalized) nameSimilarity(n, e);
  }
  const bruteEstimate = ((performance.now() - t2) / 200) * customers.length;
  console.log(
    `screening 10,000 customers against 20,000 entries: index built in ${(built / 1000).toFixed(2)} s, screened in ${(indexed / 1000).toFixed(2)} s ` +
      `(${hits} customers with hits); every pair scored would take about ${(bruteEstimate / 1000).toFixed(0)} s, ${(bruteEstimate / indexed).toFixed(0)}× longer. ` +
      `Target (< 10 s): ${built + indexed < 10_000 ? 'met' : 'NOT met'}`,
  );
}
