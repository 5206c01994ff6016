import { findReportById, listReports, type ReportFilter } from '../db/repositories/billing-reports.js';
import type { BillingReportRow } from '../db/schema.js';
import type { Store } from './store.js';

/** A report's identity as the API answers it (the contract's names: reportIdResponseSchema). */
export const toReportId = (r: BillingReportRow) => ({
  id: r.id,
  billingStartDate: r.billing_start_date,
  billingEndDate: r.billing_end_date,
  type: r.type,
  category: r.category,
});

export const listBillingReports = (store: Store, filter: ReportFilter) => listReports(store, filter);

/** A report whose CSV can be served: it exists and is complete. */
export async function findDownloadableReport(store: Store, id: string): Promise<BillingReportRow | undefined> {
  const report = await findReportById(store, id);
  return report?.status === 'COMPLETED' ? report : undefined;
}
