import { z } from 'zod';
import { invoiceAdjustmentSchema } from './issued-invoices.js';
import { REPORT_TYPES } from '../domain/billing-reports.js';
import { RECONCILIATION_CLASSES } from '../domain/reconciliation.js';
import { pageQuery } from './common.js';

/** `POST /billing/reconciliations?billingStartDate=&billingEndDate=&tolerance=` with Cisco's CSV as the body. */
export const createReconciliationQuerySchema = z.object({
  billingStartDate: z.string().max(10).describe('first day of the period Cisco reported (YYYY-MM-DD)'),
  billingEndDate: z.string().max(10).describe('last day of the period (YYYY-MM-DD)'),
  tolerance: z
    .string()
    .max(20)
    .optional()
    .describe('licence-days by which quantities may differ and still match (default 0.0001, the reports’ resolution)'),
  source: z
    .enum(['upload', 'webex'])
    .optional()
    .describe(
      "upload: the body is Cisco's file (the default with a body); webex: fetch Cisco's report through Webex Wholesale (upstream mode; the default without a Content-Type)",
    ),
  type: z.enum(['PARTNER', 'CUSTOMER', 'USER']).optional().describe('source=webex: the report type to ask Cisco for (default USER)'),
});

export const listReconciliationsQuerySchema = z.object({ ...pageQuery });

const classFilter = z
  .string()
  .max(200)
  .refine(
    (v) => v.split(',').every((c) => (RECONCILIATION_CLASSES as readonly string[]).includes(c)),
    `must be one or more of ${RECONCILIATION_CLASSES.join(', ')}, comma-separated`,
  );

export const reconciliationLinesQuerySchema = z.object({
  class: classFilter.optional().describe(`comma-separated: ${RECONCILIATION_CLASSES.join(', ')}; default all`),
  ...pageQuery,
});

export const reconciliationItemSchema = z.object({
  id: z.string(),
  billingStartDate: z.string(),
  billingEndDate: z.string(),
  type: z.enum(REPORT_TYPES).describe("the level of Cisco's file, which matching follows"),
  tolerance: z.string(),
  fileLines: z.number().int(),
  currency: z.string().nullable(),
  priceFrom: z.string().nullable().describe('the price book version the money is computed at'),
  source: z.enum(['upload', 'chat', 'webex']),
  created: z.string(),
  createdBy: z.string(),
});

const classSummary = z.object({ lines: z.number().int(), units: z.string(), moneyAtStake: z.string() });

export const reconciliationSummarySchema = reconciliationItemSchema.extend({
  ledger: z
    .enum(['as_issued', 'current'])
    .optional()
    .describe("as_issued: the month was issued, so the desk's side is the ledger its invoices were issued from"),
  laterAdjustments: z
    .object({
      issued: z.array(invoiceAdjustmentSchema.extend({ invoiceNumber: z.string() })).describe('on later invoices already'),
      pending: z.array(invoiceAdjustmentSchema).describe('owed, on the next invoice'),
    })
    .optional()
    .describe('changes recorded after the month was issued, listed apart from the comparison'),
  classes: z.object(Object.fromEntries(RECONCILIATION_CLASSES.map((c) => [c, classSummary])) as Record<string, typeof classSummary>),
  moneyAtStake: z.string().describe('Σ |amount| of every difference at the price book’s prices'),
  unpricedDifferences: z.number().int().describe('differences of packages the price book has no price for (no amount)'),
  packages: z.array(
    z.object({
      package: z.string(),
      ciscoQuantity: z.string(),
      deskQuantity: z.string(),
      difference: z.string().describe('Cisco minus the desk, licence-days'),
      differences: z.number().int(),
      customers: z.number().int(),
      moneyAtStake: z.string(),
      netMoney: z.string().describe('positive: Cisco bills more than the ledger'),
    }),
  ),
  customers: z
    .array(
      z.object({
        customer: z.string().describe('external id (Cisco’s external or org id when the desk does not know the customer)'),
        difference: z.string(),
        differences: z.number().int(),
        moneyAtStake: z.string(),
        netMoney: z.string(),
      }),
    )
    .describe('customers with a difference, most money at stake first, at most 100'),
});

export const reconciliationLineSchema = z.object({
  class: z.enum(RECONCILIATION_CLASSES),
  package: z.string(),
  subscriberOrWorkspaceId: z.string().nullable(),
  customerOrgId: z.string().nullable(),
  locationId: z.string().nullable(),
  customerId: z.string().nullable().describe("the desk's customer id, when the desk has the line"),
  customer: z.string().nullable(),
  ciscoQuantity: z.string().nullable(),
  deskQuantity: z.string().nullable(),
  difference: z.string(),
  amount: z.string().nullable().describe('the difference at the price book’s price; null when the package has no price'),
});
