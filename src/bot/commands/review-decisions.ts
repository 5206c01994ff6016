import { z } from 'zod';
import type { BotContext } from '../bot-command.js';
import { defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { escapeMarkdown } from '../replies.js';
import { approveReview, rejectReview } from '../../use-cases/compliance-reviews.js';

async function openReviewOf(ctx: BotContext, reference: string): Promise<{ id: string; name: string } | string> {
  const found = await customerOrReply(ctx.db, ctx.actor.partner.id, reference, 'Try `review queue`.');
  if ('reply' in found) return found.reply;
  const review = await ctx.db.selectFrom('compliance_reviews').select('id').where('customer_id', '=', found.customer.id).where('status', '=', 'open').executeTakeFirst();
  if (!review) return `${escapeMarkdown(found.customer.name ?? found.customer.external_id)} has no open review.`;
  return { id: review.id, name: found.customer.name ?? found.customer.external_id };
}

export const approveCommand = defineCommand({
  name: 'approve',
  summary: "Clear a customer's restricted-party review",
  usage: 'approve <customer>',
  examples: ['approve "Orion Maritime"', 'approve crm-1001'],
  role: 'admin',
  read: (words) => ({ customer: words.join(' ') }),
  args: z.object({ customer: z.string().trim().min(1, 'name the customer to approve') }),
  async run(ctx, args) {
    const review = await openReviewOf(ctx, args.customer);
    if (typeof review === 'string') return { markdown: review };
    const r = await approveReview(ctx.db, { partner: ctx.actor.partner, label: ctx.actor.label }, review.id, null, ctx.deps);
    return { markdown: r.ok ? `Approved: **${escapeMarkdown(review.name)}** continues (${r.value.kind.replace('_', ' ')} review).` : r.problems.map((p) => p.message).join('\n') };
  },
});

export const rejectCommand = defineCommand({
  name: 'reject',
  summary: "Confirm a restricted-party match: the customer is stopped",
  usage: 'reject <customer> <reason>',
  examples: ['reject crm-1001 "confirmed SDN match"'],
  role: 'admin',
  read: (words) => ({ customer: words[0] ?? '', reason: words.slice(1).join(' ') }),
  args: z.object({ customer: z.string().trim().min(1, 'name the customer to reject'), reason: z.string().trim().min(3, 'give the reason after the customer') }),
  async run(ctx, args) {
    const review = await openReviewOf(ctx, args.customer);
    if (typeof review === 'string') return { markdown: review };
    const r = await rejectReview(ctx.db, { partner: ctx.actor.partner, label: ctx.actor.label }, review.id, args.reason, ctx.deps);
    return { markdown: r.ok ? `Rejected: **${escapeMarkdown(review.name)}** is stopped; nothing more is provisioned or billed.` : r.problems.map((p) => p.message).join('\n') };
  },
});
