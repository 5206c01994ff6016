import { chargeMinor } from './money.js';
import type { InvoicePolicy } from './invoice-policies.js';
import { formatUnits, secondsToUnits } from './proration.js';

/**
 * Adjustments, not rewrites (issue #26). A closed period's invoice never changes; what a later change
 * moves in it is billed on the customer's next invoice as the difference between a fresh computation
 * of the period and everything already billed for it (the issued lines plus earlier adjustments), per
 * package and price version. Comparing against what was billed, not against what changed, is what makes
 * each adjustment count exactly once however often issuing runs.
 *
 * The exact difference per package and price version is then named per holder: each holder's moved
 * seconds priced on their own (rounded half-up, as a line is), and whatever is left (rounding of the
 * line, or a change that is not one holder's: a billing start date, a price, a whole-licence policy)
 * in one customer-level line, so the adjustments of a period always sum to the exact difference.
 */

export interface PeriodAmount {
  package: string;
  priceFrom: string;
  policy: InvoicePolicy;
  monthlyPriceMinor: number;
  seconds: number;
  amountMinor: number;
}

export interface HolderSecondsDelta {
  holderKind: 'subscriber' | 'workspace';
  holderId: string;
  holderLabel: string;
  package: string;
  priceFrom: string;
  /** Signed: seconds the holder holds in the period now, minus what was billed for them. */
  seconds: number;
  auditId: string | null;
}

export interface PlannedAdjustment {
  package: string;
  priceFrom: string;
  policy: InvoicePolicy;
  monthlyPriceMinor: number;
  holderKind: 'subscriber' | 'workspace' | 'customer';
  holderId: string;
  holderLabel: string;
  /** Signed seconds moved. */
  seconds: number;
  /** Signed: negative is a credit. */
  amountMinor: number;
  auditId: string | null;
}

const keyOf = (a: { package: string; priceFrom: string }) => `${a.package}\u0000${a.priceFrom}`;

/** A signed prorated charge: rounded half-up on the magnitude, so a credit mirrors the debit it undoes. */
export function signedChargeMinor(seconds: number, monthlyPriceMinor: number, daysInMonth: number): number {
  const magnitude = chargeMinor(Math.abs(seconds), monthlyPriceMinor, daysInMonth);
  return seconds < 0 ? -magnitude : magnitude;
}

/** '-6', '2.5': signed licence-days from seconds, at most four decimals. */
export function formatSignedLicenceDays(seconds: number): string {
  const units = formatUnits(secondsToUnits(Math.abs(seconds)));
  return seconds < 0 && units !== '0' ? `-${units}` : units;
}

/**
 * One customer's adjustments for one closed period: `fresh` (the period computed from the ledger as it is
 * now) against `billed` (issued lines plus earlier adjustments, summed per package and price version).
 * Σ amountMinor of the result = Σ fresh − Σ billed, exactly.
 */
export function planPeriodAdjustments(
  fresh: readonly PeriodAmount[],
  billed: readonly PeriodAmount[],
  holders: readonly HolderSecondsDelta[],
  daysInMonth: number,
  customer: { id: string; label: string; auditId: string | null },
): PlannedAdjustment[] {
  const freshBy = new Map(fresh.map((f) => [keyOf(f), f]));
  const billedBy = new Map<string, PeriodAmount>();
  for (const b of billed) {
    const prior = billedBy.get(keyOf(b));
    billedBy.set(
      keyOf(b),
      prior ? { ...prior, seconds: prior.seconds + b.seconds, amountMinor: prior.amountMinor + b.amountMinor } : { ...b },
    );
  }
  const keys = [...new Set([...freshBy.keys(), ...billedBy.keys()])].sort();
  const out: PlannedAdjustment[] = [];
  for (const key of keys) {
    const f = freshBy.get(key);
    const b = billedBy.get(key);
    const base = (f ?? b)!;
    const amount = (f?.amountMinor ?? 0) - (b?.amountMinor ?? 0);
    const seconds = (f?.seconds ?? 0) - (b?.seconds ?? 0);
    if (amount === 0 && seconds === 0) continue;
    const policy = f?.policy ?? b!.policy;
    const price = f?.monthlyPriceMinor ?? b!.monthlyPriceMinor;
    const common = { package: base.package, priceFrom: base.priceFrom, policy, monthlyPriceMinor: price };
    let namedAmount = 0;
    let namedSeconds = 0;
    if (policy === 'prorated') {
      for (const h of holders) {
        if (keyOf(h) !== key || h.seconds === 0) continue;
        const hAmount = signedChargeMinor(h.seconds, price, daysInMonth);
        namedAmount += hAmount;
        namedSeconds += h.seconds;
        out.push({
          ...common,
          holderKind: h.holderKind,
          holderId: h.holderId,
          holderLabel: h.holderLabel,
          seconds: h.seconds,
          amountMinor: hAmount,
          auditId: h.auditId,
        });
      }
    }
    const restAmount = amount - namedAmount;
    const restSeconds = seconds - namedSeconds;
    if (restAmount !== 0 || restSeconds !== 0)
      out.push({
        ...common,
        holderKind: 'customer',
        holderId: customer.id,
        holderLabel: customer.label,
        seconds: restSeconds,
        amountMinor: restAmount,
        auditId: customer.auditId,
      });
  }
  return out;
}
