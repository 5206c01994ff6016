import { z } from 'zod';
import { defineCommand } from '../bot-command.js';
import { given, requiredText } from '../form-values.js';
import { customerOrReply } from '../find-customer.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import { readPairs } from '../tokenize.js';

export const precheckUserCommand = defineCommand({
  name: 'precheck user',
  summary: 'Check whether an email can be added to a customer, changing nothing',
  usage: 'precheck user <email> to <customer> [package <pkg>] [first <name> last <name>] [extension <n>|phone <e164>]',
  examples: [
    'precheck user ann@alder.example to "Alder Dental"',
    'precheck user ann@alder.example to "Alder Dental" package webex_calling extension 1001',
  ],
  role: 'viewer',
  scopes: ['spark-admin:wholesale_subscribers_write'],
  read(words) {
    const { positional, pairs } = readPairs(words, ['to', 'package', 'first', 'last', 'extension', 'phone']);
    return {
      email: given(positional.join(''))?.toLowerCase(),
      customer: given(pairs.to),
      package: given(pairs.package),
      firstName: given(pairs.first),
      lastName: given(pairs.last),
      extension: given(pairs.extension),
      phone: given(pairs.phone),
    };
  },
  args: z.object({
    email: z.email("give the user's email first"),
    customer: requiredText('name the customer: to <customer>'),
    package: z.string().optional(),
    firstName: z.string().max(64).optional(),
    lastName: z.string().max(64).optional(),
    extension: z.string().max(10).optional(),
    phone: z.string().max(20).optional(),
  }),
  async run(ctx, a) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    // Upstream, Webex's own precheck follows the desk's; both answers are listed.
    const r = await ctx.useCases.precheckSubscriber(
      { partner: ctx.actor.partner, label: ctx.actor.label },
      {
        customerId: found.value.id,
        email: a.email,
        package: a.package,
        provisioningParameters: { firstName: a.firstName, lastName: a.lastName, extension: a.extension, primaryPhoneNumber: a.phone },
      },
      ctx.deps,
      ctx.upstream,
    );
    const who = `${escapeMarkdown(a.email)} → ${escapeMarkdown(found.value.name ?? found.value.externalId)}`;
    return {
      markdown: r.ok
        ? `✅ ${who}: can be added${ctx.upstream ? ' (the desk and Webex agree)' : ''}.`
        : `❌ ${who}: cannot be added:\n${r.problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}`,
    };
  },
});
