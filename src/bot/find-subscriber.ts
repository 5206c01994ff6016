import { findSubscriberByEmail as find } from '../use-cases/chat-lookups.js';
import type { BotContext } from './bot-command.js';

/** A live subscriber of the actor's partner, by email, with its customer's name. */
export const findSubscriberByEmail = (ctx: BotContext, email: string) => find(ctx.db, ctx.actor.partner.id, email);
