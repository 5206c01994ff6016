import { PNG } from 'pngjs';
import { type IssuedInvoice, issuedInvoiceSchema } from '../../src/contracts/issued-invoices.js';
import { explainInvoiceLine } from '../../src/domain/invoice-arithmetic.js';
import { chargeMinor, daysInMonth } from '../../src/domain/money.js';

const PACKAGES = [
  ['webex_calling', 'Webex Calling', 'WX-CALL-PRO'],
  ['webex_meetings', 'Webex Meetings', 'WX-MTG'],
  ['webex_suite', 'Webex Suite', 'WX-SUITE'],
  ['attendant_console', 'Attendant Console', 'WX-ATT-CON'],
  ['common_area_calling', 'Common Area Calling', 'WX-CAC'],
  ['cx_essentials', 'Customer Experience Essentials', 'WX-CXE'],
  ['webex_voice', 'Webex Voice', 'WX-VOICE'],
  ['webex_calling_standard', 'Webex Calling Standard', 'WX-CALL-STD'],
] as const;

export interface FixtureOptions {
  number?: string;
  lines?: number;
  adjustments?: number;
  currency?: string | null;
  customerName?: string | null;
  customerAddress?: string[];
  month?: string;
}

/**
 * A real-shaped issued invoice: `lines` prorated lines spread over packages and price versions (the
 * arithmetic computed as the issuing code does), `adjustments` credits and debits against earlier
 * invoices, totals that add up exactly. Validated against the contract.
 */
export function issuedInvoiceFixture(o: FixtureOptions = {}): IssuedInvoice {
  const month = o.month ?? '2026-10';
  const days = daysInMonth(month);
  const currency = o.currency === undefined ? 'USD' : o.currency;
  const lineCount = o.lines ?? 3;
  const lines: IssuedInvoice['lines'] = [];
  for (let i = 0; i < lineCount; i++) {
    const [pkg, name, sku] = PACKAGES[i % PACKAGES.length]!;
    const version = Math.floor(i / PACKAGES.length);
    const priceFrom = `${month}-${String(1 + version * 3).padStart(2, '0')}`;
    const seconds = 86_400 * (3 + ((i * 7) % 40)) + 3_600 * (i % 5);
    const units = Math.round((seconds * 10_000) / 86_400);
    const quantity = `${Math.floor(units / 10_000)}${
      units % 10_000
        ? `.${String(units % 10_000)
            .padStart(4, '0')
            .replace(/0+$/, '')}`
        : ''
    }`;
    const monthlyPriceMinor = 1_500 + 250 * (i % 6);
    const amountMinor = chargeMinor(seconds, monthlyPriceMinor, days);
    lines.push({
      package: pkg,
      packageName: name,
      sku,
      description: name,
      priceFrom,
      policy: 'prorated',
      quantity,
      monthlyPriceMinor,
      amountMinor,
      arithmetic: explainInvoiceLine(
        {
          policy: 'prorated',
          quantity,
          proratedQuantity: quantity,
          averageDailyLicences: '0',
          averageRoundedUp: 0,
          peakLicences: 0,
          monthlyPriceMinor,
          amountMinor,
        },
        days,
        currency,
      ),
    });
  }
  lines.sort((a, b) => (a.package === b.package ? a.priceFrom.localeCompare(b.priceFrom) : a.package < b.package ? -1 : 1));
  const adjustments: IssuedInvoice['adjustments'] = [];
  for (let i = 0; i < (o.adjustments ?? 0); i++) {
    const credit = i % 2 === 0;
    const amountMinor = (credit ? -1 : 1) * (200 + 37 * i);
    adjustments.push({
      kind: credit ? 'credit' : 'debit',
      originalInvoiceNumber: `WD-2026-${String(100 + i).padStart(6, '0')}`,
      period: '2026-09',
      holderKind: i % 3 === 2 ? 'workspace' : 'subscriber',
      holderId: `sub-${i}`,
      holderLabel: i % 3 === 2 ? 'Lobby phone' : `user${i}@acme-dental.example`,
      package: 'webex_calling',
      packageName: 'Webex Calling',
      licenceDays: `${credit ? '-' : ''}${4 + i}.5`,
      amountMinor,
      auditId: i % 4 === 3 ? null : `audit-${1000 + i}`,
      description: credit
        ? `removal dated 2026-09-${String(20 + (i % 9)).padStart(2, '0')} recorded 2026-10-06`
        : 'package change back-dated to 2026-09-12',
    });
  }
  const subtotalMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
  const adjustmentsMinor = adjustments.reduce((a, x) => a + x.amountMinor, 0);
  return issuedInvoiceSchema.parse({
    number: o.number ?? 'WD-2026-000123',
    status: 'issued',
    customerId: 'cust-0001',
    externalId: 'crm-1001',
    customerName: o.customerName === undefined ? 'Acme Dental' : o.customerName,
    customerAddress: o.customerAddress ?? ['1 Main St', 'Austin, TX 78701', 'US'],
    month,
    periodStart: `${month}-01`,
    periodEnd: `${month}-${String(days).padStart(2, '0')}`,
    currency,
    priceBookVersions: [...new Set(lines.map((l) => l.priceFrom))].sort(),
    lines,
    adjustments,
    subtotalMinor,
    adjustmentsMinor,
    totalMinor: subtotalMinor + adjustmentsMinor,
    issuedAt: `${month === '2026-12' ? '2027-01' : `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, '0')}`}-01T06:00:03.000Z`,
    issuedBy: 'job:invoice-issue',
  });
}

/** A small logo: a 160 × 48 PNG with a coloured band and a block, made here (no file shipped). */
export function logoPng(): Buffer {
  const png = new PNG({ width: 160, height: 48 });
  for (let y = 0; y < 48; y++)
    for (let x = 0; x < 160; x++) {
      const i = (160 * y + x) * 4;
      const inBlock = x < 48;
      png.data[i] = inBlock ? 0x00 : 0x1f;
      png.data[i + 1] = inBlock ? 0x7a : 0x4e;
      png.data[i + 2] = inBlock ? 0xc3 : 0x79;
      png.data[i + 3] = inBlock || y % 12 < 6 ? 255 : 0;
    }
  return PNG.sync.write(png);
}
