import { sharedSubscriptionIdOf } from './partner-listings.js';
import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import {
  completeReport,
  deleteReport,
  deleteReportChunks,
  failReport,
  findReport,
  findSameReport,
  insertReport,
  lockReport,
  tuneReportGeneration,
  writePointInTimeCsv,
  writeReconciliationCsv,
} from '../db/repositories/billing-reports.js';
import { findPartnerById, findPartnerByOrgId, findRootPartner } from '../db/repositories/partners.js';
import { enqueueTask } from './enqueue-task.js';
import type { z } from 'zod';
import type { reportResponseSchema } from '../contracts/billing.js';
import { toReportId } from './billing-report-queries.js';
import { reportStaleness } from './report-staleness.js';
import type { BillingReportRow, Database, Db } from '../db/schema.js';
import { planReport, REPORT_COLUMNS, reportFormat, type ReportRequest } from '../domain/billing-reports.js';
import { addDays, startOfDay } from '../domain/calendar.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { billingReportFinished } from './emit-events.js';
import { runLongWork } from '../db/run-in-transaction.js';
import { toActingPartner } from './partner-views.js';

export interface CreateReportInput extends ReportRequest {
  subPartnerOrgId?: string | undefined;
}

/**
 * Accepts a report request: validated, then stored IN_PROGRESS with a generation task in one
 * transaction. A completed report for the same partner, type and period is a 409 (delete it to
 * regenerate); one still in progress is returned as is.
 */
export async function createReport(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateReportInput,
  deps: UseCaseDeps,
): Promise<Result<{ report: BillingReportRow; created: boolean }>> {
  const plan = planReport(input, deps.now);
  if (!plan.ok) return plan;
  let subject = actor.partner;
  if (input.subPartnerOrgId) {
    const sub = await findPartnerByOrgId(db, input.subPartnerOrgId);
    if (!sub || sub.parent_id !== actor.partner.id)
      return fail(
        problem('sub_partner_not_found', `no sub-partner with orgId ${input.subPartnerOrgId} belongs to this partner`, 'subPartnerOrgId'),
      );
    subject = toActingPartner(sub);
  }
  const key = {
    partner_id: subject.id,
    type: plan.value.type,
    category: plan.value.category,
    billing_start_date: plan.value.from,
    billing_end_date: plan.value.to,
  };
  return db.transaction().execute(async (trx) => {
    const same = await findSameReport(trx, key);
    const completed = same.find((r) => r.status === 'COMPLETED');
    if (completed && plan.value.category === 'RECONCILIATION') {
      return fail(
        problem(
          'report_exists',
          `a completed ${key.type} report for ${key.billing_start_date}..${key.billing_end_date} already exists (${completed.id}); delete it first to regenerate`,
        ),
      );
    }
    const running = same.find((r) => r.status === 'IN_PROGRESS');
    if (running) return ok({ report: running, created: false });
    const report = await insertReport(trx, {
      id: deps.uuid(),
      ...key,
      requested_by_partner_id: actor.partner.id,
      sub_partner_org_id: input.subPartnerOrgId ?? null,
      status: 'IN_PROGRESS',
      errors: '[]',
      row_count: null,
      created_by: actor.label,
      created_at: deps.now,
      completed_at: null,
      // The header of the rows about to be written, kept with them.
      columns: JSON.stringify(REPORT_COLUMNS[key.type]),
    });
    await enqueueTask(trx, { kind: 'billing_report.generate', entityId: report.id, now: deps.now });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'billing_report.create',
      entityType: 'billing_report',
      entityId: report.id,
      after: key,
    });
    return ok({ report, created: true });
  });
}

/** The completed report of the actor's own for exactly this request's type and period, if there is one. */
export async function findCompletedReportFor(db: Db, actor: Actor, input: ReportRequest, now: Date): Promise<BillingReportRow | undefined> {
  const plan = planReport(input, now);
  if (!plan.ok) return undefined;
  const same = await findSameReport(db, {
    partner_id: actor.partner.id,
    type: plan.value.type,
    category: plan.value.category,
    billing_start_date: plan.value.from,
    billing_end_date: plan.value.to,
  });
  return same.find((r) => r.status === 'COMPLETED');
}

/**
 * Generates a report's rows in the database and marks it COMPLETED, or FAILED with the reason.
 * Safe to re-run: only an IN_PROGRESS report is generated.
 */
export async function generateReport(db: Kysely<Database>, reportId: string, deps: UseCaseDeps): Promise<BillingReportRow | undefined> {
  try {
    return await runLongWork(db, async (trx) => {
      const report = await lockReport(trx, reportId);
      if (!report || report.status !== 'IN_PROGRESS') return report;
      await deleteReportChunks(trx, reportId);
      await tuneReportGeneration(trx);
      const subject = await findPartnerById(trx, report.partner_id);
      const root = await findRootPartner(trx);
      // Sub-partners bill under their parent's shared subscription.
      const format = reportFormat({
        name: subject?.name ?? '',
        orgId: subject?.org_id ?? '',
        subscriptionId: sharedSubscriptionIdOf(root),
      });
      const rows =
        report.category === 'POINT_IN_TIME'
          ? await writePointInTimeCsv(trx, report, startOfDay(addDays(report.billing_end_date, 1)), format)
          : await writeReconciliationCsv(
              trx,
              report,
              startOfDay(report.billing_start_date),
              startOfDay(addDays(report.billing_end_date, 1)),
              format,
            );
      const done = await completeReport(trx, reportId, rows, deps.now);
      await billingReportFinished(trx, done, deps);
      await appendAudit(trx, {
        at: deps.now,
        partnerId: report.requested_by_partner_id,
        actor: 'system:worker',
        action: 'billing_report.completed',
        entityType: 'billing_report',
        entityId: reportId,
        context: { rows },
      });
      return done;
    });
  } catch (error) {
    const description = isUniqueViolation(error)
      ? 'A completed report for this partner, type and period already exists; delete it first.'
      : `Report generation failed: ${error instanceof Error ? error.message : String(error)}`;
    return db.transaction().execute(async (trx) => {
      const failed = await failReport(trx, reportId, description, deps.now);
      if (failed) await billingReportFinished(trx, failed, deps);
      return failed;
    });
  }
}

/** A report as GET /wholesale/billing/reports/{id} answers it, but for its download link (signed by the edge). */
export type BillingReport = Omit<z.infer<typeof reportResponseSchema>, 'tempDownloadURL'>;

export async function getReport(db: Db, actor: Actor, id: string): Promise<Result<BillingReport>> {
  const r = await findReport(db, actor.partner.id, id);
  if (!r) return fail(problem('report_not_found', 'Billing Report not found.'));
  return ok({
    ...toReportId(r),
    status: r.status,
    created: r.created_at.toISOString(),
    createdBy: r.created_by,
    errors: r.errors,
    ...(await reportStaleness(db, [r])).get(r.id),
  });
}

export async function removeReport(db: Kysely<Database>, actor: Actor, id: string, deps: UseCaseDeps): Promise<Result<true>> {
  return db.transaction().execute(async (trx) => {
    if (!(await deleteReport(trx, actor.partner.id, id))) return fail(problem('report_not_found', 'Billing Report not found.'));
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'billing_report.delete',
      entityType: 'billing_report',
      entityId: id,
    });
    return ok(true as const);
  });
}
