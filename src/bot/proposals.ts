import { PROPOSAL_TTL_MS } from '../use-cases/chat-proposals.js';
import type { BotContext } from './bot-command.js';

export { PROPOSAL_TTL_MS };

const keyOf = (ctx: BotContext) => ({ partnerId: ctx.actor.partner.id, spaceId: ctx.spaceId, actor: ctx.actor.label });

/** Stores what the bot proposes; a newer proposal in the same space by the same person replaces the older. */
export const storeProposal = (ctx: BotContext, command: string, args: Record<string, unknown>): Promise<void> =>
  ctx.useCases.storeProposal(keyOf(ctx), command, args, ctx.deps);

/** Takes this person's pending proposal in this space (once), closing it with the answer. */
export const takeProposal = (ctx: BotContext, answer: 'confirmed' | 'cancelled') =>
  ctx.useCases.takeProposal(keyOf(ctx), answer, ctx.deps.now);
