import { z } from 'zod';
import { isTaskKind } from '../../contracts/task-payloads.js';
import { TASK_STATES } from '../../use-cases/task-retries.js';
import { summaryOf } from '../../use-cases/upstream-health.js';
import { actorOf, type BotContext, defineCommand } from '../bot-command.js';
import { countOf } from '../plural.js';
import { escapeMarkdown } from '../replies.js';

/** After a retry: a word of warning when this instance still sees Webex refusing the token. */
export function stillRefusedNote(ctx: BotContext): string {
  const s = ctx.upstream?.status();
  return s?.state === 'unauthorized'
    ? `\nNote: Webex refused the token at the last call this instance made. ${escapeMarkdown(summaryOf(s))} Work that meets the same refusal is held again.`
    : '';
}

export const retryFailedCommand = defineCommand({
  name: 'retry failed',
  summary:
    'Run again every task held (the Webex token was refused) or failed after its attempts; their customers and subscribers go back in progress',
  usage: 'retry failed [<task kind>]',
  examples: ['retry failed', 'retry failed customer.provision'],
  role: 'admin',
  scopes: ['wholesale-desk:admin'],
  read: (words) => ({ kind: words.join(' ') || undefined }),
  args: z.object({
    kind: z.string().refine(isTaskKind, 'not a task kind: name one such as customer.provision or subscriber.provision').optional(),
  }),
  async run(ctx, args) {
    const r = await ctx.useCases.retryTasks(actorOf(ctx), { states: TASK_STATES, ...(args.kind ? { kind: args.kind } : {}) }, ctx.deps);
    if (r.retried === 0) return { markdown: `Nothing to retry: no task is held or failed${args.kind ? ` of kind ${args.kind}` : ''}.` };
    ctx.upstream?.retryNow?.();
    const byKind = new Map<string, number>();
    for (const t of r.tasks) byKind.set(t.kind, (byKind.get(t.kind) ?? 0) + 1);
    return {
      markdown:
        `Retrying ${countOf(r.retried, 'task')} (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}): their customers and subscribers are back in progress. ` +
        `Type \`status <customer>\` to follow one.${stillRefusedNote(ctx)}`,
    };
  },
});
