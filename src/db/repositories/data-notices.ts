import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../schema.js';

/** Live subscribers whose only (base) package is one of `addOns`; all partners when partnerId is null. */
export async function listSubscribersHoldingOnly(db: Db, partnerId: string | null, addOns: readonly string[]) {
  if (addOns.length === 0) return [];
  let q = db
    .selectFrom('subscribers as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.id', 's.partner_id', 's.email', 's.package', 'c.name as customer_name', 'c.external_id'])
    .where('s.status', '<>', 'deleted')
    .where('s.package', 'in', [...addOns]);
  if (partnerId !== null) q = q.where('s.partner_id', '=', partnerId);
  return q.orderBy('s.partner_id').orderBy('c.external_id').orderBy('s.email').execute();
}

/**
 * Live subscribers sharing their extension with another live subscriber of the same customer: one
 * pass with a window count (runs at every start, so no per-subscriber lookups).
 */
export async function listSharedExtensions(db: Db, partnerId: string | null) {
  const r = await sql<{
    id: string;
    partner_id: string;
    email: string;
    extension: string;
    customer_name: string | null;
    external_id: string;
  }>`
    select x.id, x.partner_id, x.email, x.extension, x.customer_name, x.external_id
    from (
      select s.id, s.partner_id, s.email, s.extension, c.name as customer_name, c.external_id,
        count(*) over (partition by s.customer_id, s.extension) as sharing
      from subscribers s join customers c on c.id = s.customer_id
      where s.status <> 'deleted' and s.extension is not null ${partnerId === null ? sql`` : sql`and s.partner_id = ${partnerId}`}
    ) x
    where x.sharing > 1
    order by x.partner_id, x.external_id, x.extension, x.email`.execute(db);
  return r.rows;
}

/** Live webhook subscriptions of every partner, for checking their URLs against today's rules. */
export const listLiveWebhookTargets = (db: Db) =>
  db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'partner_id', 'url', 'disabled_reason'])
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Live disabled subscriptions (of one partner, or all when partnerId is null). */
export async function listDisabledWebhookSubscriptions(db: Db, partnerId: string | null) {
  let q = db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'partner_id', 'url', 'disabled_reason'])
    .where('deleted_at', 'is', null)
    .where('disabled_reason', 'is not', null);
  if (partnerId !== null) q = q.where('partner_id', '=', partnerId);
  return q.orderBy('created_at').orderBy('id').execute();
}

/**
 * Marks a subscription disabled (with why) or enabled again; disabling cancels its pending deliveries
 * with that reason, so none is sent to a refused target or left to die there.
 */
export async function setWebhookDisabled(trx: Transaction<Database>, id: string, reason: string | null): Promise<number> {
  await trx.updateTable('webhook_subscriptions').set({ disabled_reason: reason }).where('id', '=', id).execute();
  if (reason === null) return 0;
  const r = await trx
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', locked_until: null, last_error: `subscription disabled: ${reason}` })
    .where('subscription_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
