import { z } from 'zod';
import { INVOICE_POLICIES } from '../domain/invoice-policies.js';

/**
 * An issued invoice: a stored document that never changes once issued (issue #26). The JSON API, the
 * CSV, the PDF and the `invoice.issued` outbound webhook all carry this one shape.
 */
export const ISSUED_INVOICE_STATUSES = ['issued'] as const;

export const issuedInvoiceLineSchema = z.object({
  package: z.string().describe('catalogue id, e.g. webex_calling'),
  packageName: z.string().describe('the package as people read it, e.g. "Webex Calling"'),
  sku: z.string(),
  description: z.string(),
  priceFrom: z.string().describe('The price-book version (its first day) this line is priced from'),
  policy: z.enum(INVOICE_POLICIES),
  quantity: z.string().describe('Daily units, at most four decimals'),
  monthlyPriceMinor: z.number().int(),
  amountMinor: z.number().int(),
  arithmetic: z.string(),
  proratedQuantity: z
    .string()
    .optional()
    .describe("licence-days over the month, whatever the rule (the line's figures as computed at issue)"),
  averageDailyLicences: z.string().optional(),
  averageRoundedUp: z.number().int().optional(),
  peakLicences: z.number().int().optional(),
});

export const invoiceAdjustmentSchema = z.object({
  kind: z.enum(['credit', 'debit']),
  originalInvoiceNumber: z.string(),
  period: z.string().describe('YYYY-MM of the closed month the change reaches back into'),
  holderKind: z.enum(['subscriber', 'workspace', 'customer']),
  holderId: z.string(),
  holderLabel: z.string().describe('the subscriber email, the workspace name, or the customer'),
  package: z.string(),
  packageName: z.string(),
  licenceDays: z.string().describe('signed licence-days the change moved, at most four decimals'),
  amountMinor: z.number().int().describe('signed: negative for a credit'),
  auditId: z.string().nullable().describe('the audit entry of the recorded change, when one exists'),
  description: z.string(),
});

export const issuedInvoiceSchema = z.object({
  number: z.string().describe('unique per partner, gapless in issue order, e.g. WD-2026-000123'),
  status: z.enum(ISSUED_INVOICE_STATUSES),
  customerId: z.string(),
  externalId: z.string(),
  customerName: z.string().nullable(),
  customerAddress: z.array(z.string()).describe('address lines as printed'),
  month: z.string().describe('YYYY-MM: the period'),
  periodStart: z.string().describe('YYYY-MM-DD'),
  periodEnd: z.string().describe('YYYY-MM-DD, the last day of the period'),
  currency: z.string().nullable(),
  priceBookVersions: z.array(z.string()).describe('the price-book versions (first days) the lines are priced from'),
  lines: z.array(issuedInvoiceLineSchema),
  adjustments: z.array(invoiceAdjustmentSchema),
  subtotalMinor: z.number().int().describe('sum of lines'),
  adjustmentsMinor: z.number().int().describe('sum of adjustments (signed)'),
  totalMinor: z.number().int().describe('subtotalMinor + adjustmentsMinor, exactly'),
  issuedAt: z.string().describe('ISO 8601 instant'),
  issuedBy: z.string().describe('the actor: token:<id>, staff:<email>, job:invoice-issue, cli'),
});
export type IssuedInvoice = z.infer<typeof issuedInvoiceSchema>;
export type IssuedInvoiceLine = z.infer<typeof issuedInvoiceLineSchema>;
export type InvoiceAdjustment = z.infer<typeof invoiceAdjustmentSchema>;
