import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { BotContext } from './bot-command.js';

export const PROPOSAL_TTL_MS = 10 * 60_000;

/** Stores what the bot proposes; a newer proposal in the same space by the same person replaces the older. */
export async function storeProposal(ctx: BotContext, command: string, args: Record<string, unknown>): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('bot_proposals').set({ status: 'replaced' }).where('space_id', '=', ctx.spaceId).where('actor', '=', ctx.actor.label).where('status', '=', 'pending').execute();
    await trx
      .insertInto('bot_proposals')
      .values({ id: ctx.deps.uuid(), partner_id: ctx.actor.partner.id, space_id: ctx.spaceId, actor: ctx.actor.label, command, args: JSON.stringify(args), status: 'pending', created_at: ctx.deps.now, expires_at: new Date(ctx.deps.now.getTime() + PROPOSAL_TTL_MS) })
      .execute();
  });
}

/**
 * Takes the pending proposal of this person in this space, closing it as confirmed or cancelled in
 * the same statement, so a double "yes" runs nothing twice. Expired proposals are not taken.
 */
export async function takeProposal(db: Kysely<Database>, ctx: BotContext, answer: 'confirmed' | 'cancelled') {
  const pending = await db
    .updateTable('bot_proposals')
    .set({ status: answer })
    .where('space_id', '=', ctx.spaceId)
    .where('actor', '=', ctx.actor.label)
    .where('status', '=', 'pending')
    .where('expires_at', '>', ctx.deps.now)
    .returning(['command', 'args'])
    .executeTakeFirst();
  return pending;
}
