import { trigrams } from './name-similarity.js';

/** The parts of a customer's address that screening compares with a list entry's addresses. */
export interface ScreenedAddress {
  addressLine1: string;
  city: string;
}

/**
 * What an agreeing address adds to a name's similarity. Bounded: at most MAX_ADDRESS_BONUS, so only a
 * name already close to a listed one (Dice ≥ threshold − 0.10) can be lifted over the threshold, and
 * an address alone never makes a hit. The street is the strongest evidence (a shared building), the
 * city weaker (many parties share one); the entry's country counts only beside an agreeing address.
 */
export const STREET_BONUS = 0.06;
export const CITY_BONUS = 0.02;
export const COUNTRY_BONUS = 0.02;
export const MAX_ADDRESS_BONUS = STREET_BONUS + CITY_BONUS + COUNTRY_BONUS;
/** Two street lines agree at this Dice similarity (typos, "St" / "Street") when their house numbers are the same. */
const STREET_SIMILARITY = 0.85;

export type AddressPart = 'street' | 'city' | 'country';

export interface AddressAgreement {
  bonus: number;
  agrees: AddressPart[];
}

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  st: 'street',
  str: 'street',
  ave: 'avenue',
  av: 'avenue',
  rd: 'road',
  blvd: 'boulevard',
  dr: 'drive',
  ln: 'lane',
  sq: 'square',
  hwy: 'highway',
  pl: 'place',
  ct: 'court',
  bldg: 'building',
};

/** Address text as words: accents and case folded, punctuation dropped, common street abbreviations spelt out. */
export function addressWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => ABBREVIATIONS[w] ?? w);
}

const numbersOf = (words: readonly string[]) =>
  words
    .filter((w) => /\d/.test(w))
    .sort()
    .join(' ');

function diceOfWords(a: readonly string[], b: readonly string[]): number {
  const ga = trigrams(a.join(' '));
  const gb = new Set(trigrams(b.join(' ')));
  if (ga.length + gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  return (2 * shared) / (ga.length + gb.size);
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    let k = 0;
    while (k < needle.length && haystack[i + k] === needle[k]) k += 1;
    if (k === needle.length) return true;
  }
  return false;
}

/**
 * How far a list entry's addresses agree with the customer's: the street when one comma-separated
 * part of an entry address is the customer's address line (same house numbers, Dice ≥ 0.85 on the
 * rest), the city when the customer's city appears as whole words in it, and the country when either
 * agreed and the entry names the customer's country. The best of the entry's addresses counts.
 */
export function addressAgreement(
  entryAddresses: readonly string[],
  entryCountry: string | null,
  customer: ScreenedAddress & { country: string },
): AddressAgreement {
  const line = addressWords(customer.addressLine1);
  const lineNumbers = numbersOf(line);
  const city = addressWords(customer.city);
  let best: AddressAgreement = { bonus: 0, agrees: [] };
  for (const address of entryAddresses) {
    const parts = address.split(',').map(addressWords);
    const street = line.length > 0 && parts.some((p) => numbersOf(p) === lineNumbers && diceOfWords(p, line) >= STREET_SIMILARITY);
    const inCity = containsRun(parts.flat(), city);
    const agrees: AddressPart[] = [];
    if (street) agrees.push('street');
    if (inCity) agrees.push('city');
    if ((street || inCity) && entryCountry !== null && entryCountry === customer.country) agrees.push('country');
    const bonus = (street ? STREET_BONUS : 0) + (inCity ? CITY_BONUS : 0) + (agrees.includes('country') ? COUNTRY_BONUS : 0);
    if (bonus > best.bonus) best = { bonus, agrees };
  }
  return best;
}

/** The entry's addresses, as the Consolidated Screening List writes them: several separated by `;`. */
export const splitAddresses = (addresses: string): string[] =>
  addresses
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
