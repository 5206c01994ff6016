import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findReport } from '../db/repositories/billing-reports.js';
import { restartReport, staleSinceOfReports } from '../db/repositories/report-staleness.js';
import type { BillingReportRow, Database, Db } from '../db/schema.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { enqueueTask } from './enqueue-task.js';

export interface Staleness {
  stale: boolean;
  /** When the period first changed after the report was made (ISO 8601), or null. */
  staleSince: string | null;
}

/** Whether each completed report's period changed after it was made (issue #26): by report id. */
export async function reportStaleness(db: Db, reports: readonly BillingReportRow[]): Promise<Map<string, Staleness>> {
  const since = await staleSinceOfReports(db, reports);
  return new Map(reports.map((r) => [r.id, { stale: since.has(r.id), staleSince: since.get(r.id)?.toISOString() ?? null }]));
}

/**
 * Generates a finished report again under the same id (the way to refresh a stale one without deleting it):
 * back to IN_PROGRESS with a generation task; one still in progress is returned as is.
 */
export async function regenerateReport(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  deps: UseCaseDeps,
): Promise<Result<BillingReportRow>> {
  return db.transaction().execute(async (trx) => {
    const report = await findReport(trx, actor.partner.id, id);
    if (!report) return fail(problem('report_not_found', 'Billing Report not found.'));
    if (report.status === 'IN_PROGRESS') return ok(report);
    const restarted = (await restartReport(trx, actor.partner.id, id))!;
    await enqueueTask(trx, { kind: 'billing_report.generate', entityId: id, now: deps.now });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'billing_report.regenerate',
      entityType: 'billing_report',
      entityId: id,
      before: { status: report.status, completedAt: report.completed_at },
    });
    return ok(restarted);
  });
}
