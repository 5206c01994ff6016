import { SECONDS_PER_DAY } from './proration.js';

/**
 * The SP's charge for a usage: seconds held × monthly price ÷ (seconds per day × days in the month),
 * in integer minor units, rounded half-up once per invoice line. Exact: BigInt rational arithmetic.
 */
export function chargeMinor(seconds: number, monthlyPriceMinor: number, daysInMonth: number): number {
  const numerator = BigInt(seconds) * BigInt(monthlyPriceMinor);
  const denominator = BigInt(SECONDS_PER_DAY) * BigInt(daysInMonth);
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** '12.34' for 1234 minor units of a two-decimal currency. */
export function formatMinor(minor: number, decimals = 2): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const scale = 10 ** decimals;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(decimals, '0')}`;
}
