import { isCivilDate } from './calendar.js';

/** What a caller is told when a date is not a date: the forms accepted, and why another time is not. */
export const CIVIL_DATE_FORMS = 'a date, YYYY-MM-DD (or that date at midnight UTC, YYYY-MM-DDT00:00:00Z)';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

export type DateParameter = { ok: true; date: string } | { ok: false; message: string };

/**
 * A billing date as clients send it: the plain date Cisco's examples use, or the same day as a date-time at
 * exactly midnight UTC (what client libraries serialise a date into). Any other time names a different
 * instant than a whole day, so it is refused with a message that says so rather than rounded.
 */
export function readDateParameter(value: string): DateParameter {
  if (isCivilDate(value)) return { ok: true, date: value };
  const m = DATE_TIME.exec(value);
  if (!m || !isCivilDate(m[1] as string)) return { ok: false, message: `must be ${CIVIL_DATE_FORMS}` };
  const midnight = m[2] === '00' && m[3] === '00' && /^0*$/.test(m[4] ?? '') && /^0*$/.test(m[5] ?? '');
  const utc = /^(Z|[+-]00:?00)$/i.test(m[6] as string);
  if (!midnight || !utc)
    return {
      ok: false,
      message: `must be ${CIVIL_DATE_FORMS}: ${value} is not midnight UTC, and a billing date is a whole day (send ${m[1]} for that day)`,
    };
  return { ok: true, date: m[1] as string };
}

export type InstantParameter = { ok: true; instant: Date } | { ok: false; message: string };

const INSTANT_FORMS = 'epoch milliseconds (e.g. 1795910400000) or an ISO 8601 date or date-time with a zone (e.g. 2026-11-29T00:00:00Z)';

/**
 * Cisco's `after` and `lastStatusChange`: "Epoch time (in milliseconds) preferred, but ISO 8601 date format also
 * accepted". A date alone is its midnight UTC; a date-time without a zone is refused (whose midnight?).
 */
export function readInstantParameter(value: string): InstantParameter {
  if (/^\d{1,15}$/.test(value)) return { ok: true, instant: new Date(Number(value)) };
  if (isCivilDate(value)) return { ok: true, instant: new Date(`${value}T00:00:00Z`) };
  const m = DATE_TIME.exec(value);
  const ms =
    m && isCivilDate(m[1] as string)
      ? Date.parse(
          `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}.${(m[5] ?? '').padEnd(3, '0').slice(0, 3)}${(m[6] as string).toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`,
        )
      : Number.NaN;
  if (Number.isNaN(ms)) return { ok: false, message: `must be ${INSTANT_FORMS}` };
  return { ok: true, instant: new Date(ms) };
}

/**
 * For fields whose own rules judge the date (and name their own error): a date-time at midnight UTC becomes
 * its date, a date-time at any other time is refused here with the reason, anything else passes unchanged.
 */
export function normalizeDateParameter(value: string): { ok: true; value: string } | { ok: false; message: string } {
  if (!/^\d{4}-\d{2}-\d{2}T/i.test(value)) return { ok: true, value };
  const read = readDateParameter(value);
  return read.ok ? { ok: true, value: read.date } : read;
}
