import { describe, expect, it } from 'vitest';
import { planReport } from '../../src/domain/billing-reports.js';
import { deriveIntervals, type PackageFact } from '../../src/domain/ledger.js';
import { chargeMinor, daysInMonth, formatMinor } from '../../src/domain/money.js';
import { formatUnits, secondsPerDay, secondsToUnits } from '../../src/domain/proration.js';

const f = (pkg: string | null, at: string, seq: number): PackageFact => ({ package: pkg, at: new Date(at), seq });

/** Total quantity (in days, 4 decimals) per package of one subscriber's facts over a period. */
function quantities(facts: PackageFact[], from: string, to: string, billingStart: string | null = null): Record<string, string> {
  const intervals = deriveIntervals(facts);
  const out: Record<string, string> = {};
  for (const pkg of new Set(intervals.map((i) => i.package))) {
    const days = secondsPerDay(
      intervals.filter((i) => i.package === pkg),
      { from, to },
      billingStart,
    );
    const seconds = [...days.values()].reduce((a, b) => a + b, 0);
    if (seconds > 0) out[pkg] = formatUnits(secondsToUnits(seconds));
  }
  return out;
}

describe('daily proration', () => {
  it.each<[string, PackageFact[], string, string, string | null, Record<string, string>]>([
    ['whole month (31 days)', [f('webex_calling', '2026-01-01T00:00:00Z', 1)], '2026-03-01', '2026-03-31', null, { webex_calling: '31' }],
    ['whole month of 30 days', [f('webex_calling', '2026-01-01T00:00:00Z', 1)], '2026-04-01', '2026-04-30', null, { webex_calling: '30' }],
    ['February, 28 days', [f('webex_suite', '2025-12-01T00:00:00Z', 1)], '2026-02-01', '2026-02-28', null, { webex_suite: '28' }],
    [
      'February of a leap year, 29 days',
      [f('webex_suite', '2023-12-01T00:00:00Z', 1)],
      '2024-02-01',
      '2024-02-29',
      null,
      { webex_suite: '29' },
    ],
    ['the leap day alone', [f('webex_suite', '2024-02-29T06:00:00Z', 1)], '2024-02-29', '2024-02-29', null, { webex_suite: '0.75' }],
    [
      'assigned at noon: half a day',
      [f('webex_meetings', '2026-03-10T12:00:00Z', 1)],
      '2026-03-10',
      '2026-03-10',
      null,
      { webex_meetings: '0.5' },
    ],
    [
      'assigned at noon, billed through month end',
      [f('webex_meetings', '2026-03-10T12:00:00Z', 1)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_meetings: '21.5' },
    ],
    [
      'assigned and removed inside one day',
      [f('webex_calling', '2026-03-10T06:00:00Z', 1), f(null, '2026-03-10T12:00:00Z', 2)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '0.25' },
    ],
    [
      'package change mid-day',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1), f('webex_suite', '2026-03-15T18:00:00Z', 2)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '14.75', webex_suite: '16.25' },
    ],
    [
      'back-dated change recorded after a later one',
      [
        f('webex_calling', '2026-03-01T00:00:00Z', 1),
        f('webex_suite', '2026-03-21T00:00:00Z', 2),
        f('webex_meetings', '2026-03-11T00:00:00Z', 3),
      ],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '10', webex_meetings: '10', webex_suite: '11' },
    ],
    [
      'billingStartDate defers billing',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1)],
      '2026-03-01',
      '2026-03-31',
      '2026-03-21',
      { webex_calling: '11' },
    ],
    [
      'billingStartDate after the period bills nothing',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1)],
      '2026-03-01',
      '2026-03-31',
      '2026-04-05',
      {},
    ],
    [
      'removal is final: facts after it do not bill',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1), f(null, '2026-03-05T00:00:00Z', 2), f('webex_suite', '2026-03-10T00:00:00Z', 3)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '4' },
    ],
    [
      'a back-dated removal cuts a later change',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1), f('webex_suite', '2026-03-20T00:00:00Z', 2), f(null, '2026-03-10T00:00:00Z', 3)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '9' },
    ],
    [
      'provisioning failed: zero-length',
      [f('webex_calling', '2026-03-05T10:00:00Z', 1), f(null, '2026-03-05T10:00:00Z', 2)],
      '2026-03-01',
      '2026-03-31',
      null,
      {},
    ],
    [
      'one second: a row, quantity 0',
      [f('webex_calling', '2026-03-31T23:59:59Z', 1)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '0' },
    ],
    [
      'nine seconds round to 0.0001',
      [f('webex_calling', '2026-03-31T23:59:51Z', 1)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '0.0001' },
    ],
    ['a third of a day', [f('webex_calling', '2026-03-31T16:00:00Z', 1)], '2026-03-01', '2026-03-31', null, { webex_calling: '0.3333' }],
    [
      'assigned before, removed after the period',
      [f('webex_calling', '2026-02-20T00:00:00Z', 1), f(null, '2026-04-03T00:00:00Z', 2)],
      '2026-03-01',
      '2026-03-31',
      null,
      { webex_calling: '31' },
    ],
  ])('%s', (_name, facts, from, to, billingStart, expected) => {
    expect(quantities(facts, from, to, billingStart)).toEqual(expected);
  });

  it('a subscriber removed and re-added is two subscribers whose days add up', () => {
    const first = quantities(
      [f('webex_calling', '2026-03-01T00:00:00Z', 1), f(null, '2026-03-11T00:00:00Z', 2)],
      '2026-03-01',
      '2026-03-31',
    );
    const second = quantities([f('webex_calling', '2026-03-21T12:00:00Z', 3)], '2026-03-01', '2026-03-31');
    expect([first, second]).toEqual([{ webex_calling: '10' }, { webex_calling: '10.5' }]);
  });

  it('splits seconds by UTC day: 1 for a full day, the fraction at the edges', () => {
    const days = secondsPerDay(deriveIntervals([f('webex_calling', '2026-03-30T18:00:00Z', 1), f(null, '2026-04-01T06:00:00Z', 2)]), {
      from: '2026-03-01',
      to: '2026-04-30',
    });
    expect(Object.fromEntries(days)).toEqual({ '2026-03-30': 21_600, '2026-03-31': 86_400, '2026-04-01': 21_600 });
  });
});

