import { PACKAGES, toPackageId } from './packages.js';
import { UNITS_PER_DAY } from './proration.js';

/** A package's display name; an id the catalogue no longer knows is shown as it is. */
export function packageName(id: string): string {
  const known = toPackageId(id);
  return known ? PACKAGES[known].label : id;
}

/** Rounded half away from zero to `decimals` places, without binary-fraction surprises (2.25 → 2.3). */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.sign(value) * (Math.round(Math.abs(value) * scale + 1e-9) / scale);
}

/**
 * How much of a package the month so far used, for people: licence-days to one decimal, and the
 * average number of licences held on each counted day (null before a day of the month has ended).
 */
export function packageUsageFigures(units: number, daysCounted: number): { licenceDays: number; averageLicences: number | null } {
  const licenceDays = units / UNITS_PER_DAY;
  return { licenceDays: roundTo(licenceDays, 1), averageLicences: daysCounted > 0 ? roundTo(licenceDays / daysCounted, 1) : null };
}

/** Days of the month counted so far: the day-of-month of the last ended day ('2026-07-09' → 9). */
export const daysCountedThrough = (through: string | null): number => (through ? Number(through.slice(8, 10)) : 0);
