import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { BotActor } from './bot-command.js';

/** Records the space as the partner's unless it already belongs to someone (first binding wins). */
export async function bindSpace(db: Kysely<Database>, s: { spaceId: string; partnerId: string; title: string | null; boundBy: string; now: Date }): Promise<void> {
  await db
    .insertInto('bot_spaces')
    .values({ space_id: s.spaceId, partner_id: s.partnerId, transport: s.spaceId.startsWith('console:') ? 'console' : 'webex', title: s.title, bound_by: s.boundBy, created_at: s.now })
    .onConflict((oc) => oc.column('space_id').doNothing())
    .execute();
}

export type ChatActorResult = { ok: true; actor: BotActor } | { ok: false; refusal: string };

/**
 * A Webex person → staff member of a partner, and the space → that partner. A space is bound to the
 * partner of the first staff member who speaks in it; another partner's staff are refused there, so
 * nobody reads a partner's data in a space its people do not own.
 */
export async function resolveChatActor(db: Kysely<Database>, input: { email: string; spaceId: string; title: string | null; now: Date }): Promise<ChatActorResult> {
  const email = input.email.trim().toLowerCase();
  const staff = await db
    .selectFrom('staff as s')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .selectAll('p')
    .select(['s.role as staff_role', 's.email as staff_email'])
    .where('s.email', '=', email)
    .executeTakeFirst();
  if (!staff) return { ok: false, refusal: `Hello! I only work with the partner's staff, and ${email} is not on the list. An admin can add you with \`npm run cli -- staff add ${email} --role viewer\`.` };
  await bindSpace(db, { spaceId: input.spaceId, partnerId: staff.id, title: input.title, boundBy: `staff:${email}`, now: input.now });
  const space = await db.selectFrom('bot_spaces').select('partner_id').where('space_id', '=', input.spaceId).executeTakeFirstOrThrow();
  if (space.partner_id !== staff.id) return { ok: false, refusal: 'Sorry, this space belongs to another partner, so I cannot act for you here. Talk to me in a space of your own.' };
  if (staff.provisioning_state !== 'active') return { ok: false, refusal: 'Sorry, your partner account is suspended.' };
  const { staff_role, staff_email, ...partner } = staff;
  return { ok: true, actor: { partner, label: `staff:${staff_email}`, role: staff_role } };
}
