import { z } from 'zod';
import { defineCommand } from '../bot-command.js';
import { findSubscriberByEmail } from '../find-subscriber.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

/** Upstream mode: Webex sends a pending_user_migration subscriber the consent email again (as the API's consentMove). */
export const resendConsentCommand = defineCommand({
  name: 'resend consent',
  summary: 'Have Webex send a user awaiting migration the consent email again',
  usage: 'resend consent <email>',
  examples: ['resend consent ann@acme-dental.example'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read: (words) => ({ email: words.join(' ').toLowerCase() }),
  args: z.object({ email: z.email("give the subscriber's email address") }),
  async run(ctx, args) {
    const sub = await findSubscriberByEmail(ctx, args.email);
    if (!sub) return { markdown: `No subscriber ${escapeMarkdown(args.email)}.` };
    const r = await ctx.useCases.resendConsentEmail({ partner: ctx.actor.partner, label: ctx.actor.label }, sub.id, ctx.deps, ctx.upstream);
    if (!r.ok) return { markdown: problemsReply(r.problems) };
    return { markdown: `Webex is sending **${escapeMarkdown(args.email)}** the consent email again (status: pending_user_migration).` };
  },
});
