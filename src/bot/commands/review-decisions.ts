import { z } from 'zod';
import type { BotContext } from '../bot-command.js';
import { defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { fail, ok, problem, type Result } from '../../domain/problems.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

/** The open review of the customer named in chat; problems are phrased for chat. */
async function openReviewOf(ctx: BotContext, reference: string): Promise<Result<{ id: string; name: string }>> {
  const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, reference, 'Try `review queue`.');
  if (!found.ok) return found;
  const name = found.value.name ?? found.value.externalId;
  const reviewId = await ctx.useCases.findOpenReviewOfCustomer(found.value.id);
  if (!reviewId) return fail(problem('review_not_found', `${escapeMarkdown(name)} has no open review.`));
  return ok({ id: reviewId, name });
}

export const approveCommand = defineCommand({
  name: 'approve',
  summary: "Clear a customer's restricted-party review",
  usage: 'approve <customer>',
  examples: ['approve "Orion Maritime"', 'approve crm-1001'],
  role: 'admin',
  scopes: ['wholesale-desk:compliance_decide'],
  read: (words) => ({ customer: words.join(' ') }),
  args: z.object({ customer: z.string().trim().min(1, 'name the customer to approve') }),
  async run(ctx, args) {
    const found = await openReviewOf(ctx, args.customer);
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const review = found.value;
    const r = await ctx.useCases.approveReview({ partner: ctx.actor.partner, label: ctx.actor.label }, review.id, null, ctx.deps);
    return {
      markdown: r.ok
        ? `Approved: **${escapeMarkdown(review.name)}** continues (${r.value.kind.replace('_', ' ')} review).`
        : r.problems.map((p) => p.message).join('\n'),
    };
  },
});

export const rejectCommand = defineCommand({
  name: 'reject',
  summary: 'Confirm a restricted-party match: the customer is stopped',
  usage: 'reject <customer> <reason>',
  examples: ['reject crm-1001 "confirmed SDN match"'],
  role: 'admin',
  scopes: ['wholesale-desk:compliance_decide'],
  read: (words) => ({ customer: words[0] ?? '', reason: words.slice(1).join(' ') }),
  args: z.object({
    customer: z.string().trim().min(1, 'name the customer to reject'),
    reason: z.string().trim().min(3, 'give the reason after the customer'),
  }),
  async run(ctx, args) {
    const found = await openReviewOf(ctx, args.customer);
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const review = found.value;
    const r = await ctx.useCases.rejectReview({ partner: ctx.actor.partner, label: ctx.actor.label }, review.id, args.reason, ctx.deps);
    return {
      markdown: r.ok
        ? `Rejected: **${escapeMarkdown(review.name)}** is stopped; nothing more is provisioned or billed.`
        : r.problems.map((p) => p.message).join('\n'),
    };
  },
});
