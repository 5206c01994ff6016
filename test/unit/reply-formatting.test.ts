import { describe, expect, it } from 'vitest';
import { countOf } from '../../src/bot/plural.js';
import { explainInvoiceLine, groupDigits, type InvoiceLineFigures } from '../../src/domain/invoice-arithmetic.js';
import { didYouMean, nearNames } from '../../src/domain/near-names.js';
import { buildUsageChartSvg, licenceAxisTicks } from '../../src/domain/usage-chart.js';

describe('plurals', () => {
  it.each([
    [0, 'row', '0 rows'],
    [1, 'row', '1 row'],
    [2, 'row', '2 rows'],
    [1, 'customer', '1 customer'],
    [10_000, 'user', '10,000 users'],
  ])('%i %s → %s', (n, noun, text) => expect(countOf(n, noun)).toBe(text));
  it('takes an irregular plural', () => expect(countOf(3, 'entry', 'entries')).toBe('3 entries'));
});

describe('whole-number ticks for licence counts', () => {
  it.each([
    [0, [0, 1]],
    [0.4, [0, 1]],
    [4.2, [0, 1, 2, 3, 4, 5]],
    [5, [0, 1, 2, 3, 4, 5]],
    [7, [0, 2, 4, 6, 8]],
    [37, [0, 10, 20, 30, 40]],
    [88, [0, 20, 40, 60, 80, 100]],
    [1_200, [0, 500, 1_000, 1_500]],
  ])('a maximum of %d → %o', (max, ticks) => expect(licenceAxisTicks(max)).toEqual(ticks));

  it('labels the chart with whole numbers only (was 1.3, 2.5, 3.8 for up to 5 licences)', () => {
    const svg = buildUsageChartSvg('t', ['2026-06-01', '2026-06-02'], [{ label: 'webex_calling', values: [4.2, 5] }]);
    const labels = [...svg.matchAll(/text-anchor="end" fill="#5f6368">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '1', '2', '3', '4', '5']);
  });
});

describe('invoice lines explain their arithmetic', () => {
  const line = (f: Partial<InvoiceLineFigures>): InvoiceLineFigures => ({
    policy: 'prorated',
    quantity: '1255.5',
    proratedQuantity: '1255.5',
    averageDailyLicences: '40.5',
    averageRoundedUp: 41,
    peakLicences: 44,
    monthlyPriceMinor: 1500,
    amountMinor: 60_750,
    ...f,
  });
  it.each([
    [line({}), 31, 'USD', '1,255.5 licence-days ÷ 31 days = 40.5 × 15.00 = 607.50 USD'],
    [line({ quantity: '100', amountMinor: 4839 }), 31, 'EUR', '100 licence-days ÷ 31 days ≈ 3.2258 × 15.00 = 48.39 EUR'],
    [
      line({ policy: 'average_rounded_up', amountMinor: 61_500 }),
      31,
      'USD',
      '1,255.5 licence-days ÷ 31 days = 40.5 a day, rounded up to 41 licences × 15.00 = 615.00 USD (policy: average rounded up, not prorated)',
    ],
    [
      line({ policy: 'peak', peakLicences: 1, amountMinor: 1500 }),
      30,
      'USD',
      'peak of 1 licence on one day × 15.00 = 15.00 USD (policy: peak, not prorated)',
    ],
  ])('%#: %s', (l, days, currency, text) => expect(explainInvoiceLine(l, days, currency)).toBe(text));
  it.each([
    ['0', '0'],
    ['999', '999'],
    ['1255.5', '1,255.5'],
    ['1234567.25', '1,234,567.25'],
  ])('groups %s as %s', (raw, text) => expect(groupDigits(raw)).toBe(text));
});

describe('near names for a failed exact lookup', () => {
  const names = ['Bravo Clinic', 'Alder Dental', 'Alder Dentistry', 'Acme Dental', 'Brook Law'];
  it.each([
    ['bravo', ['Bravo Clinic']],
    ['clinic', ['Bravo Clinic']],
    ['alder dentl', ['Alder Dental', 'Alder Dentistry']],
    ['brok law', ['Brook Law']],
    ['zeta', []],
  ])('%s → %o', (typed, near) => expect(nearNames(typed, names)).toEqual(near));
  it.each([
    [[], ''],
    [['Bravo Clinic'], 'Did you mean Bravo Clinic?'],
    [['A', 'B', 'C'], 'Did you mean A, B or C?'],
  ])('%o → "%s"', (near, text) => expect(didYouMean(near)).toBe(text));
});
