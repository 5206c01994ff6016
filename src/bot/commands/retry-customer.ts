import { z } from 'zod';
import { TASK_STATES } from '../../use-cases/task-retries.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { countOf } from '../plural.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import { stillRefusedNote } from './retry-failed.js';

export const retryCustomerCommand = defineCommand({
  name: 'retry',
  summary: "Run again a customer's held or failed tasks (and its subscribers'): it goes back in progress",
  usage: 'retry <customer name, externalId or id>',
  examples: ['retry "Acme Dental"', 'retry crm-1001'],
  role: 'admin',
  scopes: ['wholesale-desk:admin'],
  read: (words) => ({ customer: words.join(' ') }),
  args: z.object({ customer: z.string().trim().min(1, 'name the customer: its name, externalId or id (or `retry failed` for all)') }),
  async run(ctx, args) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, args.customer, 'Try `customers` to list them.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const c = found.value;
    const label = `**${escapeMarkdown(c.name ?? c.externalId)}**`;
    const r = await ctx.useCases.retryTasks(actorOf(ctx), { states: TASK_STATES, customerId: c.id }, ctx.deps);
    if (r.retried === 0) return { markdown: `Nothing to retry for ${label}: no task of it is held or failed (it is ${c.status}).` };
    ctx.upstream?.retryNow?.();
    return {
      markdown: `Retrying ${countOf(r.retried, 'task')} of ${label}: it is back in progress. Type \`status ${escapeMarkdown(c.externalId)}\` to follow it.${stillRefusedNote(ctx)}`,
    };
  },
});
