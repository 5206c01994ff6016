import { z } from 'zod';
import { packageName } from '../../domain/dashboard-figures.js';
import { toPackageId } from '../../domain/packages.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { given, requiredText } from '../form-values.js';
import { findSubscriberByEmail } from '../find-subscriber.js';
import { cannotReply, escapeMarkdown } from '../replies.js';

import { readPairs } from '../tokenize.js';

export const changePackageCommand = defineCommand({
  name: 'change package',
  summary: 'Move a subscriber to another base package, keeping their add-ons (asks to confirm; billing changes)',
  usage: 'change package <email> to <package>',
  examples: ['change package ann@alder.example to webex_suite'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, ['to']);
    return { email: given(positional.join(''))?.toLowerCase(), package: given(pairs.to) };
  },
  args: z.object({ email: z.email("give the subscriber's email first"), package: requiredText('give the new package: to <package>', 60) }),
  async propose(ctx, a) {
    const sub = await findSubscriberByEmail(ctx, a.email);
    if (!sub) return fail(problem('subscriber_not_found', `No subscriber ${escapeMarkdown(a.email)}.`));
    const next = toPackageId(a.package);
    if (!next)
      return fail(
        problem('unknown_package', `"${escapeMarkdown(a.package)}" is not a package. Type \`help change package\` for an example.`),
      );
    if (next === sub.package)
      return fail(problem('nothing_to_do', `${escapeMarkdown(a.email)} already has ${packageName(next)}; nothing to change.`));
    // A command that will certainly fail never asks "yes?": the PUT's own rules run first, writing nothing.
    const checked = await ctx.useCases.validateSubscriberUpdate(actorOf(ctx), sub.id, { packages: [a.package, ...sub.addons] }, ctx.deps);
    if (!checked.ok)
      return fail(
        problem(checked.problems[0]!.code, cannotReply(`change the package of **${escapeMarkdown(a.email)}**`, checked.problems)),
      );
    return ok(
      `Change **${escapeMarkdown(a.email)}** (${escapeMarkdown(sub.customerName ?? sub.customerExternalId)}) from ${packageName(sub.package)} to ${packageName(next)}? ${ctx.upstream ? `Webex makes the change; billing for ${packageName(sub.package)} stops and ${packageName(next)} starts when Webex confirms it.` : `Billing for ${packageName(sub.package)} stops now and ${packageName(next)} starts.`}${sub.addons.length ? ` Their add-ons (${sub.addons.map(packageName).join(', ')}) stay.` : ''}`,
    );
  },
  async run(ctx, a) {
    const sub = await findSubscriberByEmail(ctx, a.email);
    if (!sub) return { markdown: `No subscriber ${escapeMarkdown(a.email)} any more; nothing to do.` };
    const r = await ctx.useCases.updateSubscriberRequest(
      actorOf(ctx),
      sub.id,
      // The base package changes; the add-ons the subscriber holds stay (a PUT names the complete set).
      { packages: [a.package, ...sub.addons] },
      ctx.deps,
    );
    if (!r.ok) return { markdown: cannotReply(`change the package of **${escapeMarkdown(a.email)}**`, r.problems) };
    if (r.value.status === 'updating')
      return {
        markdown: `Sent to Webex: **${escapeMarkdown(a.email)}** moves to ${packageName(a.package)}; billing changes when Webex confirms (see \`status\`).`,
      };
    return { markdown: `**${escapeMarkdown(a.email)}** now has ${packageName(r.value.package)} (from ${ctx.deps.now.toISOString()}).` };
  },
});
