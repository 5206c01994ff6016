import { insertProposal, replacePendingProposals, takePendingProposal } from '../db/repositories/bot-proposals.js';
import type { UseCaseDeps } from './actor.js';
import type { Store } from './store.js';

export const PROPOSAL_TTL_MS = 10 * 60_000;

/** Who proposes where: one pending proposal per person and space. */
export interface ProposalKey {
  partnerId: string;
  spaceId: string;
  actor: string;
}

/** Stores what the bot proposes; a newer proposal in the same space by the same person replaces the older. */
export async function storeProposal(
  db: Store,
  key: ProposalKey,
  command: string,
  args: Record<string, unknown>,
  deps: UseCaseDeps,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await replacePendingProposals(trx, key.spaceId, key.actor);
    await insertProposal(trx, {
      id: deps.uuid(),
      partnerId: key.partnerId,
      spaceId: key.spaceId,
      actor: key.actor,
      command,
      args,
      createdAt: deps.now,
      expiresAt: new Date(deps.now.getTime() + PROPOSAL_TTL_MS),
    });
  });
}

/**
 * Takes the pending proposal of this person in this space, closing it as confirmed or cancelled in
 * the same statement, so a double "yes" runs nothing twice. Expired proposals are not taken.
 */
export const takeProposal = (db: Store, key: ProposalKey, answer: 'confirmed' | 'cancelled', now: Date) =>
  takePendingProposal(db, { spaceId: key.spaceId, actor: key.actor, now, answer });
