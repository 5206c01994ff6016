import type { BotProposalsTable, Db } from '../schema.js';

export interface NewProposal {
  id: string;
  partnerId: string;
  spaceId: string;
  actor: string;
  command: string;
  args: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

/** Closes this person's pending proposals in the space as replaced. */
export async function replacePendingProposals(db: Db, spaceId: string, actor: string): Promise<void> {
  await db
    .updateTable('bot_proposals')
    .set({ status: 'replaced' })
    .where('space_id', '=', spaceId)
    .where('actor', '=', actor)
    .where('status', '=', 'pending')
    .execute();
}

export async function insertProposal(db: Db, p: NewProposal): Promise<void> {
  await db
    .insertInto('bot_proposals')
    .values({
      id: p.id,
      partner_id: p.partnerId,
      space_id: p.spaceId,
      actor: p.actor,
      command: p.command,
      args: JSON.stringify(p.args),
      status: 'pending',
      created_at: p.createdAt,
      expires_at: p.expiresAt,
    })
    .execute();
}

/**
 * Takes the unexpired pending proposal of this person in this space, closing it with `answer` in the
 * same statement, so a double "yes" runs nothing twice.
 */
export const takePendingProposal = (
  db: Db,
  q: { spaceId: string; actor: string; now: Date; answer: Extract<BotProposalsTable['status'], 'confirmed' | 'cancelled'> },
) =>
  db
    .updateTable('bot_proposals')
    .set({ status: q.answer })
    .where('space_id', '=', q.spaceId)
    .where('actor', '=', q.actor)
    .where('status', '=', 'pending')
    .where('expires_at', '>', q.now)
    .returning(['command', 'args'])
    .executeTakeFirst();
