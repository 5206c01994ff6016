import { z } from 'zod';
import { defineCommand } from '../bot-command.js';
import { escapeMarkdown } from '../replies.js';

export const reviewQueueCommand = defineCommand({
  name: 'review queue',
  summary: 'Customers waiting on a restricted-party review, soonest deadline first',
  usage: 'review queue',
  examples: ['review queue'],
  role: 'operator',
  scopes: ['wholesale-desk:compliance_read'],
  read: (words) => ({ extra: words }),
  args: z.object({ extra: z.array(z.string()).max(0, '"review queue" takes no arguments') }),
  async run(ctx) {
    const rows = await ctx.useCases.listReviewQueue(ctx.actor.partner, 50);
    if (rows.length === 0) return { markdown: 'The review queue is empty.' };
    const lines = rows.map((r) => {
      const hours = Math.max(0, Math.round((r.deadlineAt.getTime() - ctx.deps.now.getTime()) / 3_600_000));
      const best = r.matches[0];
      return `- **${escapeMarkdown(r.name ?? r.externalId)}** (${r.kind.replace('_', ' ')}): matches ${escapeMarkdown(best?.matchedName ?? '?')} (${best?.source ?? ''}, score ${best?.score ?? '?'}); ${hours} h left`;
    });
    return {
      markdown: `**Review queue** (${rows.length})\n${lines.join('\n')}\n\nDecide with \`approve <customer>\` or \`reject <customer> <reason>\`.`,
    };
  },
});
