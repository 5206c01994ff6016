import type { Db } from '../schema.js';

export interface AuditEntry {
  at: Date;
  partnerId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: object | null;
  after?: object | null;
  context?: Record<string, unknown> | null;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Appends to the audit trail; call it inside the transaction that makes the change. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      partner_id: entry.partnerId,
      actor: entry.actor,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: json(entry.before),
      after: json(entry.after),
      context: json(entry.context),
    })
    .execute();
}

export async function listAudit(db: Db, filter: { entityType?: string; entityId?: string; limit?: number } = {}) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'asc');
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  return q.limit(filter.limit ?? 1000).execute();
}
