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

/** What the audit entries of a page name by id, to be named in words: ids not found are left out. */
export interface AuditNameLookup {
  tokenIds: string[];
  staffEmails: string[];
  customerIds: string[];
  subscriberIds: string[];
  workspaceIds: string[];
  locationIds: string[];
  reviewIds: string[];
}

/**
 * Names for the ids an audit page mentions, each looked up within the partner (and, for people and
 * tokens, its sub-partners, whose staff act on its behalf): one query per kind, none when none is asked.
 */
export async function findAuditNames(db: Db, partnerId: string, ids: AuditNameLookup) {
  const ownPartners = db
    .selectFrom('partners')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', partnerId), eb('parent_id', '=', partnerId)]));
  const none = Promise.resolve([]);
  const [tokens, staff, customers, subscribers, workspaces, locations, reviews] = await Promise.all([
    ids.tokenIds.length
      ? db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', ids.tokenIds).where('partner_id', 'in', ownPartners).execute()
      : none,
    ids.staffEmails.length
      ? db
          .selectFrom('staff')
          .select(['email', 'display_name'])
          .where('email', 'in', ids.staffEmails)
          .where('partner_id', 'in', ownPartners)
          .execute()
      : none,
    ids.customerIds.length
      ? db
          .selectFrom('customers')
          .select(['id', 'name', 'external_id'])
          .where('id', 'in', ids.customerIds)
          .where('partner_id', '=', partnerId)
          .execute()
      : none,
    ids.subscriberIds.length
      ? db
          .selectFrom('subscribers')
          .innerJoin('customers', 'customers.id', 'subscribers.customer_id')
          .select([
            'subscribers.id',
            'subscribers.email',
            'subscribers.customer_id',
            'customers.name as customer_name',
            'customers.external_id',
          ])
          .where('subscribers.id', 'in', ids.subscriberIds)
          .where('subscribers.partner_id', '=', partnerId)
          .execute()
      : none,
    ids.workspaceIds.length
      ? db
          .selectFrom('workspaces')
          .innerJoin('customers', 'customers.id', 'workspaces.customer_id')
          .select([
            'workspaces.id',
            'workspaces.name',
            'workspaces.customer_id',
            'customers.name as customer_name',
            'customers.external_id',
          ])
          .where('workspaces.id', 'in', ids.workspaceIds)
          .where('workspaces.partner_id', '=', partnerId)
          .execute()
      : none,
    ids.locationIds.length
      ? db
          .selectFrom('locations')
          .innerJoin('customers', 'customers.id', 'locations.customer_id')
          .select(['locations.id', 'locations.name', 'locations.customer_id', 'customers.name as customer_name', 'customers.external_id'])
          .where('locations.id', 'in', ids.locationIds)
          .where('customers.partner_id', '=', partnerId)
          .execute()
      : none,
    ids.reviewIds.length
      ? db
          .selectFrom('compliance_reviews')
          .innerJoin('customers', 'customers.id', 'compliance_reviews.customer_id')
          .select(['compliance_reviews.id', 'compliance_reviews.customer_id', 'customers.name as customer_name', 'customers.external_id'])
          .where('compliance_reviews.id', 'in', ids.reviewIds)
          .where('compliance_reviews.partner_id', '=', partnerId)
          .execute()
      : none,
  ]);
  return { tokens, staff, customers, subscribers, workspaces, locations, reviews };
}
