/** Legal-form words that say nothing about who a party is; dropped before comparing names. */
const LEGAL_SUFFIXES = new Set([
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'oyj',
  'ab',
  'as',
  'asa',
  'aps',
  'pty',
  'pte',
  'pvt',
  'private',
  'kk',
  'kft',
  'sp',
  'zoo',
  'doo',
  'ooo',
  'zao',
  'oao',
  'jsc',
  'pjsc',
  'llc',
  'fze',
  'fzco',
  'wll',
  'est',
  'holding',
  'holdings',
  'group',
  'the',
]);

/**
 * A name reduced to what identifies the party: accents folded, case folded, punctuation and legal
 * forms removed ("Müller-Lüdenscheidt GmbH & Co. KG" → "muller ludenscheidt and"), single letters of an
 * abbreviation joined ("S.A." → "sa", then dropped as a legal form).
 */
export function normalizeName(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/&/g, ' and ')
    .replace(/['’`]/g, '');
  // "s.a." / "l.l.c." → "sa" / "llc" before punctuation turns into spaces.
  const joined = folded.replace(/\b(?:\p{L}\.){2,}/gu, (m) => m.replace(/\./g, ''));
  const tokens = joined
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((t) => t && !LEGAL_SUFFIXES.has(t));
  return tokens.join(' ');
}
