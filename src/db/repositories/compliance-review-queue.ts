import type { Db, ReviewKind, ReviewStatus } from '../schema.js';

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
  return query.orderBy('deadline_at').orderBy('id').offset(f.offset).limit(f.max + 1).execute();
}
