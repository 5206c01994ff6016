/**
 * Builds the labelled screening fixtures (fictional names only, never real parties):
 *   test/fixtures/screening-list.csv    a small list in the Consolidated Screening List's column naming
 *   test/fixtures/screening-pairs.json  ≥ 200 (customer name, list name, same party?) pairs
 * True variants: case, accents, punctuation, legal forms, one typo, word order, alternate names.
 * Near misses: a different party whose name shares words or letters. Address pairs (customer with an
 * address): a shortened name at the listed address is the listed party, the same shortened name
 * elsewhere is not, and an unrelated party in the listed building is not. Deterministic: re-running
 * writes the same files.  Run: npx tsx scripts/make-screening-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { toCsvLine } from '../src/domain/csv.js';

const bases: { name: string; alt?: string; country: string; source: string; near: string[] }[] = [
  {
    name: 'Orion Maritime Trading LLC',
    alt: 'Orion Sea Trade',
    country: 'AE',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Orion Dental Clinic', 'Maritime Trading Partners', 'Oregon Maritime Training'],
  },
  {
    name: 'Kestrel Avionics GmbH',
    country: 'DE',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Kestrel Bakery GmbH', 'Kessel Avionik', 'Avionics Kestrel Museum Shop'],
  },
  {
    name: 'Northgate Chemical Industries',
    country: '',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Southgate Chemical Industries', 'Northgate Cinema', 'Northgate Chemists'],
  },
  {
    name: 'Blue Lantern Shipping Ltd',
    alt: 'Blue Lantern Lines',
    country: 'CY',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Blue Lagoon Shipping', 'Red Lantern Shipping', 'Blue Lantern Bistro'],
  },
  {
    name: 'Vostok Precision Instruments',
    country: 'RU',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Vostok Pizza', 'Precision Instruments Vostok Rental', 'Vortex Precision Instruments'],
  },
  {
    name: 'Golden Crane Electronics Co',
    alt: 'Jinhe Dianzi',
    country: 'CN',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Golden Crane Florist', 'Silver Crane Electronics', 'Golden Grain Electronics'],
  },
  {
    name: 'Tamarind Logistics FZE',
    country: 'AE',
    source: 'Unverified List (UVL) - Bureau of Industry and Security',
    near: ['Tamarind Restaurant', 'Tamarisk Logistics', 'Logistics Tamara'],
  },
  {
    name: 'Helix Dynamics Research Institute',
    country: '',
    source: 'Military End User (MEU) List - Bureau of Industry and Security',
    near: ['Helix Yoga Studio', 'Helios Dynamics Research', 'Dynamics Research Group'],
  },
  {
    name: 'Sable Rock Mining Corporation',
    country: 'ZW',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Sable Rock Cafe', 'Table Rock Mining', 'Sable Creek Mining'],
  },
  {
    name: 'Crimson Falcon Aerospace',
    alt: 'CF Aero',
    country: 'IR',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Crimson Falcon Tattoo', 'Crimson Eagle Aerospace', 'Falcon Aerospace Academy'],
  },
  {
    name: 'Meridian Dual-Use Components',
    country: 'SY',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Meridian Dental Components', 'Meridian Garden Centre', 'Median Dual Components'],
  },
  {
    name: 'Aurora Nuclear Engineering Bureau',
    country: 'KP',
    source: 'Nonproliferation Sanctions (ISN) - State Department',
    near: ['Aurora Nail Salon', 'Aurora Engineering Consultants', 'Borealis Nuclear Engineering'],
  },
  {
    name: 'Quillon Arms Export Agency',
    country: 'BY',
    source: 'ITAR Debarred (DTC) - State Department',
    near: ['Quillon Books', 'Quinton Arms Hotel', 'Arms Export Review Agency'],
  },
  {
    name: 'Pelican Bay Petroleum SA',
    country: 'VE',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Pelican Bay Pharmacy', 'Pelican Point Petroleum', 'Bay Petroleum Pelican Storage'],
  },
  {
    name: 'Ironwood Telecom Systems',
    country: '',
    source: 'Denied Persons List (DPL) - Bureau of Industry and Security',
    near: ['Ironwood Furniture', 'Ironside Telecom Systems', 'Telecom Systems Integrators'],
  },
  {
    name: 'Zephyr Fast Boats Kft',
    country: 'HU',
    source: 'Unverified List (UVL) - Bureau of Industry and Security',
    near: ['Zephyr Hair Studio', 'Zenith Fast Boats', 'Fast Boats Rental Zephyr Lake'],
  },
  {
    name: 'Obsidian Cyber Solutions',
    alt: 'Obsidian Security Lab',
    country: 'RU',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Obsidian Candle Co', 'Onyx Cyber Solutions', 'Obsidian Cyber Cafe'],
  },
  {
    name: 'Harbin Lotus Machinery Works',
    country: 'CN',
    source: 'Entity List (EL) - Bureau of Industry and Security',
    near: ['Lotus Machinery Dealers', 'Harbin Lotus Spa', 'Harvest Lotus Machinery'],
  },
  {
    name: 'Caspian Star Freight',
    country: 'AZ',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Caspian Star Caviar', 'Baltic Star Freight', 'Caspian Sea Freight Forum'],
  },
  {
    name: 'Saffron Gate General Trading',
    country: 'IR',
    source: 'Specially Designated Nationals (SDN) - Treasury Department',
    near: ['Saffron Gate Restaurant', 'Golden Gate General Trading', 'Saffron Garden Trading'],
  },
];

const unrelated = [
  'Maple Leaf Accounting',
  'Sunrise Pediatric Dental',
  'Cobalt Street Coffee',
  'Harbourview Law Partners',
  'Pinecrest Veterinary Clinic',
  'Bright Path Tutoring',
  'Riverbend Plumbing',
  'Summit Yoga Collective',
  'Lakeside Dental Group',
  'Evergreen Landscaping',
  'Copperleaf Architects',
  'Starlight Dance Academy',
];

let seed = 7;
const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const accent = (s: string) => s.replace(/e/, 'é').replace(/o/, 'ö').replace(/a/, 'á');
const typo = (s: string) => {
  const i = 3 + Math.floor(rand() * (s.length - 5));
  return s[i] === ' ' ? s : s.slice(0, i) + s.slice(i + 1);
};
const swapWords = (s: string) => {
  const w = s.split(' ');
  return w.length > 2 ? [w[1], w[0], ...w.slice(2)].join(' ') : w.reverse().join(' ');
};
const legal = ['Ltd', 'Limited', 'LLC', 'Inc.', 'GmbH', 'S.A.', 'Co.', 'Corp'];
const dropLegal = (s: string) => s.replace(/\s(LLC|GmbH|Ltd|Co|Corporation|SA|FZE|Kft)$/, '');

const pairs: {
  customer: string;
  customerCountry: string;
  customerAddress?: { addressLine1: string; city: string };
  listName: string;
  same: boolean;
  kind: string;
}[] = [];
const cc = (b: (typeof bases)[number]) => b.country || 'US';
for (const b of bases) {
  const core = dropLegal(b.name);
  pairs.push({ customer: b.name.toUpperCase(), customerCountry: cc(b), listName: b.name, same: true, kind: 'case' });
  pairs.push({ customer: accent(b.name), customerCountry: cc(b), listName: b.name, same: true, kind: 'accents' });
  pairs.push({
    customer: `${core.replace(/ /g, pick([' ', '-', ', ', ' & ']))} ${pick(legal)}`,
    customerCountry: cc(b),
    listName: b.name,
    same: true,
    kind: 'punctuation and legal form',
  });
  pairs.push({ customer: typo(core), customerCountry: cc(b), listName: b.name, same: true, kind: 'one typo' });
  pairs.push({ customer: swapWords(core), customerCountry: cc(b), listName: b.name, same: true, kind: 'word order' });
  pairs.push({
    customer: `${typo(core).toLowerCase()} ${pick(legal)}`,
    customerCountry: cc(b),
    listName: b.name,
    same: true,
    kind: 'typo, case and legal form',
  });
  if (b.country)
    pairs.push({
      customer: b.name,
      customerCountry: b.country === 'US' ? 'CA' : 'US',
      listName: b.name,
      same: false,
      kind: 'country differs',
    });
  if (b.alt)
    pairs.push({ customer: `${b.alt} ${pick(legal)}`, customerCountry: cc(b), listName: b.name, same: true, kind: 'alternate name' });
  for (const near of b.near) pairs.push({ customer: near, customerCountry: cc(b), listName: b.name, same: false, kind: 'near miss' });
  pairs.push({ customer: pick(unrelated), customerCountry: cc(b), listName: b.name, same: false, kind: 'unrelated' });
}

// Fictional cities, one per entry, so that a city agreeing says something.
const cities = ['Port Alder', 'Bramblewick', 'Cinder Bay', 'Dunmore Vale', 'Eastwater', 'Fallowmere', 'Glenhollow', 'Hartsfield'];
const listedAddress = (i: number) => ({ addressLine1: `${100 + i} Fictional Avenue`, city: cities[i % cities.length]! });
// Pairs with addresses, after the others, so those stay as they were.
bases.forEach((b, i) => {
  const words = dropLegal(b.name).split(' ');
  const shortened = words.slice(0, -1).join(' ');
  const listed = listedAddress(i);
  const spelt = { ...listed, addressLine1: listed.addressLine1.replace('Avenue', pick(['Ave', 'Ave.', 'avenue'])) };
  pairs.push({
    customer: shortened,
    customerCountry: cc(b),
    customerAddress: spelt,
    listName: b.name,
    same: true,
    kind: 'shortened name at the listed address',
  });
  pairs.push({
    customer: shortened,
    customerCountry: cc(b),
    customerAddress: { addressLine1: `${7 + i} Market Street`, city: 'Elsewhere' },
    listName: b.name,
    same: false,
    kind: 'shortened name elsewhere',
  });
  pairs.push({
    customer: pick(unrelated),
    customerCountry: cc(b),
    customerAddress: listed,
    listName: b.name,
    same: false,
    kind: 'unrelated party at the listed address',
  });
});

const rows = [['_id', 'source', 'name', 'alt_names', 'addresses', 'country', 'programs']];
bases.forEach((b, i) => {
  rows.push([
    `fict-${1000 + i}`,
    b.source,
    b.name,
    b.alt ?? '',
    `${listedAddress(i).addressLine1}, ${listedAddress(i).city}`,
    b.country,
    'FICTIONAL',
  ]);
});
writeFileSync(new URL('../test/fixtures/screening-list.csv', import.meta.url), rows.map(toCsvLine).join(''));
writeFileSync(new URL('../test/fixtures/screening-pairs.json', import.meta.url), `${JSON.stringify(pairs, null, 1)}\n`);
console.log(`${pairs.length} pairs (${pairs.filter((p) => p.same).length} same party), ${bases.length} list entries`);
