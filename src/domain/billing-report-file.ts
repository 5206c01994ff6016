import type { ReportType } from './billing-reports.js';
import { isCivilDate } from './calendar.js';
import { toPackageId } from './packages.js';
import { UNITS_PER_DAY } from './proration.js';

/**
 * Cisco's billing report as uploaded: columns are found by name, never by position (Cisco's column
 * order has changed between versions, and a spreadsheet round trip may reorder them). The report type
 * follows from which columns exist: a subscriber or workspace column makes it USER, a customer column
 * CUSTOMER, otherwise PARTNER. Only the columns matching reads are required; SKU, DESCRIPTION and the
 * partner's name are informative (and the SKU header is localised in some copies), so they are not.
 */
const BASE_COLUMNS = ['SERVICE_NAME', 'CONSUMPTION_START_DATE', 'CONSUMPTION_END_DATE', 'QUANTITY'] as const;
const CUSTOMER_COLUMNS = ['CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID'] as const;

export const REQUIRED_FILE_COLUMNS: Readonly<Record<ReportType, readonly string[]>> = {
  PARTNER: BASE_COLUMNS,
  CUSTOMER: [...BASE_COLUMNS, ...CUSTOMER_COLUMNS, 'LOCATION_ID'],
  USER: [...BASE_COLUMNS, ...CUSTOMER_COLUMNS, 'SUBSCRIBER_ID', 'WORKSPACE_ID'],
};

const USER_MARKERS = ['SUBSCRIBER_ID', 'USER_ID', 'WORKSPACE_ID'];
const CUSTOMER_MARKERS = ['CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID'];

export interface FileLayout {
  type: ReportType;
  /** Column name → its position in this file. */
  at: ReadonlyMap<string, number>;
}

export type LayoutResult = { ok: true; layout: FileLayout } | { ok: false; type: ReportType; missing: string[] };

/** The report type and where each column is, from the header row; or the type guessed and the columns it lacks. */
export function readFileLayout(header: readonly string[]): LayoutResult {
  const names = header.map((h) => h.trim().toUpperCase());
  const has = (c: string) => names.includes(c);
  const type: ReportType = USER_MARKERS.some(has) ? 'USER' : CUSTOMER_MARKERS.some(has) ? 'CUSTOMER' : 'PARTNER';
  const missing = REQUIRED_FILE_COLUMNS[type].filter((c) => !has(c));
  if (missing.length) return { ok: false, type, missing };
  const at = new Map<string, number>();
  names.forEach((n, i) => {
    if (!at.has(n)) at.set(n, i);
  });
  return { ok: true, layout: { type, at } };
}

/**
 * One line of the file at the level the file has: USER lines are keyed on the subscriber or the
 * workspace (whichever is filled) and the package; CUSTOMER lines on the customer's org id (its
 * external id when the org id is empty), location and package; PARTNER lines on the package.
 */
export interface FileLine {
  package: string;
  /** The subscriber or workspace (USER), the customer (CUSTOMER), '' (PARTNER). */
  entityId: string;
  /** CUSTOMER only, else ''. */
  locationId: string;
  customerOrgId: string;
  customerExternalId: string;
  /** 1/10,000 of a licence-day. */
  units: number;
}

export type LineResult = { ok: true; line: FileLine } | { ok: false; message: string };

/** A line's fields as the desk keys and counts them, checked against the period reconciled. */
export function readFileLine(record: readonly string[], layout: FileLayout, period: { from: string; to: string }): LineResult {
  const field = (name: string) => {
    const i = layout.at.get(name);
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const service = field('SERVICE_NAME');
  if (!service) return { ok: false, message: 'SERVICE_NAME is empty' };
  const units = parseQuantity(field('QUANTITY'));
  if (units === undefined) return { ok: false, message: `QUANTITY "${field('QUANTITY')}" is not a number` };
  const start = field('CONSUMPTION_START_DATE').slice(0, 10);
  const end = field('CONSUMPTION_END_DATE').slice(0, 10);
  for (const [name, d] of [
    ['CONSUMPTION_START_DATE', start],
    ['CONSUMPTION_END_DATE', end],
  ] as const) {
    if (!isKnownCivilDate(d)) return { ok: false, message: `${name} "${field(name)}" is not a YYYY-MM-DD date` };
    if (d < period.from || d > period.to)
      return { ok: false, message: `${name} ${d} is outside the period ${period.from}..${period.to}; is this the report for that period?` };
  }
  const customerOrgId = field('CUSTOMER_ORG_ID');
  const customerExternalId = field('CUSTOMER_EXTERNAL_ID');
  let entityId = '';
  let locationId = '';
  if (layout.type === 'USER') {
    entityId = field('SUBSCRIBER_ID') || field('WORKSPACE_ID');
    if (!entityId) return { ok: false, message: 'both SUBSCRIBER_ID and WORKSPACE_ID are empty' };
  } else if (layout.type === 'CUSTOMER') {
    entityId = customerOrgId || customerExternalId;
    if (!entityId) return { ok: false, message: 'both CUSTOMER_ORG_ID and CUSTOMER_EXTERNAL_ID are empty' };
    locationId = field('LOCATION_ID');
  }
  return {
    ok: true,
    line: { package: toServicePackage(service), entityId, locationId, customerOrgId, customerExternalId, units },
  };
}

/** A report repeats the same few dates on every line: each distinct string is checked once (the cache stays small: a bad date ends the file). */
const civilDates = new Map<string, boolean>();
function isKnownCivilDate(d: string): boolean {
  let known = civilDates.get(d);
  if (known === undefined) {
    known = isCivilDate(d);
    if (civilDates.size < 4096) civilDates.set(d, known);
  }
  return known;
}

/** SERVICE_NAME (`WEBEX_CALLING`) as the desk's package id; a service the desk does not know stays itself, lower case. */
export const toServicePackage = (service: string): string => {
  const id = service
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return toPackageId(id) ?? id;
};

/**
 * '12.5' → 125,000 (1/10,000 day), rounded half-up (away from zero) past four decimals; credits may
 * be negative. undefined when it is not a decimal number.
 */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?)(\d{1,12})(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return undefined;
  const digits = m[3] ?? '';
  const frac = Number(digits.slice(0, 4).padEnd(4, '0')) + (Number(digits[4] ?? '0') >= 5 ? 1 : 0);
  const units = Number(m[2]) * UNITS_PER_DAY + frac;
  return m[1] === '-' && units !== 0 ? -units : units;
}
