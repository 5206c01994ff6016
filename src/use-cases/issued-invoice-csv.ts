import type { IssuedInvoice } from '../contracts/issued-invoices.js';
import { toCsvLine } from '../domain/csv.js';
import { formatMinor } from '../domain/money.js';

const COLUMNS = [
  'INVOICE_NUMBER',
  'ISSUED_AT',
  'CUSTOMER_ID',
  'CUSTOMER_EXTERNAL_ID',
  'CUSTOMER_NAME',
  'PERIOD_START',
  'PERIOD_END',
  'CURRENCY',
  'RECORD',
  'PACKAGE',
  'SERVICE_NAME',
  'SKU',
  'DESCRIPTION',
  'PRICE_FROM',
  'POLICY',
  'QUANTITY',
  'MONTHLY_PRICE',
  'AMOUNT',
  'ARITHMETIC',
  'ORIGINAL_INVOICE_NUMBER',
  'ADJUSTED_PERIOD',
  'HOLDER_KIND',
  'HOLDER_ID',
  'HOLDER',
  'AUDIT_ID',
] as const;
type Column = (typeof COLUMNS)[number];

/**
 * An issued invoice as one CSV table an accounting system can import: a `line` record per invoice
 * line, an `adjustment` record per adjustment to an earlier invoice (QUANTITY its signed licence-days,
 * AMOUNT signed), then `subtotal`, `adjustments` and `total` records. Every record repeats the
 * invoice's number, customer, period and currency, so a file of several invoices concatenated still
 * reads. Amounts in major units with two decimals, as the JSON; formula characters neutralised.
 */
export function toIssuedInvoiceCsv(inv: IssuedInvoice): string {
  const head: Partial<Record<Column, string | null>> = {
    INVOICE_NUMBER: inv.number,
    ISSUED_AT: inv.issuedAt,
    CUSTOMER_ID: inv.customerId,
    CUSTOMER_EXTERNAL_ID: inv.externalId,
    CUSTOMER_NAME: inv.customerName,
    PERIOD_START: inv.periodStart,
    PERIOD_END: inv.periodEnd,
    CURRENCY: inv.currency,
  };
  const row = (fields: Partial<Record<Column, string | null>>) => {
    const record = { ...head, ...fields };
    return toCsvLine(COLUMNS.map((c) => record[c]));
  };
  return [
    toCsvLine(COLUMNS),
    ...inv.lines.map((l) =>
      row({
        RECORD: 'line',
        PACKAGE: l.package,
        SERVICE_NAME: l.packageName,
        SKU: l.sku,
        DESCRIPTION: l.description,
        PRICE_FROM: l.priceFrom,
        POLICY: l.policy,
        QUANTITY: l.quantity,
        MONTHLY_PRICE: formatMinor(l.monthlyPriceMinor),
        AMOUNT: formatMinor(l.amountMinor),
        ARITHMETIC: l.arithmetic,
      }),
    ),
    ...inv.adjustments.map((a) =>
      row({
        RECORD: 'adjustment',
        PACKAGE: a.package,
        SERVICE_NAME: a.packageName,
        DESCRIPTION: `${a.kind}: ${a.description}`,
        QUANTITY: a.licenceDays,
        AMOUNT: formatMinor(a.amountMinor),
        ORIGINAL_INVOICE_NUMBER: a.originalInvoiceNumber,
        ADJUSTED_PERIOD: a.period,
        HOLDER_KIND: a.holderKind,
        HOLDER_ID: a.holderId,
        HOLDER: a.holderLabel,
        AUDIT_ID: a.auditId,
      }),
    ),
    row({ RECORD: 'subtotal', AMOUNT: formatMinor(inv.subtotalMinor) }),
    row({ RECORD: 'adjustments', AMOUNT: formatMinor(inv.adjustmentsMinor) }),
    row({ RECORD: 'total', AMOUNT: formatMinor(inv.totalMinor) }),
  ].join('');
}
