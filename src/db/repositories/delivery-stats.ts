import type { Db } from '../schema.js';

/** Outbound deliveries to the partner's subscriptions dead-lettered since `since`. */
export async function countDeadDeliveriesSince(db: Db, partnerId: string, since: Date): Promise<number> {
  const r = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(db.fn.countAll<string>().as('n'))
    .where('s.partner_id', '=', partnerId)
    .where('d.status', '=', 'dead')
    .where('d.created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
