import { parseQuantity } from './billing-report-file.js';
import { fail, ok, problem, type Result } from './problems.js';
import { formatUnits, UNITS_PER_DAY } from './proration.js';

/**
 * How a line of Cisco's report compares with the desk's own figure for the same key: the same
 * quantity (within the tolerance), a different quantity, a line only Cisco has, or one only the desk has.
 */
export const RECONCILIATION_CLASSES = ['match', 'quantity_difference', 'only_cisco', 'only_desk'] as const;
export type ReconciliationClass = (typeof RECONCILIATION_CLASSES)[number];
/** The classes that are differences (everything but a match). */
export const DIFFERENCE_CLASSES: readonly ReconciliationClass[] = ['quantity_difference', 'only_cisco', 'only_desk'];

/** 0.0001 licence-day, the reports' resolution: a difference of one rounding step is a match. */
export const DEFAULT_TOLERANCE_UNITS = 1;

export interface ClassifiedLine {
  class: ReconciliationClass;
  /** Cisco's quantity minus the desk's (a missing side counts 0), 1/10,000 licence-day: positive when Cisco bills more. */
  diffUnits: number;
}

/**
 * The matching rule. A key both sides have matches when the quantities differ by at most the
 * tolerance, else it is a quantity difference; a key on one side only is only_cisco or only_desk,
 * whatever its quantity. The SQL that stores reconciliation lines (repositories/reconciliations.ts)
 * applies the same rule, and an integration test holds it to this function.
 */
export function classifyLine(ciscoUnits: number | null, deskUnits: number | null, toleranceUnits: number): ClassifiedLine {
  const diffUnits = (ciscoUnits ?? 0) - (deskUnits ?? 0);
  if (deskUnits === null) return { class: 'only_cisco', diffUnits };
  if (ciscoUnits === null) return { class: 'only_desk', diffUnits };
  return { class: Math.abs(diffUnits) <= toleranceUnits ? 'match' : 'quantity_difference', diffUnits };
}

/**
 * The money a difference is worth at the price book's monthly price: units are licence-days, so
 * units ÷ 10,000 × price ÷ days in the month, in minor units, rounded half away from zero (a credit
 * and a charge of the same size weigh the same). A match is worth nothing. Exact: BigInt arithmetic.
 */
export function differenceMinor(line: ClassifiedLine, monthlyPriceMinor: number, daysInMonth: number): number {
  if (line.class === 'match' || line.diffUnits === 0) return 0;
  const numerator = BigInt(Math.abs(line.diffUnits)) * BigInt(monthlyPriceMinor);
  const denominator = BigInt(UNITS_PER_DAY) * BigInt(daysInMonth);
  const abs = Number((numerator * 2n + denominator) / (denominator * 2n));
  return line.diffUnits < 0 ? -abs : abs;
}

/** The `tolerance` query value ('0.0001', '0.5') as units; empty is the default. */
export function parseTolerance(text: string | undefined): Result<number> {
  if (text === undefined || text === '') return ok(DEFAULT_TOLERANCE_UNITS);
  const units = parseQuantity(text);
  if (units === undefined || units < 0 || units > 1_000 * UNITS_PER_DAY)
    return fail(problem('invalid_request', 'must be a number of licence-days from 0 to 1000, such as 0.0001', 'tolerance'));
  return ok(units);
}

/** One package's net difference for a digest or chat line; undefined when it nets to nothing. */
export function describePackageDifference(d: { package: string; diffUnits: number; customers: number }): string | undefined {
  if (d.diffUnits === 0) return undefined;
  const across = d.customers === 1 ? '1 customer' : `${d.customers} customers`;
  return `Cisco billed ${formatUnits(Math.abs(d.diffUnits))} units of ${d.package} ${d.diffUnits > 0 ? 'more' : 'less'} than our ledger, across ${across}`;
}
