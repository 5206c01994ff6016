import { z } from 'zod';
import { packageName } from '../../domain/dashboard-figures.js';
import { CUSTOMER_STATUSES } from '../../domain/lifecycle.js';
import { readPairs } from '../tokenize.js';
import { defineCommand } from '../bot-command.js';
import { escapeMarkdown } from '../replies.js';

const LIMIT = 50;

export const customersCommand = defineCommand({
  name: 'customers',
  summary: 'List customers, optionally by status',
  usage: 'customers [status <status>]',
  examples: ['customers', 'customers status pending_rpl_review'],
  role: 'viewer',
  scopes: ['spark-admin:wholesale_customers_read'],
  read: (words) => {
    const { positional, pairs } = readPairs(words, ['status']);
    return { status: pairs.status?.toLowerCase(), extra: positional };
  },
  args: z.object({
    status: z.enum(CUSTOMER_STATUSES, { error: `status must be one of ${CUSTOMER_STATUSES.join(', ')}` }).optional(),
    extra: z.array(z.string()).max(0, 'unexpected words; only "status <status>" may follow'),
  }),
  async run(ctx, args) {
    const rows = await ctx.useCases.findCustomers(
      { partner: ctx.actor.partner, label: ctx.actor.label },
      { statuses: args.status ? [args.status] : undefined, offset: 0, max: LIMIT },
    );
    if (rows.length === 0)
      return { markdown: args.status ? `No customers are ${args.status}.` : 'No customers yet. Start with `provision customer`.' };
    const shown = rows.slice(0, LIMIT).map((r) => r.item);
    const lines = shown.map(
      (c) =>
        `- **${escapeMarkdown(c.customerInfo.name ?? c.externalId)}** (${escapeMarkdown(c.externalId)}): ${c.status}, ${c.packages.map(packageName).join(', ')}`,
    );
    const more = rows.length > LIMIT ? `\n\n…and more; narrow it with \`customers status <status>\`.` : '';
    return { markdown: `**Customers${args.status ? ` (${args.status})` : ''}**\n${lines.join('\n')}${more}` };
  },
});
