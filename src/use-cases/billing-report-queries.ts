import { findReportById, listReports, type ReportFilter } from '../db/repositories/billing-reports.js';
import type { BillingReportRow } from '../db/schema.js';
import type { Store } from './store.js';
import type { z } from 'zod';
import type { reportListItemSchema } from '../contracts/billing.js';
import { reportStaleness } from './report-staleness.js';

/** A report's identity as the API answers it (the contract's names: reportIdResponseSchema). */
export const toReportId = (r: BillingReportRow) => ({
  id: r.id,
  billingStartDate: r.billing_start_date,
  billingEndDate: r.billing_end_date,
  type: r.type,
  category: r.category,
});

/** An item of the report list as the API answers it, but for its download link (signed by the edge). */
export type BillingReportListItem = Omit<z.infer<typeof reportListItemSchema>, 'tempDownloadURL'>;

/** One page of reports (one more than asked: there is a next page), each with its identity, status and staleness. */
export async function listBillingReports(store: Store, filter: ReportFilter): Promise<BillingReportListItem[]> {
  const rows = await listReports(store, filter);
  const staleness = await reportStaleness(store, rows);
  return rows.map((r) => ({ ...toReportId(r), status: r.status, ...staleness.get(r.id) }));
}

/** A complete report's CSV as the download serves it: what names the file, and what its rows are read by. */
export interface ReportFile {
  id: string;
  type: BillingReportRow['type'];
  billingStartDate: string;
  billingEndDate: string;
  /** The header its rows were written under (csvStream reads it). */
  columns: string[];
}

/** A report whose CSV can be served: it exists and is complete. */
export async function findDownloadableReport(store: Store, id: string): Promise<ReportFile | undefined> {
  const report = await findReportById(store, id);
  if (report?.status !== 'COMPLETED') return undefined;
  return {
    id: report.id,
    type: report.type,
    billingStartDate: report.billing_start_date,
    billingEndDate: report.billing_end_date,
    columns: report.columns,
  };
}
