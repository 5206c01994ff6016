/** Webex Meetings telephony regions and their default call-in countries. */
export type Region = 'AMER' | 'APAC' | 'ANZ' | 'EMEA' | 'EURO';

export const REGION_DEFAULT_COUNTRY: Readonly<Record<Region, string>> = {
  AMER: 'US',
  APAC: 'SG',
  ANZ: 'AU',
  EMEA: 'GB',
  EURO: 'DE',
};

const AMERICAS = new Set(
  (
    'AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT GY HN HT JM KN KY LC MF MQ MS MX ' +
    'NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI UM'
  ).split(' '),
);
const ANZ = new Set(['AU', 'NZ']);
const ASIA_PACIFIC = new Set(
  (
    'AS BD BN BT CC CK CN CX FJ FM GU HK HM ID IN IO JP KH KI KP KR LA LK MH MM MN MO MP MV MY NC NF NP NR NU PF PG PH ' +
    'PK PN PW SB SG TH TK TL TO TV TW VN VU WF WS AF KZ KG TJ TM UZ'
  ).split(' '),
);
/** EU and EEA members and Switzerland. */
const EURO = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH'.split(' '));

/** Americas → AMER; AU, NZ → ANZ; the rest of Asia-Pacific → APAC; EU/EEA and CH → EURO; else EMEA. */
export function regionOf(country: string): Region {
  if (AMERICAS.has(country)) return 'AMER';
  if (ANZ.has(country)) return 'ANZ';
  if (ASIA_PACIFIC.has(country)) return 'APAC';
  if (EURO.has(country)) return 'EURO';
  return 'EMEA';
}

export interface CallInNumberChoice {
  number: string | null;
  /** `country`: configured for the org's country; `region_default`: the region's default country. */
  source: 'country' | 'region_default';
  region: Region;
  country: string;
}

/**
 * The Meetings default global call-in number: the first number configured for the country in the
 * telephony domain table, otherwise the first number of the region's default country.
 */
export function pickCallInNumber(country: string, numbersByCountry: Readonly<Record<string, readonly string[]>>): CallInNumberChoice {
  const region = regionOf(country);
  const own = numbersByCountry[country]?.[0];
  if (own) return { number: own, source: 'country', region, country };
  const fallbackCountry = REGION_DEFAULT_COUNTRY[region];
  return { number: numbersByCountry[fallbackCountry]?.[0] ?? null, source: 'region_default', region, country: fallbackCountry };
}
