import type { Db, PartnerRow } from '../db/schema.js';
import { partnerCharges, type PartnerCharges } from './partner-charges.js';

export interface Dashboard {
  customersByStatus: Record<string, number>;
  recentCustomers: { id: string; name: string; externalId: string; status: string; createdAt: string }[];
  reviewQueue: { customerId: string; name: string; kind: string; deadlineAt: string; topMatch: string | null }[];
  billingThisMonth: PartnerCharges;
}

/** The console's overview: customers by status, the review queue, and this month's charges so far. */
export async function loadDashboard(db: Db, partner: PartnerRow, now: Date): Promise<Dashboard> {
  const counts = await db.selectFrom('customers').select(['status', db.fn.countAll<string>().as('n')]).where('partner_id', '=', partner.id).groupBy('status').execute();
  const recent = await db.selectFrom('customers').select(['id', 'name', 'external_id', 'status', 'created_at']).where('partner_id', '=', partner.id).where('status', '<>', 'deleted').orderBy('created_at', 'desc').orderBy('id').limit(20).execute();
  const reviews = await db
    .selectFrom('compliance_reviews as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['r.customer_id', 'c.name', 'c.external_id', 'r.kind', 'r.deadline_at', 'r.matches'])
    .where('r.partner_id', '=', partner.id)
    .where('r.status', '=', 'open')
    .orderBy('r.deadline_at')
    .limit(50)
    .execute();
  const month = now.toISOString().slice(0, 7);
  return {
    customersByStatus: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    recentCustomers: recent.map((c) => ({ id: c.id, name: c.name ?? c.external_id, externalId: c.external_id, status: c.status, createdAt: new Date(c.created_at).toISOString() })),
    reviewQueue: reviews.map((r) => ({ customerId: r.customer_id, name: r.name ?? r.external_id, kind: r.kind, deadlineAt: new Date(r.deadline_at).toISOString(), topMatch: r.matches[0]?.matchedName ?? null })),
    billingThisMonth: await partnerCharges(db, partner, month, now),
  };
}
