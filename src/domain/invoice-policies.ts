import { chargeMinor } from './money.js';
import { SECONDS_PER_DAY, UNITS_PER_DAY } from './proration.js';

/**
 * How a package is billed for a month, per customer (the price book says which, per package):
 * - `prorated`: licence-days × monthly price ÷ days in the month (the desk's rule so far);
 * - `average_rounded_up`: the average daily licences over the month, rounded up to whole licences, × the monthly price
 *   (what SPs who bill "billable units" do: Cisco's QUANTITY ÷ days in the month, rounded up);
 * - `peak`: the most licences held on any one day of the month (any part of the day) × the monthly price.
 */
export const INVOICE_POLICIES = ['prorated', 'average_rounded_up', 'peak'] as const;
export type InvoicePolicy = (typeof INVOICE_POLICIES)[number];

export interface PolicyFigures {
  /** Licence-days, 1/10,000 (the reports' QUANTITY). */
  proratedUnits: number;
  /** Average daily licences over the month, 1/10,000 licence, rounded half-up. */
  averageUnits: number;
  /** The exact average rounded up to whole licences (not the rounded average: 1.00001 is 2). */
  averageRoundedUp: number;
  /** Most licences held on one day. */
  peak: number;
}

/** A customer's figures for one package: from held seconds over the month and the most holders on a day. */
export function policyFigures(seconds: number, peakHolders: number, daysInMonth: number): PolicyFigures {
  const monthSeconds = SECONDS_PER_DAY * daysInMonth;
  return {
    proratedUnits: Math.floor((seconds * UNITS_PER_DAY + SECONDS_PER_DAY / 2) / SECONDS_PER_DAY),
    averageUnits: Math.floor((seconds * UNITS_PER_DAY * 2 + monthSeconds) / (monthSeconds * 2)),
    averageRoundedUp: Number((BigInt(seconds) + BigInt(monthSeconds) - 1n) / BigInt(monthSeconds)),
    peak: peakHolders,
  };
}

/** The amount a policy bills, in minor units: prorated from the seconds (exact, rounded half-up), else whole licences × price. */
export function policyChargeMinor(
  policy: InvoicePolicy,
  seconds: number,
  figures: PolicyFigures,
  monthlyPriceMinor: number,
  daysInMonth: number,
): number {
  if (policy === 'average_rounded_up') return figures.averageRoundedUp * monthlyPriceMinor;
  if (policy === 'peak') return figures.peak * monthlyPriceMinor;
  return chargeMinor(seconds, monthlyPriceMinor, daysInMonth);
}
