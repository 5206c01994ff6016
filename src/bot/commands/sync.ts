import { z } from 'zod';
import { UpstreamError } from '../../ports.js';
import { syncWithWebex } from '../../use-cases/upstream-sync.js';
import { defineCommand } from '../bot-command.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

export const syncCommand = defineCommand({
  name: 'sync',
  summary: 'Read every customer and subscriber from Webex: the first sync imports them, later ones report drift (nothing is overwritten)',
  usage: 'sync',
  examples: ['sync'],
  role: 'admin',
  scopes: ['wholesale-desk:admin'],
  read: (words) => ({ extra: words }),
  args: z.object({ extra: z.array(z.string()).max(0, '"sync" takes no arguments') }),
  async run(ctx) {
    await ctx.progress?.('Reading every customer and subscriber from Webex…');
    try {
      const r = await syncWithWebex(ctx.db, ctx.upstream, { partner: ctx.actor.partner, label: ctx.actor.label }, ctx.deps);
      if (!r.ok) return { markdown: problemsReply(r.problems) };
      const s = r.value;
      const found = s.drift.only_webex + s.drift.only_desk + s.drift.status + s.drift.packages;
      const lines = [
        `**Sync with Webex** (${s.mode === 'import' ? 'first sync: import' : 'drift check'}): Webex has ${s.webexCustomers} customers and ${s.webexSubscribers} subscribers.`,
        ...(s.mode === 'import'
          ? [
              `Imported ${s.customersImported} customers and ${s.subscribersImported} subscribers${s.subscribersSkipped ? ` (${s.subscribersSkipped} skipped: their email belongs to another partner's subscriber)` : ''}.`,
            ]
          : []),
        found
          ? `Drift: ${s.drift.only_webex} only in Webex, ${s.drift.only_desk} only in the desk, ${s.drift.status} status and ${s.drift.packages} package differences. Nothing was overwritten; type \`drift\` to resolve them.`
          : 'No drift: the desk and Webex agree.',
        ...(s.inTransition ? [`${s.inTransition} left out while they are being provisioned, updated or deleted.`] : []),
      ];
      return { markdown: lines.join('\n') };
    } catch (error) {
      if (error instanceof UpstreamError)
        return { markdown: `Webex did not answer usably (${escapeMarkdown(error.message)}); nothing was changed. Try again later.` };
      throw error;
    }
  },
});
