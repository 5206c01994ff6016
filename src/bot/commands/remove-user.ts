import { z } from 'zod';
import { packageName } from '../../domain/dashboard-figures.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { findSubscriberByEmail as findSubscriber } from '../find-subscriber.js';
import { cannotReply, escapeMarkdown } from '../replies.js';

export const removeUserCommand = defineCommand({
  name: 'remove user',
  summary: 'Remove a subscriber (asks to confirm; their billing stops)',
  usage: 'remove user <email>',
  examples: ['remove user ann@acme-dental.example'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read: (words) => ({ email: words.join(' ').toLowerCase() }),
  args: z.object({ email: z.email("give the subscriber's email address") }),
  async propose(ctx, args) {
    const sub = await findSubscriber(ctx, args.email);
    if (!sub) return fail(problem('subscriber_not_found', `No subscriber ${escapeMarkdown(args.email)}.`));
    const checked = await ctx.useCases.validateSubscriberRemoval(actorOf(ctx), sub.id, undefined, ctx.deps);
    if (!checked.ok)
      return fail(problem(checked.problems[0]!.code, cannotReply(`remove **${escapeMarkdown(args.email)}**`, checked.problems)));
    return ok(
      `Remove **${escapeMarkdown(args.email)}** from ${escapeMarkdown(sub.customerName ?? sub.customerExternalId)}? Their ${packageName(sub.package)} billing stops ${ctx.upstream ? 'when Webex confirms the removal' : 'now'}.`,
    );
  },
  async run(ctx, args) {
    const sub = await findSubscriber(ctx, args.email);
    if (!sub) return { markdown: `No subscriber ${escapeMarkdown(args.email)} any more; nothing to do.` };
    const r = await ctx.useCases.deleteSubscriberRequest(actorOf(ctx), sub.id, undefined, ctx.deps);
    if (r.ok && r.value.status === 'deleting')
      return { markdown: `Removal of **${escapeMarkdown(args.email)}** sent to Webex; their billing stops when Webex confirms it.` };
    return {
      markdown: r.ok
        ? `Removed **${escapeMarkdown(args.email)}**; billing for their ${packageName(sub.package)} stopped at ${ctx.deps.now.toISOString()}.`
        : r.problems.map((p) => p.message).join('\n'),
    };
  },
});
