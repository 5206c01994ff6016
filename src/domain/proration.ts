import { addDays, startOfDay } from './calendar.js';
import type { HeldInterval } from './ledger.js';

export const SECONDS_PER_DAY = 86_400;
/** Quantities are kept in 1/10,000 of a day: four decimals, integers all the way. */
export const UNITS_PER_DAY = 10_000;

export interface BillingPeriod {
  /** First day, inclusive, 'YYYY-MM-DD' (UTC days). */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/**
 * Seconds held per UTC day within the period, for one package's intervals. Nothing before
 * `billingStart` counts: a day (the customer's billingStartDate) or an instant (`billingOpensAt`).
 */
export function secondsPerDay(
  intervals: readonly HeldInterval[],
  period: BillingPeriod,
  billingStart: string | Date | null = null,
): Map<string, number> {
  const opens =
    billingStart === null
      ? Number.NEGATIVE_INFINITY
      : (typeof billingStart === 'string' ? startOfDay(billingStart) : billingStart).getTime();
  const periodStart = Math.max(startOfDay(period.from).getTime(), opens);
  const periodEnd = startOfDay(addDays(period.to, 1)).getTime();
  const days = new Map<string, number>();
  for (const iv of intervals) {
    let s = Math.max(iv.start.getTime(), periodStart);
    const e = Math.min(iv.end ? iv.end.getTime() : Number.POSITIVE_INFINITY, periodEnd);
    while (s < e) {
      const dayStart = s - (s % 86_400_000);
      const dayEnd = Math.min(dayStart + 86_400_000, e);
      const key = new Date(dayStart).toISOString().slice(0, 10);
      days.set(key, (days.get(key) ?? 0) + Math.round((dayEnd - s) / 1000));
      s = dayEnd;
    }
  }
  return days;
}

/** The quantity of one subscriber-package row: Σ daily fractions, rounded half-up to 1/10,000 day. */
export function secondsToUnits(seconds: number): number {
  return Math.floor((seconds * UNITS_PER_DAY + SECONDS_PER_DAY / 2) / SECONDS_PER_DAY);
}

/** '30', '0.5', '12.3457': at most four decimals, no trailing zeros. */
export function formatUnits(units: number): string {
  const whole = Math.floor(units / UNITS_PER_DAY);
  const frac = units % UNITS_PER_DAY;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(4, '0').replace(/0+$/, '')}`;
}
