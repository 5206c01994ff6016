import { findBotSpaceOwner } from '../db/repositories/bot-spaces.js';
import {
  deleteDigestSubscription,
  findDigestSubscription,
  listDigestSubscriptionsOf,
  upsertDigestSubscription,
} from '../db/repositories/digest-subscriptions.js';
import type { Db } from '../db/schema.js';
import type { ChatTransport } from '../domain/chat-transports.js';
import { parseLocalTime } from '../domain/digest-schedule.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { isTimezone } from '../domain/timezone.js';
import type { ActingPartner } from './partner-views.js';

export interface DigestSubscription {
  spaceId: string;
  transport: ChatTransport;
  title: string | null;
  localTime: string;
  timeZone: string;
  createdBy: string;
  updatedAt: string;
}

const toSubscription = (r: {
  space_id: string;
  transport: ChatTransport;
  title: string | null;
  local_time: string;
  time_zone: string;
  created_by: string;
  updated_at: Date;
}): DigestSubscription => ({
  spaceId: r.space_id,
  transport: r.transport,
  title: r.title,
  localTime: r.local_time,
  timeZone: r.time_zone,
  createdBy: r.created_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export const listDigestSubscriptions = async (db: Db, partner: ActingPartner) =>
  (await listDigestSubscriptionsOf(db, partner.id)).map(toSubscription);

/**
 * Subscribes a space of the partner to the daily digest (and the monthly one on the 1st) at a local
 * time in an IANA zone. Changing the time takes effect from the next occurrence: runs already past
 * are not posted again.
 */
export async function setDigestSubscription(
  db: Db,
  partner: ActingPartner,
  input: { spaceId: string; localTime: string; timeZone: string; by: string; now: Date },
): Promise<Result<DigestSubscription>> {
  const localTime = parseLocalTime(input.localTime);
  const problems = [
    ...(localTime
      ? []
      : [problem('invalid_request', `"${input.localTime}" is not a time of day; use HH:MM, 24-hour, such as 07:30`, 'localTime')]),
    ...(isTimezone(input.timeZone)
      ? []
      : [
          problem(
            'invalid_timezone',
            `"${input.timeZone}" is not an IANA time zone; use one such as Europe/London or America/New_York`,
            'timeZone',
          ),
        ]),
  ];
  if (problems.length) return fail(...problems);
  const owner = await findBotSpaceOwner(db, input.spaceId);
  if (owner !== partner.id)
    return fail(
      problem('not_found', `no space ${input.spaceId} of this partner; the bot learns a space when someone talks to it there`, 'spaceId'),
    );
  await upsertDigestSubscription(db, {
    spaceId: input.spaceId,
    partnerId: partner.id,
    localTime: localTime!,
    timeZone: input.timeZone,
    by: input.by,
    at: input.now,
  });
  return ok(toSubscription(await findDigestSubscription(db, partner.id, input.spaceId)));
}

export async function removeDigestSubscription(db: Db, partner: ActingPartner, spaceId: string): Promise<boolean> {
  return deleteDigestSubscription(db, partner.id, spaceId);
}
