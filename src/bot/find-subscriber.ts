import type { BotContext } from './bot-command.js';

/** A live subscriber of the actor's partner, by email, with its customer's name. */
export const findSubscriberByEmail = (ctx: BotContext, email: string) =>
  ctx.db
    .selectFrom('subscribers as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.id', 's.package', 's.status', 'c.name', 'c.external_id'])
    .where('s.email', '=', email.trim().toLowerCase())
    .where('s.partner_id', '=', ctx.actor.partner.id)
    .where('s.status', '<>', 'deleted')
    .executeTakeFirst();
