import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { evaluateScreening } from '../../src/domain/compliance/evaluate-screening.js';
import { nameSimilarity } from '../../src/domain/compliance/name-similarity.js';
import { normalizeName } from '../../src/domain/compliance/normalize-name.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../../src/domain/compliance/review-rules.js';
import { buildScreeningIndex, screenName } from '../../src/domain/compliance/screening-index.js';

describe('normalizeName', () => {
  it.each([
    ['Müller-Lüdenscheidt GmbH & Co. KG', 'muller ludenscheidt and'],
    ['ORION MARITIME TRADING, L.L.C.', 'orion maritime trading'],
    ['Société Générale S.A.', 'societe generale'],
    ['The Blue Lantern Shipping Ltd.', 'blue lantern shipping'],
    ["O'Brien & Sons, Inc", 'obrien and sons'],
    ['Straße Holdings', 'strasse'],
    ['  Kestrel   Avionics  ', 'kestrel avionics'],
    ['Ltd', ''],
  ])('%j → %j', (input, expected) => expect(normalizeName(input)).toBe(expected));
});

describe('nameSimilarity', () => {
  it('is 1 for equal names, symmetric, and tolerates word order', () => {
    expect(nameSimilarity('orion maritime trading', 'orion maritime trading')).toBe(1);
    expect(nameSimilarity('maritime orion trading', 'orion maritime trading')).toBe(1);
    const a = nameSimilarity('kestrel avionics', 'kestrel avionic');
    expect(a).toBe(nameSimilarity('kestrel avionic', 'kestrel avionics'));
    expect(a).toBeGreaterThan(0.85);
    expect(nameSimilarity('kestrel avionics', 'maple leaf accounting')).toBeLessThan(0.2);
  });
});

describe('screening', () => {
  const entries = [
    { id: 'a', source: 'SDN', name: 'Orion Maritime Trading LLC', altNames: ['Orion Sea Trade'], country: 'AE' },
    { id: 'b', source: 'EL', name: 'Northgate Chemical Industries', altNames: [], country: null },
  ];
  const index = buildScreeningIndex(entries);
  it.each([
    ['Orion Maritime Trading L.L.C.', 'AE', ['a']],
    ['ORION SEA TRADE LTD', 'AE', ['a']],
    ['Orion Maritime Trading', 'US', []],
    ['Northgate Chemical Industries GmbH', 'DE', ['b']],
    ['Northgate Chemical Industries', 'US', ['b']],
    ['Maple Leaf Accounting', 'US', []],
    ['', 'US', []],
  ])('%j in %s → %j', (name, country, ids) => {
    expect(screenName(index, { name, country }, DEFAULT_SCREENING_THRESHOLD).map((m) => m.entryId)).toEqual(ids);
  });
  it('reports the matched name and score', () => {
    expect(screenName(index, { name: 'Orion Sea Trade', country: 'AE' }, 0.8)[0]).toEqual({
      entryId: 'a',
      source: 'SDN',
      matchedName: 'Orion Sea Trade',
      score: 1,
    });
  });

  it('finds every true variant of the labelled fixture at the default threshold, with precision ≥ 0.95', () => {
    const rows = parse(readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url)), { columns: true }) as Record<
      string,
      string
    >[];
    const list = rows.map((r) => ({
      id: r._id!,
      source: r.source!,
      name: r.name!,
      altNames: r.alt_names ? r.alt_names.split(';') : [],
      country: r.country || null,
    }));
    const pairs = JSON.parse(readFileSync(new URL('../fixtures/screening-pairs.json', import.meta.url), 'utf8'));
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    const q = evaluateScreening(list, pairs, DEFAULT_SCREENING_THRESHOLD);
    expect(q.recall).toBe(1);
    expect(q.precision).toBeGreaterThanOrEqual(0.95);
  });
});
