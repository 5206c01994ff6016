import { sql } from 'kysely';
import type { BillingReportRow, Db } from '../schema.js';

/**
 * For completed period reports: the first instant a ledger fact dated before the period's end was
 * recorded after the report was made (a back-dated change, removal or package change that moves the
 * period). Reports without such a fact are absent from the map.
 */
export async function staleSinceOfReports(
  db: Db,
  reports: readonly Pick<BillingReportRow, 'id' | 'partner_id' | 'category' | 'status' | 'billing_end_date' | 'completed_at'>[],
): Promise<Map<string, Date>> {
  const candidates = reports.filter((r) => r.status === 'COMPLETED' && r.category === 'RECONCILIATION' && r.completed_at);
  if (candidates.length === 0) return new Map();
  const list = JSON.stringify(
    candidates.map((r) => ({ id: r.id, p: r.partner_id, e: r.billing_end_date, c: new Date(r.completed_at!).toISOString() })),
  );
  const rows = await sql<{ id: string; since: Date | string | null }>`
    select r.id, (
      select min(pe.recorded_at) from package_events pe
      where pe.partner_id = r.p and pe.recorded_at > r.c
        and pe.effective_at < (r.e::date + 1)::timestamp at time zone 'UTC'
    ) as since
    from jsonb_to_recordset(${list}::jsonb) as r(id text, p text, e text, c timestamptz)`.execute(db);
  return new Map(rows.rows.filter((r) => r.since !== null).map((r) => [r.id, new Date(r.since!)]));
}

/** Puts a finished report back in progress, to be generated again under the same id. */
export const restartReport = (db: Db, requestedBy: string, id: string): Promise<BillingReportRow | undefined> =>
  db
    .updateTable('billing_reports')
    .set({ status: 'IN_PROGRESS', errors: '[]', row_count: null, completed_at: null })
    .where('id', '=', id)
    .where('requested_by_partner_id', '=', requestedBy)
    .where('status', 'in', ['COMPLETED', 'FAILED'])
    .returningAll()
    .executeTakeFirst();
