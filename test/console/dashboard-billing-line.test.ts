import { describe, expect, it } from 'vitest';
import { billingLine } from '../../src/console/app/dashboard.js';

describe("the dashboard's billing line", () => {
  const billing = {
    month: '2026-06',
    provisional: true,
    through: '2026-06-24',
    currency: 'USD',
    packages: [],
    packageSummaries: [],
    customers: [],
    customerCount: 3,
    totalMinor: 12_345,
    unpricedPackages: [],
    asOf: '2026-06-24',
    refreshing: false,
  };
  it('says when the figures are the last kept ones while a refresh runs, and when none are kept yet', () => {
    expect(billingLine(billing)).not.toContain('refreshing');
    expect(billingLine({ ...billing, refreshing: true })).toContain('Figures as of 2026-06-24, refreshing.');
    expect(billingLine({ ...billing, refreshing: true, asOf: null, through: null, currency: null, customerCount: 0, totalMinor: 0 })).toBe(
      '2026-06: being computed, ready in a minute.',
    );
  });
});
