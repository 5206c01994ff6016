import { describe, expect, it } from 'vitest';
import { billingOpensAt, checkNotBeforeCreation, checkSubPartnerBillingStart, planBillingMonth } from '../../src/domain/billing-window.js';
import { deriveIntervals } from '../../src/domain/ledger.js';
import { secondsPerDay } from '../../src/domain/proration.js';

const at = (iso: string) => new Date(iso);

describe('billingOpensAt: the latest of provisioning, billingStartDate and the sub-partner start', () => {
  it.each([
    ['provisioned only', at('2026-06-17T12:00:00Z'), null, null, '2026-06-17T12:00:00.000Z'],
    ['billingStartDate later', at('2026-06-17T12:00:00Z'), '2026-06-20', null, '2026-06-20T00:00:00.000Z'],
    ['billingStartDate earlier', at('2026-06-17T12:00:00Z'), '2026-06-01', null, '2026-06-17T12:00:00.000Z'],
    ['sub-partner later still', at('2026-06-17T12:00:00Z'), '2026-06-20', '2026-06-25', '2026-06-25T00:00:00.000Z'],
    ['never provisioned', null, '2026-06-01', '2026-06-01', null],
  ] as const)('%s', (_name, billingFrom, billingStartDate, partnerBillingStartDate, expected) => {
    expect(billingOpensAt({ billingFrom, billingStartDate, partnerBillingStartDate })?.toISOString() ?? null).toBe(expected);
  });

  it('prorates from an instant: held from a hold on 06-15 12:00, approved 06-17 12:00, is 2.5 days to the 20th', () => {
    const intervals = deriveIntervals([{ package: 'webex_calling', at: at('2026-06-15T12:00:00Z'), seq: 1 }]);
    const opens = billingOpensAt({ billingFrom: at('2026-06-17T12:00:00Z'), billingStartDate: null, partnerBillingStartDate: null });
    const days = secondsPerDay(intervals, { from: '2026-06-01', to: '2026-06-19' }, opens);
    expect([...days.values()].reduce((a, b) => a + b, 0)).toBe(2.5 * 86_400);
    expect(days.get('2026-06-17')).toBe(43_200);
  });
});

describe('checkNotBeforeCreation', () => {
  it.each([
    ['at creation', '2026-06-01T08:00:00Z', '2026-06-01T08:00:00Z', []],
    ['after', '2026-06-01T08:00:01Z', '2026-06-01T08:00:00Z', []],
    ['same second, creation with milliseconds', '2026-06-01T08:00:00Z', '2026-06-01T08:00:00.700Z', []],
    ['a second before', '2026-06-01T07:59:59Z', '2026-06-01T08:00:00Z', ['effective_at_before_creation']],
    ['months before', '2026-01-01T00:00:00Z', '2026-06-01T08:00:00Z', ['effective_at_before_creation']],
  ] as const)('%s', (_name, effectiveAt, createdAt, codes) => {
    expect(checkNotBeforeCreation(at(effectiveAt), at(createdAt), 'subscriber').map((p) => p.code)).toEqual(codes);
  });

  it('names the earliest instant allowed', () => {
    expect(checkNotBeforeCreation(at('2026-05-01T00:00:00Z'), at('2026-06-01T08:00:00.250Z'), 'customer')[0]).toMatchObject({
      field: 'effectiveAt',
      message: expect.stringContaining('before the customer was created; the earliest instant allowed is 2026-06-01T08:00:00.000Z'),
    });
  });
});

describe('planBillingMonth: only time that has happened', () => {
  const now = at('2026-07-10T15:00:00Z');
  it.each([
    ['an ended month', '2026-06', { provisional: false, through: '2026-06-30', to: '2026-07-01T00:00:00.000Z', daysInMonth: 30 }],
    [
      'the current month, to the start of today',
      '2026-07',
      { provisional: true, through: '2026-07-09', to: '2026-07-10T00:00:00.000Z', daysInMonth: 31 },
    ],
    ['a future leap-year February', '2028-02', null],
    ['a future month', '2026-08', null],
    ['far ahead', '2030-01', null],
    ['not a month', '2026-13', null],
  ] as const)('%s', (_name, month, expected) => {
    const r = planBillingMonth(month, now);
    if (expected === null) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['invalid_request']);
      return;
    }
    expect(r.ok && { ...r.value, to: r.value.to.toISOString() }).toMatchObject(expected);
  });

  it('counts nothing of the current month on its 1st', () => {
    const r = planBillingMonth('2026-08', at('2026-08-01T09:00:00Z'));
    expect(r.ok && [r.value.provisional, r.value.through, r.value.to.getTime() === r.value.from.getTime()]).toEqual([true, null, true]);
  });
});

describe('checkSubPartnerBillingStart', () => {
  const today = '2026-08-01';
  it.each([
    ['today, at set-up', '2026-08-01', null, []],
    ['a later day, at set-up', '2026-08-05', null, []],
    ['a day already past', '2026-07-31', null, ['invalid_billing_start_date']],
    ['not a date', '2026-02-30', null, ['invalid_billing_start_date']],
    ['moved before it arrives', '2026-08-10', '2026-08-05', []],
    ['moved earlier, still not past', '2026-08-02', '2026-08-05', []],
    ['moved once it arrived', '2026-08-10', '2026-08-01', ['billing_already_started']],
    ['moved after it passed', '2026-08-10', '2026-07-20', ['billing_already_started']],
    ['set again to the same passed day', '2026-07-20', '2026-07-20', []],
  ] as const)('%s', (_name, requested, current, codes) => {
    const r = checkSubPartnerBillingStart(requested, today, current);
    expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(codes);
  });
});
