import { z } from 'zod';
import { REPORT_CATEGORIES, REPORT_TYPES } from '../domain/billing-reports.js';
import { isCivilDate } from '../domain/calendar.js';
import { INVOICE_POLICIES } from '../domain/invoice-policies.js';
import { civilDateInput, listOf, pageQuery } from './common.js';
import { CIVIL_DATE_FORMS } from '../domain/date-parameters.js';
import { invoiceAdjustmentSchema, ISSUED_INVOICE_STATUSES, issuedInvoiceSchema } from './issued-invoices.js';

const REPORT_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;

export const createReportBodySchema = z.object({
  billingStartDate: civilDateInput().optional(),
  billingEndDate: civilDateInput().optional(),
  type: z.enum(REPORT_TYPES).optional(),
  category: z.enum(REPORT_CATEGORIES).optional(),
  subPartnerOrgId: z.string().max(200).optional(),
});

const civilDate = civilDateInput().refine(isCivilDate, `must be ${CIVIL_DATE_FORMS}`);

export const listReportsQuerySchema = z.object({
  billingStartDate: civilDate.optional(),
  billingEndDate: civilDate.optional(),
  type: z.enum(REPORT_TYPES).optional(),
  status: z.enum(REPORT_STATUSES).optional(),
  sortBy: z.enum(['id', 'billingStartDate', 'billingEndDate', 'status']).optional(),
  subPartnerOrgId: z.string().optional(),
  ...pageQuery,
});

export const reportIdResponseSchema = z.object({
  id: z.string(),
  billingStartDate: z.string(),
  billingEndDate: z.string(),
  type: z.enum(REPORT_TYPES),
  category: z.enum(REPORT_CATEGORIES),
});

/** An item of the report list: the id fields and where the report stands (any status string). */
const staleness = {
  stale: z
    .boolean()
    .optional()
    .describe('a completed report whose period changed after it was made (a change recorded later, dated into it): regenerate it'),
  staleSince: z.string().nullable().optional().describe('when the period first changed after the report was made (ISO 8601)'),
};

export const reportListItemSchema = reportIdResponseSchema.extend({
  status: z.string(),
  tempDownloadURL: z
    .string()
    .optional()
    .describe(
      "A completed report's signed CSV link, as GET /wholesale/billing/reports/{id} gives it (the desk's addition to Cisco's list)",
    ),
  ...staleness,
});

export const reportResponseSchema = reportIdResponseSchema.extend({
  status: z.enum(REPORT_STATUSES),
  created: z.string(),
  createdBy: z.string(),
  tempDownloadURL: z.string().optional(),
  errors: z.array(z.object({ code: z.number(), description: z.string() })),
  ...staleness,
});

export const priceBookBodySchema = z.object({
  effectiveFrom: z.string().max(10),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  items: z
    .array(
      z.object({
        package: z.string().max(60),
        monthlyPrice: z.number().int('must be an integer amount in minor units (cents)').min(0).max(100_000_000),
        sku: z.string().min(1).max(60).optional(),
        policy: z
          .enum(INVOICE_POLICIES)
          .optional()
          .describe('how invoices bill the package: prorated (licence-days, the default), average_rounded_up or peak (whole licences)'),
      }),
    )
    .min(1)
    .max(50),
});

export const invoiceQuerySchema = z.object({
  customerId: z.string().min(1, 'is required'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
});

const invoiceAmounts = {
  package: z.string(),
  sku: z.string(),
  description: z.string(),
  priceFrom: z.string().describe('The price-book version (its first day) this line is priced from'),
  quantity: z.string().describe('Daily units, at most four decimals'),
  monthlyPriceMinor: z.number().int(),
  monthlyPrice: z.string(),
  amountMinor: z.number().int(),
  amount: z.string(),
  policy: z.enum(INVOICE_POLICIES).describe("the price book's rule for the package: prorated, average_rounded_up or peak"),
  arithmetic: z.string().describe('how the amount came about, e.g. "1,255.5 licence-days ÷ 31 days = 40.5 × 15.00 = 607.50 USD"'),
};

export const invoiceResponseSchema = z.object({
  customerId: z.string(),
  externalId: z.string(),
  customerName: z.string().nullable(),
  month: z.string().describe('YYYY-MM'),
  provisional: z
    .boolean()
    .describe('true for the current month: an invoice to date, counted up to the start of today (UTC), that will still change'),
  through: z
    .string()
    .nullable()
    .describe('The last day counted (YYYY-MM-DD): the last day of an ended month, yesterday for the current month; null on its 1st'),
  currency: z.string().nullable(),
  lines: z.array(z.object(invoiceAmounts)),
  totalMinor: z.number().int(),
  total: z.string(),
  unpriced: z.array(z.object({ package: z.string(), quantity: z.string() })).describe('Usage no price-book version covers: never charged'),
  invoiceNumber: z
    .string()
    .nullable()
    .optional()
    .describe("the issued invoice's number once the month is issued for the customer: the lines and total are then the issued ones"),
  adjustments: z
    .array(invoiceAdjustmentSchema)
    .optional()
    .describe('the current month (provisional): adjustments the next invoice will carry for earlier issued months, as of now'),
  adjustmentsMinor: z.number().int().optional(),
});
export type InvoiceResponse = z.infer<typeof invoiceResponseSchema>;

/**
 * GET /v1/billing/invoices: with `customerId` (and `month`), a customer's invoice for a month as computed
 * (issued figures once the month is issued; provisional for the current month); without it, the issued
 * invoices, filtered and paged.
 */
export const invoicesQuerySchema = z.object({
  customerId: z.string().optional().describe("with month: that customer's invoice for the month, as computed (not a list)"),
  customer: z.string().optional().describe('list filter: a customer id or externalId'),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
    .optional(),
  number: z.string().max(60).optional(),
  status: z.enum(ISSUED_INVOICE_STATUSES, { error: 'status must be issued' }).optional(),
  ...pageQuery,
  onBehalfOfSubPartnerOrgId: z.string().optional(),
});

export const invoicesResponseSchema = z.union([invoiceResponseSchema, listOf(issuedInvoiceSchema)]);

export const issueInvoicesQuerySchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
});

export const issueInvoicesResponseSchema = z.object({
  month: z.string(),
  issued: z.number().int().describe('invoices issued by this call'),
  alreadyIssued: z.number().int().describe('customers that already had an invoice for the month (nothing changed for them)'),
  firstNumber: z.string().nullable(),
  lastNumber: z.string().nullable(),
});
export type IssueInvoicesResponse = z.infer<typeof issueInvoicesResponseSchema>;

/** GET and PUT /v1/billing/price-book: every stored version, oldest first. */
export const priceBookResponseSchema = z.object({
  versions: z.array(
    z.object({
      effectiveFrom: z.string(),
      currency: z.string(),
      items: z.array(z.object({ package: z.string(), monthlyPrice: z.number().int(), sku: z.string(), policy: z.enum(INVOICE_POLICIES) })),
    }),
  ),
});

/** A replay accepted: the item is pending again and will be worked through. */
export const replayAcceptedSchema = z.object({ id: z.union([z.string(), z.number().int()]), status: z.literal('pending') });
