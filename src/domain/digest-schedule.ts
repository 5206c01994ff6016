import { addDays } from './calendar.js';

/** A digest subscription's wall-clock time in its own zone. */
export interface DigestTime {
  /** "HH:MM", 24-hour. */
  localTime: string;
  /** IANA zone, e.g. "Europe/London". */
  timeZone: string;
}

export interface DueRun {
  /** The period this run covers: a local date for the daily digest, the reported month for the monthly one. */
  period: string;
  /** When it became due. */
  at: Date;
}

const MINUTE_MS = 60_000;

/** Parses "7:30", "07:30" or "0730" into "07:30"; undefined when it is not a time of day. */
export function parseLocalTime(text: string): string | undefined {
  const m = /^(\d{1,2}):?(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [h, min] = [Number(m[1]), Number(m[2])];
  return h < 24 && min < 60 ? `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let f = formatters.get(timeZone);
  if (!f)
    formatters.set(
      timeZone,
      (f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      })),
    );
  return f;
};

/** The wall-clock reading of an instant in a zone, as UTC-based milliseconds (minute precision). */
function wallClockMs(instant: Date, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
}

/** The zone's UTC offset at an instant, in milliseconds (whole minutes). */
const offsetMs = (instant: Date, timeZone: string) =>
  wallClockMs(instant, timeZone) - Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS;

/** The local date ("YYYY-MM-DD") of an instant in a zone. */
export const localDate = (instant: Date, timeZone: string): string => new Date(wallClockMs(instant, timeZone)).toISOString().slice(0, 10);

/**
 * The instant a wall-clock time happens on a local date. Daylight saving is resolved so that a
 * digest is neither skipped nor doubled: a time that occurs twice (clocks go back) is its first
 * occurrence; a time that does not exist (clocks go forward) moves forward by the gap, so 02:30 on
 * a spring-forward night in New York is 03:30 local.
 */
export function occurrence(date: string, localTime: string, timeZone: string): Date {
  const [h, m] = localTime.split(':').map(Number) as [number, number];
  const naive = Date.parse(`${date}T00:00:00Z`) + (h * 60 + m) * MINUTE_MS;
  const before = offsetMs(new Date(naive - 86_400_000), timeZone);
  const after = offsetMs(new Date(naive + 86_400_000), timeZone);
  const candidates = [...new Set([naive - before, naive - after])]
    .filter((t) => wallClockMs(new Date(t), timeZone) === naive)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? naive - before);
}

/** The latest daily run due at `now`: today's if its time has come, else yesterday's. */
export function latestDailyRun(now: Date, t: DigestTime): DueRun {
  const today = localDate(now, t.timeZone);
  const at = occurrence(today, t.localTime, t.timeZone);
  if (at <= now) return { period: today, at };
  const yesterday = addDays(today, -1);
  return { period: yesterday, at: occurrence(yesterday, t.localTime, t.timeZone) };
}

const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** The latest monthly run due at `now`: on the 1st at the digest time, covering the month before. */
export function latestMonthlyRun(now: Date, t: DigestTime): DueRun {
  const thisMonth = localDate(now, t.timeZone).slice(0, 7);
  const at = occurrence(`${thisMonth}-01`, t.localTime, t.timeZone);
  if (at <= now) return { period: previousMonth(thisMonth), at };
  const lastMonth = previousMonth(thisMonth);
  return { period: previousMonth(lastMonth), at: occurrence(`${lastMonth}-01`, t.localTime, t.timeZone) };
}

/**
 * Whether a run is still owed: it became due after the subscription was set (a new subscription
 * does not post for times already past) and not longer ago than `maxLateMs` (after a long outage,
 * only the latest missed run is posted, and stale ones are not).
 */
export const isOwed = (run: DueRun, subscribedAt: Date, now: Date, maxLateMs = 36 * 3_600_000): boolean =>
  run.at >= subscribedAt && now.getTime() - run.at.getTime() <= maxLateMs;