describe('quantities and money', () => {
  it.each([
    [0, '0'],
    [10_000, '1'],
    [5_000, '0.5'],
    [123_457, '12.3457'],
    [1, '0.0001'],
    [310_000, '31'],
    [12_340, '1.234'],
  ])('%i units → %s', (units, text) => expect(formatUnits(units)).toBe(text));

  it.each([
    [86_400, 10_000],
    [43_200, 5_000],
    [4, 0],
    [5, 1],
    [13, 2],
    [28_800, 3_333],
  ])('%i seconds → %i units (half-up)', (seconds, units) => expect(secondsToUnits(seconds)).toBe(units));

  it.each([
    ['whole 31-day month at 12.00', 31 * 86_400, 1200, 31, 1200],
    ['whole 28-day month', 28 * 86_400, 1000, 28, 1000],
    ['half a 30-day month', 15 * 86_400, 1000, 30, 500],
    ['one day of a 31-day month at 10.00 (32.258… cents)', 86_400, 1000, 31, 32],
    ['half-up at exactly .5', 43_200, 2, 1, 1],
    ['below .5 rounds down', 43_199, 2, 1, 1],
    ['zero price', 86_400, 0, 30, 0],
    ['large: 20,000 subscriber-months at 99.99', 20_000 * 30 * 86_400, 9999, 30, 199_980_000],
  ])('%s', (_n, seconds, price, days, expected) => expect(chargeMinor(seconds, price, days)).toBe(expected));

  it.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2024-02', 29],
    ['2026-04', 30],
    ['2026-12', 31],
  ])('%s has %i days', (m, d) => expect(daysInMonth(m)).toBe(d));
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1234, '12.34'],
    [-250, '-2.50'],
  ])('%i minor → %s', (m, s) => expect(formatMinor(m)).toBe(s));
});

