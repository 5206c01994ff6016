import type { Db } from '../schema.js';

const withSpace = (db: Db, partnerId: string) =>
  db
    .selectFrom('digest_subscriptions as d')
    .innerJoin('bot_spaces as s', 's.space_id', 'd.space_id')
    .select(['d.space_id', 's.transport', 's.title', 'd.local_time', 'd.time_zone', 'd.created_by', 'd.updated_at'])
    .where('d.partner_id', '=', partnerId);

/** The partner's digest subscriptions with their space, by space id. */
export const listDigestSubscriptionsOf = (db: Db, partnerId: string) => withSpace(db, partnerId).orderBy('d.space_id').execute();

export const findDigestSubscription = (db: Db, partnerId: string, spaceId: string) =>
  withSpace(db, partnerId).where('d.space_id', '=', spaceId).executeTakeFirstOrThrow();

export async function upsertDigestSubscription(
  db: Db,
  s: { spaceId: string; partnerId: string; localTime: string; timeZone: string; by: string; at: Date },
): Promise<void> {
  await db
    .insertInto('digest_subscriptions')
    .values({
      space_id: s.spaceId,
      partner_id: s.partnerId,
      local_time: s.localTime,
      time_zone: s.timeZone,
      created_by: s.by,
      created_at: s.at,
      updated_at: s.at,
    })
    .onConflict((oc) =>
      oc.column('space_id').doUpdateSet({ local_time: s.localTime, time_zone: s.timeZone, created_by: s.by, updated_at: s.at }),
    )
    .execute();
}

export async function deleteDigestSubscription(db: Db, partnerId: string, spaceId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('digest_subscriptions')
    .where('space_id', '=', spaceId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every subscription of an active partner, with the partner and the space's transport. */
export const listActiveDigestSubscriptions = (db: Db) =>
  db
    .selectFrom('digest_subscriptions as d')
    .innerJoin('bot_spaces as s', 's.space_id', 'd.space_id')
    .innerJoin('partners as p', 'p.id', 'd.partner_id')
    .selectAll('p')
    .select(['d.space_id', 'd.local_time', 'd.time_zone', 'd.updated_at as subscribed_at', 's.transport'])
    .where('p.provisioning_state', '=', 'active')
    .execute();
