import { z } from 'zod';
import { describeSyncRun } from '../../use-cases/upstream-sync-runs.js';
import { defineCommand } from '../bot-command.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

/** A sync runs in the background (#25): `sync` starts one (or shows the one running), `sync status` shows the latest. */
export const syncCommand = defineCommand({
  name: 'sync',
  summary:
    'Read every customer and subscriber from Webex in the background: the first sync imports them, later ones report drift (nothing is overwritten); `sync status` shows its progress',
  usage: 'sync [status]',
  examples: ['sync', 'sync status'],
  role: 'admin',
  scopes: ['wholesale-desk:admin'],
  read: (words) => ({ words }),
  args: z.object({
    words: z
      .array(z.string())
      .max(1, '"sync" takes at most one word: status')
      .refine((w) => w.length === 0 || w[0]!.toLowerCase() === 'status', '"sync" takes no arguments but `status`'),
  }),
  async run(ctx, a) {
    if (a.words.length) {
      const latest = await ctx.useCases.getLatestSyncRun({ partner: ctx.actor.partner, label: ctx.actor.label });
      return { markdown: latest ? escapeMarkdown(describeSyncRun(latest)) : 'No sync has been requested yet: type `sync` to start one.' };
    }
    const r = await ctx.useCases.requestSync(ctx.upstream, { partner: ctx.actor.partner, label: ctx.actor.label }, ctx.deps);
    if (!r.ok) return { markdown: problemsReply(r.problems) };
    const { run, created } = r.value;
    return {
      markdown: created
        ? `Sync ${escapeMarkdown(run.id.slice(0, 8))} started in the background: it reads every customer and subscriber from Webex (the first sync imports them; later ones report drift). Type \`sync status\` to see how far it has got; the console's Upstream page shows it too.`
        : `${escapeMarkdown(describeSyncRun(run))} Type \`sync status\` to follow it.`,
    };
  },
});