describe('planReport', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it.each([
    [
      { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31' },
      { type: 'PARTNER', category: 'RECONCILIATION', from: '2026-05-01', to: '2026-05-31' },
    ],
    [
      { billingStartDate: '2026-06-14', billingEndDate: '2026-06-14', type: 'USER' as const },
      { type: 'USER', category: 'RECONCILIATION', from: '2026-06-14', to: '2026-06-14' },
    ],
    [
      { billingStartDate: '2021-06-15', billingEndDate: '2021-06-30' },
      { type: 'PARTNER', category: 'RECONCILIATION', from: '2021-06-15', to: '2021-06-30' },
    ],
    [
      { category: 'POINT_IN_TIME' as const, type: 'CUSTOMER' as const, billingStartDate: '2026-06-10', billingEndDate: '2026-06-14' },
      { type: 'CUSTOMER', category: 'POINT_IN_TIME', from: '2026-06-10', to: '2026-06-14' },
    ],
  ])('accepts %j', (req, plan) => expect(planReport(req, now)).toEqual({ ok: true, value: plan }));
  it.each([
    [{ billingStartDate: '2026-06-01', billingEndDate: '2026-06-15' }, ['billingEndDate']],
    [{ billingStartDate: '2026-06-16', billingEndDate: '2026-06-20' }, ['billingStartDate', 'billingEndDate']],
    [{ billingStartDate: '2021-06-14', billingEndDate: '2021-06-30' }, ['billingStartDate']],
    [{ billingStartDate: '2026-05-10', billingEndDate: '2026-05-01' }, ['billingStartDate']],
    [{ billingStartDate: '2026/05/01', billingEndDate: '2026-05-31' }, ['billingStartDate']],
    [{ billingStartDate: '2026-02-30', billingEndDate: '2026-03-31' }, ['billingStartDate']],
    [{}, ['billingStartDate', 'billingEndDate']],
    // POINT_IN_TIME keeps the dates asked for: required, and never today (Cisco's create requires both dates).
    [{ category: 'POINT_IN_TIME' as const }, ['billingStartDate', 'billingEndDate']],
    [
      { category: 'POINT_IN_TIME' as const, billingStartDate: '2026-06-15', billingEndDate: '2026-06-15' },
      ['billingStartDate', 'billingEndDate'],
    ],
  ])('refuses %j at %j', (req, fields) => {
    const r = planReport(req, now);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(fields);
  });
});

describe('add-on streams (issue #18 item 4)', () => {
  const a = (slot: string, pkg: string | null, at: string, seq: number): PackageFact => ({ slot, package: pkg, at: new Date(at), seq });
  it.each<[string, PackageFact[], Record<string, string>]>([
    [
      'an add-on accrues beside the base package instead of replacing it',
      [f('webex_calling', '2026-03-01T00:00:00Z', 1), a('attendant_console', 'attendant_console', '2026-03-11T00:00:00Z', 2)],
      { webex_calling: '31', attendant_console: '21' },
    ],
    [
      'dropping the add-on ends only the add-on; taking it again resumes it',
      [
        f('webex_calling', '2026-03-01T00:00:00Z', 1),
        a('attendant_console', 'attendant_console', '2026-03-01T00:00:00Z', 2),
        a('attendant_console', null, '2026-03-11T00:00:00Z', 3),
        a('attendant_console', 'attendant_console', '2026-03-21T00:00:00Z', 4),
      ],
      { webex_calling: '31', attendant_console: '21' },
    ],
    [
      "a base package change does not touch the add-on's stream",
      [
        f('webex_calling', '2026-03-01T00:00:00Z', 1),
        a('cisco_calling_plan', 'cisco_calling_plan', '2026-03-01T00:00:00Z', 2),
        f('webex_suite', '2026-03-16T00:00:00Z', 3),
      ],
      { webex_calling: '15', webex_suite: '16', cisco_calling_plan: '31' },
    ],
    [
      "the holder's removal (base slot) ends every add-on, even one recorded later",
      [
        f('webex_calling', '2026-03-01T00:00:00Z', 1),
        f(null, '2026-03-11T00:00:00Z', 2),
        a('attendant_console', 'attendant_console', '2026-03-06T00:00:00Z', 3),
        a('attendant_console', 'attendant_console', '2026-03-20T00:00:00Z', 4),
      ],
      { webex_calling: '10', attendant_console: '5' },
    ],
  ])('%s', (_, facts, expected) => expect(quantities(facts, '2026-03-01', '2026-03-31')).toEqual(expected));
});
