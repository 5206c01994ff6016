import type { BotSpacesTable, Db } from '../schema.js';

/** Records the space as the partner's unless it already belongs to someone (first binding wins). */
export async function insertBotSpaceIfNew(
  db: Db,
  s: { spaceId: string; partnerId: string; transport: BotSpacesTable['transport']; title: string | null; boundBy: string; at: Date },
): Promise<void> {
  await db
    .insertInto('bot_spaces')
    .values({ space_id: s.spaceId, partner_id: s.partnerId, transport: s.transport, title: s.title, bound_by: s.boundBy, created_at: s.at })
    .onConflict((oc) => oc.column('space_id').doNothing())
    .execute();
}

export async function findBotSpaceOwner(db: Db, spaceId: string): Promise<string | undefined> {
  const space = await db.selectFrom('bot_spaces').select('partner_id').where('space_id', '=', spaceId).executeTakeFirst();
  return space?.partner_id;
}
