import { sql } from 'kysely';
import type { Db } from '../schema.js';

export interface AuditSearch {
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  offset: number;
  max: number;
}

/** One partner's audit entries, newest first; one row more than the page so the caller knows another follows. */
export function searchPartnerAudit(db: Db, partnerId: string, f: AuditSearch) {
  let q = db.selectFrom('audit_log').selectAll().where('partner_id', '=', partnerId);
  // A substring, case-insensitive, without LIKE so that % and _ in what staff type mean themselves.
  if (f.actor) q = q.where(sql<boolean>`strpos(lower(actor), lower(${f.actor})) > 0`);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  return q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .offset(f.offset)
    .limit(f.max + 1)
    .execute();
}
