import type { InvoicePolicy } from './invoice-policies.js';
import { formatMinor } from './money.js';

/** What an invoice line shows of how its amount came about (the fields of an invoice line). */
export interface InvoiceLineFigures {
  policy: InvoicePolicy;
  /** Licence-days (prorated) or whole licences (the other rules), as a decimal string. */
  quantity: string;
  /** Licence-days over the month, whatever the rule. */
  proratedQuantity: string;
  averageDailyLicences: string;
  averageRoundedUp: number;
  peakLicences: number;
  monthlyPriceMinor: number;
  amountMinor: number;
}

const UNITS = 10_000;

/** '1,255.5': a decimal string with thousands separators, its decimals kept as they are. */
export function groupDigits(decimal: string): string {
  const [whole = '0', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** licence-days ÷ days, to 1/10,000 licence; `exact` when nothing was rounded away. */
function perDay(licenceDays: string, days: number): { text: string; exact: boolean } {
  const [whole = '0', fraction = ''] = licenceDays.split('.');
  const units = BigInt(whole) * BigInt(UNITS) + BigInt(fraction.padEnd(4, '0').slice(0, 4) || '0');
  const d = BigInt(days);
  const rounded = (units * 2n + d) / (d * 2n);
  const w = rounded / BigInt(UNITS);
  const f = rounded % BigInt(UNITS);
  const text = f === 0n ? String(w) : `${w}.${String(f).padStart(4, '0').replace(/0+$/, '')}`;
  return { text: groupDigits(text), exact: units % d === 0n };
}

const money = (minor: number, currency: string | null) => `${groupDigits(formatMinor(minor))}${currency ? ` ${currency}` : ''}`;
const licences = (n: number) => `${groupDigits(String(n))} licence${n === 1 ? '' : 's'}`;

/**
 * How an invoice line's amount came about, in words a customer can check with a calculator:
 * prorated, "1,255.5 licence-days ÷ 31 days = 40.5 × 15.00 = 607.50 USD" (≈ where the quotient is
 * rounded for display: the amount is computed exactly and rounded once); other rules name themselves.
 */
export function explainInvoiceLine(line: InvoiceLineFigures, daysInMonth: number, currency: string | null): string {
  const price = groupDigits(formatMinor(line.monthlyPriceMinor));
  const amount = money(line.amountMinor, currency);
  const days = `${daysInMonth} day${daysInMonth === 1 ? '' : 's'}`;
  if (line.policy === 'average_rounded_up') {
    const avg = perDay(line.proratedQuantity, daysInMonth);
    return `${groupDigits(line.proratedQuantity)} licence-days ÷ ${days} ${avg.exact ? '=' : '≈'} ${avg.text} a day, rounded up to ${licences(line.averageRoundedUp)} × ${price} = ${amount} (policy: average rounded up, not prorated)`;
  }
  if (line.policy === 'peak')
    return `peak of ${licences(line.peakLicences)} on one day × ${price} = ${amount} (policy: peak, not prorated)`;
  const avg = perDay(line.quantity, daysInMonth);
  return `${groupDigits(line.quantity)} licence-days ÷ ${days} ${avg.exact ? '=' : '≈'} ${avg.text} × ${price} = ${amount}`;
}
