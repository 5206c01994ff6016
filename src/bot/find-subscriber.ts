import type { BotContext } from './bot-command.js';

/** A live subscriber of the actor's partner, by email, with its customer's name. */
export const findSubscriberByEmail = (ctx: BotContext, email: string) => ctx.useCases.findSubscriberByEmail(ctx.actor.partner.id, email);
