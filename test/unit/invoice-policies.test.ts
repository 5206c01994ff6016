import { describe, expect, it } from 'vitest';
import { policyChargeMinor, policyFigures } from '../../src/domain/invoice-policies.js';
import { formatUnits } from '../../src/domain/proration.js';

const DAY = 86_400;

/**
 * November 2026 (30 days) at 30.00 a month (1.00 a licence-day), figures worked out by hand:
 * held days → seconds, the most holders on one day, then the quantity and amount under each rule.
 */
describe('invoice policies, hand-worked', () => {
  it.each([
    // name, held seconds, peak holders, prorated, average, rounded up, amounts: prorated, average_rounded_up, peak
    ['two licences all month', 60 * DAY, 2, '60', '2', 2, 6000, 6000, 6000],
    ['one all month, one added on the 16th (15 days)', 45 * DAY, 2, '45', '1.5', 2, 4500, 6000, 6000],
    ['three, one removed on the 11th (10 days)', 70 * DAY, 3, '70', '2.3333', 3, 7000, 9000, 9000],
    ['calling until noon on the 20th, then meetings: calling', 19.5 * DAY, 1, '19.5', '0.65', 1, 1950, 3000, 3000],
    ['…and meetings from noon on the 20th', 10.5 * DAY, 1, '10.5', '0.35', 1, 1050, 3000, 3000],
    ['one replaced by another at noon on the 10th: both held that day', 30 * DAY, 2, '30', '1', 1, 3000, 3000, 6000],
    ['one second over one licence all month rounds up to two', 30 * DAY + 1, 1, '30', '1', 2, 3000, 6000, 3000],
    ['nothing held', 0, 0, '0', '0', 0, 0, 0, 0],
  ])('%s', (_name, seconds, peak, prorated, average, roundedUp, proratedMinor, averageMinor, peakMinor) => {
    const f = policyFigures(seconds, peak, 30);
    expect([formatUnits(f.proratedUnits), formatUnits(f.averageUnits), f.averageRoundedUp, f.peak]).toEqual([
      prorated,
      average,
      roundedUp,
      peak,
    ]);
    expect([
      policyChargeMinor('prorated', seconds, f, 3000, 30),
      policyChargeMinor('average_rounded_up', seconds, f, 3000, 30),
      policyChargeMinor('peak', seconds, f, 3000, 30),
    ]).toEqual([proratedMinor, averageMinor, peakMinor]);
  });

  it('averages over the days of the month: 15.5 licence-days in a 31-day month is 0.5 licences', () => {
    const f = policyFigures(15.5 * DAY, 1, 31);
    expect([formatUnits(f.averageUnits), f.averageRoundedUp]).toEqual(['0.5', 1]);
    expect(policyChargeMinor('prorated', 15.5 * DAY, f, 3100, 31)).toBe(1550);
  });
});
