import { describe, expect, it } from 'vitest';
import {
  classifyLine,
  DEFAULT_TOLERANCE_UNITS,
  describePackageDifference,
  differenceMinor,
  parseTolerance,
} from '../../src/domain/reconciliation.js';

describe('classifying a line', () => {
  // Units are 1/10,000 licence-day: 310,000 is 31 days.
  it.each([
    ['equal quantities', 310_000, 310_000, 1, 'match', 0],
    ['one rounding step apart, default tolerance', 310_001, 310_000, DEFAULT_TOLERANCE_UNITS, 'match', 1],
    ['one step below, default tolerance', 309_999, 310_000, DEFAULT_TOLERANCE_UNITS, 'match', -1],
    ['two steps apart', 310_002, 310_000, DEFAULT_TOLERANCE_UNITS, 'quantity_difference', 2],
    ['Cisco 0.5 more', 315_000, 310_000, 1, 'quantity_difference', 5_000],
    ['Cisco 0.5 less', 305_000, 310_000, 1, 'quantity_difference', -5_000],
    ['0.5 apart within a tolerance of 0.5', 315_000, 310_000, 5_000, 'match', 5_000],
    ['zero tolerance: any step differs', 310_001, 310_000, 0, 'quantity_difference', 1],
    ['only in Cisco', 310_000, null, 1, 'only_cisco', 310_000],
    ['only in Cisco, even with no quantity', 0, null, 1, 'only_cisco', 0],
    ['only in the desk', null, 42_500, 1, 'only_desk', -42_500],
  ] as const)('%s', (_name, cisco, desk, tolerance, cls, diff) => {
    expect(classifyLine(cisco, desk, tolerance)).toEqual({ class: cls, diffUnits: diff });
  });
});

describe('money of a difference', () => {
  // 30-day month, 3,000 (30.00) a month: 1 licence-day is 100 (1.00).
  it.each([
    ['one licence-day', 10_000, 3_000, 30, 100],
    ['half a day', 5_000, 3_000, 30, 50],
    ['a credit weighs the same, negative', -5_000, 3_000, 30, -50],
    ['rounded half away from zero', 5, 1_000, 1, 1],
    ['rounded half away from zero, negative', -5, 1_000, 1, -1],
    ['below half a minor unit', 4, 1_000, 1, 0],
    ['31-day month', 310_000, 2_499, 31, 2_499],
    ['12.5 days of 25.99 in a 30-day month', 125_000, 2_599, 30, 1_083],
  ])('%s', (_n, diffUnits, price, days, minor) => {
    expect(differenceMinor({ class: 'quantity_difference', diffUnits }, price, days)).toBe(minor);
  });
  it('a match is worth nothing whatever its step', () => {
    expect(differenceMinor({ class: 'match', diffUnits: 1 }, 1_000_000, 28)).toBe(0);
  });
});

describe('tolerance', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['0', 0],
    ['0.0001', 1],
    ['0.5', 5_000],
  ])('%j → %s units', (text, units) => expect(parseTolerance(text)).toEqual({ ok: true, value: units }));
  it.each(['-1', 'abc', '5000'])('refuses %j', (text) => expect(parseTolerance(text).ok).toBe(false));
});

describe('digest line per package', () => {
  it.each([
    [
      { package: 'webex_calling', diffUnits: 125_000, customers: 3 },
      'Cisco billed 12.5 units of webex_calling more than our ledger, across 3 customers',
    ],
    [
      { package: 'webex_meetings', diffUnits: -5_000, customers: 1 },
      'Cisco billed 0.5 units of webex_meetings less than our ledger, across 1 customer',
    ],
    [{ package: 'webex_suite', diffUnits: 0, customers: 2 }, undefined],
  ])('%j', (d, text) => expect(describePackageDifference(d)).toBe(text));
});
