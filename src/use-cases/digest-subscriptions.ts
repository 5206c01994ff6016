import type { Db, PartnerRow } from '../db/schema.js';
import { parseLocalTime } from '../domain/digest-schedule.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { isTimezone } from '../domain/timezone.js';

export interface DigestSubscription {
  spaceId: string;
  transport: 'webex' | 'console';
  title: string | null;
  localTime: string;
  timeZone: string;
  createdBy: string;
  updatedAt: string;
}

const toSubscription = (r: { space_id: string; transport: 'webex' | 'console'; title: string | null; local_time: string; time_zone: string; created_by: string; updated_at: Date }): DigestSubscription => ({
  spaceId: r.space_id,
  transport: r.transport,
  title: r.title,
  localTime: r.local_time,
  timeZone: r.time_zone,
  createdBy: r.created_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

const query = (db: Db, partnerId: string) =>
  db
    .selectFrom('digest_subscriptions as d')
    .innerJoin('bot_spaces as s', 's.space_id', 'd.space_id')
    .select(['d.space_id', 's.transport', 's.title', 'd.local_time', 'd.time_zone', 'd.created_by', 'd.updated_at'])
    .where('d.partner_id', '=', partnerId);

export const listDigestSubscriptions = async (db: Db, partner: PartnerRow) => (await query(db, partner.id).orderBy('d.space_id').execute()).map(toSubscription);

/**
 * Subscribes a space of the partner to the daily digest (and the monthly one on the 1st) at a local
 * time in an IANA zone. Changing the time takes effect from the next occurrence: runs already past
 * are not posted again.
 */
export async function setDigestSubscription(db: Db, partner: PartnerRow, input: { spaceId: string; localTime: string; timeZone: string; by: string; now: Date }): Promise<Result<DigestSubscription>> {
  const localTime = parseLocalTime(input.localTime);
  const problems = [
    ...(localTime ? [] : [problem('invalid_request', `"${input.localTime}" is not a time of day; use HH:MM, 24-hour, such as 07:30`, 'localTime')]),
    ...(isTimezone(input.timeZone) ? [] : [problem('invalid_timezone', `"${input.timeZone}" is not an IANA time zone; use one such as Europe/London or America/New_York`, 'timeZone')]),
  ];
  if (problems.length) return fail(...problems);
  const space = await db.selectFrom('bot_spaces').select(['partner_id']).where('space_id', '=', input.spaceId).executeTakeFirst();
  if (!space || space.partner_id !== partner.id) return fail(problem('not_found', `no space ${input.spaceId} of this partner; the bot learns a space when someone talks to it there`, 'spaceId'));
  await db
    .insertInto('digest_subscriptions')
    .values({ space_id: input.spaceId, partner_id: partner.id, local_time: localTime!, time_zone: input.timeZone, created_by: input.by, created_at: input.now, updated_at: input.now })
    .onConflict((oc) => oc.column('space_id').doUpdateSet({ local_time: localTime!, time_zone: input.timeZone, created_by: input.by, updated_at: input.now }))
    .execute();
  return ok(toSubscription((await query(db, partner.id).where('d.space_id', '=', input.spaceId).executeTakeFirstOrThrow())));
}

export async function removeDigestSubscription(db: Db, partner: PartnerRow, spaceId: string): Promise<boolean> {
  const r = await db.deleteFrom('digest_subscriptions').where('space_id', '=', spaceId).where('partner_id', '=', partner.id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
