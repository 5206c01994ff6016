import { z } from 'zod';
import { validateSubscriber } from '../../use-cases/subscribers.js';
import { defineCommand } from '../bot-command.js';
import { given, requiredText } from '../form-values.js';
import { customerOrReply } from '../find-customer.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import { readPairs } from '../tokenize.js';

export const precheckUserCommand = defineCommand({
  name: 'precheck user',
  summary: 'Check whether an email can be added to a customer, changing nothing',
  usage: 'precheck user <email> to <customer> [package <pkg>]',
  examples: ['precheck user ann@alder.example to "Alder Dental"'],
  role: 'viewer',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, ['to', 'package']);
    return { email: given(positional.join(''))?.toLowerCase(), customer: given(pairs.to), package: given(pairs.package) };
  },
  args: z.object({
    email: z.email("give the user's email first"),
    customer: requiredText('name the customer: to <customer>'),
    package: z.string().optional(),
  }),
  async run(ctx, a) {
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const r = await validateSubscriber(
      ctx.db,
      { partner: ctx.actor.partner, label: ctx.actor.label },
      { customerId: found.value.id, email: a.email, package: a.package },
      ctx.deps,
    );
    const who = `${escapeMarkdown(a.email)} → ${escapeMarkdown(found.value.name ?? found.value.external_id)}`;
    return {
      markdown: r.ok
        ? `✅ ${who}: can be added.`
        : `❌ ${who}: cannot be added:\n${r.problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}`,
    };
  },
});
