import type { Insertable, Transaction } from 'kysely';
import type { ComplianceReviewsTable, CustomerRow, Database, Db, ReviewKind, ReviewRow, ReviewStatus } from '../schema.js';

export const insertReview = (db: Db, row: Insertable<ComplianceReviewsTable>): Promise<ReviewRow> =>
  db.insertInto('compliance_reviews').values(row).returningAll().executeTakeFirstOrThrow();

/** A review of the partner, locked for the rest of the transaction. */
export const lockReview = (trx: Transaction<Database>, partnerId: string, id: string): Promise<ReviewRow | undefined> =>
  trx.selectFrom('compliance_reviews').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).forUpdate().executeTakeFirst();

/** The open review whose deadline passed first, locked; SKIP LOCKED lets instances take different ones. */
export const claimOverdueReview = (trx: Transaction<Database>, now: Date): Promise<ReviewRow | undefined> =>
  trx
    .selectFrom('compliance_reviews')
    .selectAll()
    .where('status', '=', 'open')
    .where('deadline_at', '<=', now)
    .orderBy('deadline_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();

/**
 * A customer non-compliant since before `cutoff` and not yet stopped, locked; SKIP LOCKED lets
 * instances take different ones.
 */
export const claimLongNonCompliantCustomer = (trx: Transaction<Database>, cutoff: Date): Promise<CustomerRow | undefined> =>
  trx
    .selectFrom('customers')
    .selectAll()
    .where('non_compliant_since', '<=', cutoff)
    .where('status', 'not in', ['error', 'deleting', 'deleted'])
    .orderBy('non_compliant_since')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();

/** The customer's open review, locked. */
export const lockOpenReviewOfCustomer = (trx: Transaction<Database>, customerId: string): Promise<ReviewRow | undefined> =>
  trx
    .selectFrom('compliance_reviews')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();

export const closeReview = (
  db: Db,
  id: string,
  d: { status: ReviewStatus; by: string; reason: string | null; at: Date },
): Promise<ReviewRow> =>
  db
    .updateTable('compliance_reviews')
    .set({ status: d.status, decided_at: d.at, decided_by: d.by, reason: d.reason })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateReviewContacts = (db: Db, id: string, unanswered: number, contacts: ReviewRow['contacts']): Promise<ReviewRow> =>
  db
    .updateTable('compliance_reviews')
    .set({ unanswered_contacts: unanswered, contacts: JSON.stringify(contacts) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** True when the customer has an open review, or any review against this list version. */
export async function hasOpenOrVersionReview(db: Db, customerId: string, listVersionId: number): Promise<boolean> {
  const known = await db
    .selectFrom('compliance_reviews')
    .select('id')
    .where('customer_id', '=', customerId)
    .where((eb) => eb.or([eb('status', '=', 'open'), eb('list_version_id', '=', listVersionId)]))
    .executeTakeFirst();
  return known !== undefined;
}

export async function findOpenReviewIdOfCustomer(db: Db, customerId: string): Promise<string | undefined> {
  const review = await db
    .selectFrom('compliance_reviews')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return review?.id;
}

/** A partner's open reviews with their customer's name, soonest deadline first. */
export function listOpenReviews(db: Db, partnerId: string, limit?: number) {
  let q = db
    .selectFrom('compliance_reviews as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['r.id', 'r.customer_id', 'r.kind', 'r.deadline_at', 'r.matches', 'c.name', 'c.external_id'])
    .where('r.partner_id', '=', partnerId)
    .where('r.status', '=', 'open')
    .orderBy('r.deadline_at');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

export interface ReviewFilter {
  status?: ReviewStatus | undefined;
  kind?: ReviewKind | undefined;
  customerId?: string | undefined;
  offset: number;
  /** One more row than this is read, so the caller knows whether a next page exists. */
  max: number;
}

/** The partner's reviews, nearest deadline first. */
export function listPartnerReviews(db: Db, partnerId: string, f: ReviewFilter) {
  let query = db.selectFrom('compliance_reviews').selectAll().where('partner_id', '=', partnerId);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.kind) query = query.where('kind', '=', f.kind);
  if (f.customerId) query = query.where('customer_id', '=', f.customerId);
  return query
    .orderBy('deadline_at')
    .orderBy('id')
    .offset(f.offset)
    .limit(f.max + 1)
    .execute();
}

/** Customers held in an open review of one kind (every partner's), in id order after `afterCustomerId`: a list load releases `no_list` holds. */
export async function listCustomersWithOpenReviewOfKind(
  db: Db,
  kind: ReviewKind,
  afterCustomerId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('compliance_reviews')
    .select('customer_id')
    .where('status', '=', 'open')
    .where('kind', '=', kind)
    .where('customer_id', '>', afterCustomerId)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.customer_id);
}
