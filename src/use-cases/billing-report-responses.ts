import type { z } from 'zod';
import type { reportIdResponseSchema } from '../contracts/billing.js';
import type { BillingReportRow, Db } from '../db/schema.js';
import type { ReportRequest } from '../domain/billing-reports.js';
import { ok, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { toReportId } from './billing-report-queries.js';
import { createReport, type CreateReportInput, findCompletedReportFor, generateReport } from './billing-reports.js';
import { regenerateReport } from './report-staleness.js';
import type { Store } from './store.js';

/*
 * The billing-report operations as the edges call them: the answer is the contract's report identity or a
 * named view, never the stored row. The operations themselves hand back rows, because the monthly digest
 * and the task worker compose them.
 */

/** A report's identity as the API answers it (reportIdResponseSchema). */
export type ReportId = z.infer<typeof reportIdResponseSchema>;

/** A report as chat hands it over: where it stands, its size, and what its CSV is read by (id, columns). */
export interface ChatReport {
  id: string;
  columns: string[];
  status: BillingReportRow['status'];
  errors: { code: number; description: string }[];
  rowCount: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

const toChatReport = (r: BillingReportRow): ChatReport => ({
  id: r.id,
  columns: r.columns,
  status: r.status,
  errors: r.errors,
  rowCount: r.row_count,
  createdAt: r.created_at,
  completedAt: r.completed_at,
});

export async function createReportAnswering(
  store: Store,
  actor: Actor,
  input: CreateReportInput,
  deps: UseCaseDeps,
): Promise<Result<{ report: ReportId; created: boolean }>> {
  const r = await createReport(store, actor, input, deps);
  return r.ok ? ok({ report: toReportId(r.value.report), created: r.value.created }) : r;
}

export async function regenerateReportAnswering(store: Store, actor: Actor, id: string, deps: UseCaseDeps): Promise<Result<ReportId>> {
  const r = await regenerateReport(store, actor, id, deps);
  return r.ok ? ok(toReportId(r.value)) : r;
}

export async function findCompletedReportAnswering(db: Db, actor: Actor, input: ReportRequest, now: Date): Promise<ChatReport | undefined> {
  const r = await findCompletedReportFor(db, actor, input, now);
  return r && toChatReport(r);
}

export async function generateReportAnswering(store: Store, reportId: string, deps: UseCaseDeps): Promise<ChatReport | undefined> {
  const r = await generateReport(store, reportId, deps);
  return r && toChatReport(r);
}
