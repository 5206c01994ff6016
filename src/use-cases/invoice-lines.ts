import type { PricedUsage } from '../db/repositories/price-book.js';
import { catalogueSku } from '../domain/billing-reports.js';
import { type InvoicePolicy, policyChargeMinor, policyFigures } from '../domain/invoice-policies.js';
import { PACKAGES } from '../domain/packages.js';
import { formatUnits, secondsToUnits } from '../domain/proration.js';

export interface InvoiceLine {
  package: string;
  sku: string;
  description: string;
  priceFrom: string;
  /** The rule that produced the amount (the price book's, per package). */
  policy: InvoicePolicy;
  /** What is billed: licence-days (prorated) or whole licences (average_rounded_up, peak). */
  quantity: string;
  /** The package's month for this customer, whatever the rule: licence-days, average daily licences, that rounded up, and the peak. */
  proratedQuantity: string;
  averageDailyLicences: string;
  averageRoundedUp: number;
  peakLicences: number;
  monthlyPriceMinor: number;
  amountMinor: number;
}

export interface CustomerLines {
  lines: InvoiceLine[];
  unpriced: { package: string; quantity: string }[];
  currency: string | null;
}

/**
 * One customer's invoice lines from its priced usage (rows of one customer, per package and price
 * version). The rule is the one of the latest price version in the period: `prorated` bills each
 * version's share as before; `average_rounded_up` and `peak` bill the whole month's licences at that
 * version's price, in one line. Usage no version prices is listed as unpriced, never charged.
 */
export function priceCustomerUsage(usage: readonly PricedUsage[], peaks: ReadonlyMap<string, number>, daysInMonth: number): CustomerLines {
  const lines: InvoiceLine[] = [];
  const unpriced: CustomerLines['unpriced'] = [];
  let currency: string | null = null;
  for (const pkg of [...new Set(usage.map((u) => u.package))]) {
    const rows = usage.filter((u) => u.package === pkg);
    const priced = rows.filter((u) => u.effective_from !== null && u.monthly_price_minor !== null);
    const seconds = rows.reduce((a, u) => a + u.seconds, 0);
    const figures = policyFigures(seconds, peaks.get(pkg) ?? 0, daysInMonth);
    const latest = priced.reduce<PricedUsage | undefined>((a, u) => (!a || u.effective_from! > a.effective_from! ? u : a), undefined);
    const policy: InvoicePolicy = latest?.policy ?? 'prorated';
    const line = (u: PricedUsage, quantity: string, amountMinor: number): InvoiceLine => ({
      package: pkg,
      sku: u.sku ?? catalogueSku(pkg),
      description: PACKAGES[pkg as keyof typeof PACKAGES]?.label ?? pkg,
      priceFrom: u.effective_from!,
      policy,
      quantity,
      proratedQuantity: formatUnits(figures.proratedUnits),
      averageDailyLicences: formatUnits(figures.averageUnits),
      averageRoundedUp: figures.averageRoundedUp,
      peakLicences: figures.peak,
      monthlyPriceMinor: u.monthly_price_minor!,
      amountMinor,
    });
    if (!latest) {
      for (const u of rows) unpriced.push({ package: pkg, quantity: formatUnits(secondsToUnits(u.seconds)) });
      continue;
    }
    currency = latest.currency;
    if (policy === 'prorated') {
      for (const u of rows) {
        if (u.effective_from === null || u.monthly_price_minor === null)
          unpriced.push({ package: pkg, quantity: formatUnits(secondsToUnits(u.seconds)) });
        else
          lines.push(
            line(
              u,
              formatUnits(secondsToUnits(u.seconds)),
              policyChargeMinor('prorated', u.seconds, figures, u.monthly_price_minor, daysInMonth),
            ),
          );
      }
    } else {
      const licences = policy === 'peak' ? figures.peak : figures.averageRoundedUp;
      lines.push(line(latest, String(licences), policyChargeMinor(policy, seconds, figures, latest.monthly_price_minor!, daysInMonth)));
    }
  }
  return { lines, unpriced, currency };
}
