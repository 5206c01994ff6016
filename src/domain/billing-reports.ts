import { addDays, isCivilDate, toCivilDate } from './calendar.js';
import { CIVIL_DATE_FORMS } from './date-parameters.js';
import { PACKAGE_IDS, PACKAGES } from './packages.js';
import { toCsvLine } from './csv.js';
import { fail, ok, problem, type Problem, type Result } from './problems.js';

export const REPORT_TYPES = ['PARTNER', 'CUSTOMER', 'USER'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
export const REPORT_CATEGORIES = ['RECONCILIATION', 'POINT_IN_TIME'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export const REPORT_STATUSES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface ReportRequest {
  billingStartDate?: string | undefined;
  billingEndDate?: string | undefined;
  type?: ReportType | undefined;
  category?: ReportCategory | undefined;
}

export interface ReportPlan {
  type: ReportType;
  category: ReportCategory;
  from: string;
  to: string;
}

/**
 * Webex's rules for a report period: YYYY-MM-DD dates within the last five years, not today or
 * later, start ≤ end. They hold for every category: Cisco's create operation requires both dates and
 * knows no category (RECONCILIATION is the default; the document calls POINT_IN_TIME only "the category
 * of the billing report"), so a POINT_IN_TIME report keeps the period asked for, never today's, and
 * counts the allocations held at the end of its last day (see writePointInTimeCsv).
 */
export function planReport(req: ReportRequest, now: Date): Result<ReportPlan> {
  const type = req.type ?? 'PARTNER';
  const category = req.category ?? 'RECONCILIATION';
  const today = toCivilDate(now);
  const problems: Problem[] = [];
  const earliest = `${Number(today.slice(0, 4)) - 5}${today.slice(4)}`;
  for (const [field, value] of [
    ['billingStartDate', req.billingStartDate],
    ['billingEndDate', req.billingEndDate],
  ] as const) {
    if (value === undefined) problems.push(problem('invalid_request', 'is required (YYYY-MM-DD)', field));
    else if (!isCivilDate(value)) problems.push(problem('invalid_request', `"${value}" is not ${CIVIL_DATE_FORMS}`, field));
    else if (value >= today)
      problems.push(
        problem('invalid_request', `${value} is not in the past; reports cover whole days up to yesterday (${addDays(today, -1)})`, field),
      );
    else if (value < earliest)
      problems.push(problem('invalid_request', `${value} is more than five years ago (earliest ${earliest})`, field));
  }
  if (!problems.length && (req.billingStartDate as string) > (req.billingEndDate as string)) {
    problems.push(
      problem(
        'invalid_request',
        `billingStartDate ${req.billingStartDate} is after billingEndDate ${req.billingEndDate}`,
        'billingStartDate',
      ),
    );
  }
  return problems.length
    ? fail(...problems)
    : ok({ type, category, from: req.billingStartDate as string, to: req.billingEndDate as string });
}

/**
 * The guide's field table (L28112–28224, L55522–55634) in its order; each report type keeps its own
 * fields in that order, so a parser written to the guide reads every column where it expects it.
 */
export const REPORT_COLUMNS: Readonly<Record<ReportType, readonly string[]>> = {
  PARTNER: [
    'PARTNER_NAME',
    'PARTNER_ORG_ID',
    'SUBSCRIPTION_ID',
    'SERVICE_NAME',
    'SKU',
    'DESCRIPTION',
    'CONSUMPTION_START_DATE',
    'CONSUMPTION_END_DATE',
    'QUANTITY',
  ],
  CUSTOMER: [
    'PARTNER_NAME',
    'PARTNER_ORG_ID',
    'SUBSCRIPTION_ID',
    'SERVICE_NAME',
    'SKU',
    'DESCRIPTION',
    'CONSUMPTION_START_DATE',
    'CONSUMPTION_END_DATE',
    'QUANTITY',
    'CUSTOMER_ORG_ID',
    'CUSTOMER_EXTERNAL_ID',
    'LOCATION_ID',
  ],
  USER: [
    'PARTNER_NAME',
    'PARTNER_ORG_ID',
    'SUBSCRIPTION_ID',
    'SERVICE_NAME',
    'SKU',
    'DESCRIPTION',
    'CONSUMPTION_START_DATE',
    'CONSUMPTION_END_DATE',
    'QUANTITY',
    'CUSTOMER_ORG_ID',
    'CUSTOMER_EXTERNAL_ID',
    'SUBSCRIBER_ID',
    'USER_ID',
    'WORKSPACE_ID',
    'LOCATION_ID',
  ],
};

/** The desk's catalogue SKU of a package, used when the price book names none. */
export const catalogueSku = (pkg: string): string => `WHSL-${pkg.toUpperCase().replace(/_/g, '-')}`;

/**
 * The constant part of every report line (partner name, org id, subscription id, CSV-escaped, with
 * its trailing comma) and each package's SERVICE_NAME, SKU and DESCRIPTION, in the order reports list
 * packages: by package id, byte by byte.
 */
export function reportFormat(partner: { name: string; orgId: string; subscriptionId: string }) {
  return {
    prefix: toCsvLine([partner.name, partner.orgId, partner.subscriptionId, '']).replace(/\r\n$/, ''),
    catalogue: [...PACKAGE_IDS]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => ({
        package: id,
        columns: toCsvLine([id.toUpperCase(), catalogueSku(id), PACKAGES[id].label, '']).replace(/\r\n$/, ''),
      })),
  };
}
