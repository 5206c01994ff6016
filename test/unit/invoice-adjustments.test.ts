import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HolderSecondsDelta,
  type PeriodAmount,
  planPeriodAdjustments,
  signedChargeMinor,
} from '../../src/domain/invoice-adjustments.js';
import { previousMonth } from '../../src/use-cases/run-scheduled-invoice-issue.js';
import { loadConfig } from '../../src/config.js';

const base = { package: 'webex_calling', priceFrom: '2026-10-01', policy: 'prorated' as const, monthlyPriceMinor: 1000 };
const customer = { id: 'c1', label: 'the customer', auditId: null };

describe('adjustments for a closed period', () => {
  it('names the holder whose removal moved the month, with the exact credit', () => {
    const billed: PeriodAmount[] = [{ ...base, seconds: 11 * 86_400, amountMinor: 367 }];
    const fresh: PeriodAmount[] = [{ ...base, seconds: 5 * 86_400, amountMinor: 167 }];
    const holders: HolderSecondsDelta[] = [
      {
        holderKind: 'subscriber',
        holderId: 's1',
        holderLabel: 'a@x.example',
        package: base.package,
        priceFrom: base.priceFrom,
        seconds: -6 * 86_400,
        auditId: '7',
      },
    ];
    expect(planPeriodAdjustments(fresh, billed, holders, 30, customer)).toEqual([
      expect.objectContaining({ holderKind: 'subscriber', holderId: 's1', seconds: -518_400, amountMinor: -200, auditId: '7' }),
    ]);
  });

  it('always sums to the exact difference, the remainder on one customer-level line', () => {
    const amount = fc.record({ seconds: fc.integer({ min: 0, max: 31 * 86_400 * 50 }), price: fc.integer({ min: 1, max: 100_000 }) });
    fc.assert(
      fc.property(amount, amount, fc.array(fc.integer({ min: -31 * 86_400, max: 31 * 86_400 }), { maxLength: 5 }), (f, b, deltas) => {
        const fresh = [{ ...base, monthlyPriceMinor: f.price, seconds: f.seconds, amountMinor: signedChargeMinor(f.seconds, f.price, 31) }];
        const billed = [
          { ...base, monthlyPriceMinor: b.price, seconds: b.seconds, amountMinor: signedChargeMinor(b.seconds, b.price, 31) },
        ];
        const holders = deltas.map((seconds, i) => ({
          holderKind: 'subscriber' as const,
          holderId: `s${i}`,
          holderLabel: `s${i}`,
          package: base.package,
          priceFrom: base.priceFrom,
          seconds,
          auditId: null,
        }));
        const plan = planPeriodAdjustments(fresh, billed, holders, 31, customer);
        expect(plan.reduce((a, p) => a + p.amountMinor, 0)).toBe(fresh[0]!.amountMinor - billed[0]!.amountMinor);
        expect(plan.filter((p) => p.holderKind === 'customer').length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rounds a credit as the mirror of the debit it undoes', () => {
    expect(signedChargeMinor(-43_200, 1000, 30)).toBe(-signedChargeMinor(43_200, 1000, 30));
  });
});

describe('issuing configuration', () => {
  it('issues the month before the one the schedule fires in', () => {
    expect(previousMonth(new Date('2027-01-01T06:00:00Z'))).toBe('2026-12');
    expect(previousMonth(new Date('2026-03-31T23:59:59Z'))).toBe('2026-02');
  });

  it('defaults and validates INVOICE_ISSUE_SCHEDULE, INVOICE_NUMBER_PREFIX and BACKDATE_MAX_DAYS', () => {
    const c = loadConfig({ PUBLIC_URL: 'http://desk.test' });
    expect([c.INVOICE_ISSUE_SCHEDULE, c.INVOICE_NUMBER_PREFIX, c.BACKDATE_MAX_DAYS]).toEqual(['0 6 1 * *', 'WD', 62]);
    expect(loadConfig({ PUBLIC_URL: 'http://desk.test', INVOICE_ISSUE_SCHEDULE: 'off' }).INVOICE_ISSUE_SCHEDULE).toBe('off');
    expect(() => loadConfig({ PUBLIC_URL: 'http://desk.test', INVOICE_ISSUE_SCHEDULE: 'monthly' })).toThrow(/INVOICE_ISSUE_SCHEDULE/);
    expect(() => loadConfig({ PUBLIC_URL: 'http://desk.test', INVOICE_NUMBER_PREFIX: 'W D' })).toThrow(/INVOICE_NUMBER_PREFIX/);
    expect(() => loadConfig({ PUBLIC_URL: 'http://desk.test', BACKDATE_MAX_DAYS: '401' })).toThrow(/BACKDATE_MAX_DAYS/);
  });
});
