import { z } from 'zod';
import { parseLocalTime } from '../../domain/digest-schedule.js';
import { isTimezone } from '../../domain/timezone.js';
import { addDays, toCivilDate } from '../../domain/calendar.js';
import { defineCommand } from '../bot-command.js';
import { formatDailyDigest, formatMonthlyDigest } from '../digest-messages.js';
import { escapeMarkdown } from '../replies.js';

export const digestDailyCommand = defineCommand({
  name: 'digest daily',
  summary: 'Post the daily digest here every day at a local time (and the monthly one on the 1st)',
  usage: 'digest daily at <HH:MM> [<IANA zone>]',
  examples: ['digest daily at 07:30 Europe/London', 'digest daily at 8:00 America/New_York', 'digest daily at 06:45'],
  role: 'operator',
  scopes: ['wholesale-desk:admin'],
  read(words) {
    const rest = words[0]?.toLowerCase() === 'at' ? words.slice(1) : words;
    return { time: parseLocalTime(rest[0] ?? ''), zone: rest[1] ?? 'UTC' };
  },
  args: z.object({
    time: z.string({ error: 'give the time as HH:MM, 24-hour: digest daily at 07:30' }),
    zone: z.string().refine(isTimezone, 'give an IANA time zone such as Europe/London or America/New_York (UTC if left out)'),
  }),
  async run(ctx, a) {
    const r = await ctx.useCases.setDigestSubscription(ctx.actor.partner, {
      spaceId: ctx.spaceId,
      localTime: a.time,
      timeZone: a.zone,
      by: ctx.actor.label,
      now: ctx.deps.now,
    });
    if (!r.ok) return { markdown: r.problems.map((p) => escapeMarkdown(p.message)).join('\n') };
    return {
      markdown: `Done: the daily digest comes here every day at **${r.value.localTime} ${escapeMarkdown(r.value.timeZone)}**, and the monthly billing digest on the 1st. \`digest now\` shows one now; \`digest off\` stops them.`,
    };
  },
});

export const digestOffCommand = defineCommand({
  name: 'digest off',
  summary: 'Stop the digests in this space',
  usage: 'digest off',
  examples: ['digest off'],
  role: 'operator',
  scopes: ['wholesale-desk:admin'],
  read: () => ({}),
  args: z.object({}),
  async run(ctx) {
    const removed = await ctx.useCases.removeDigestSubscription(ctx.actor.partner, ctx.spaceId);
    return { markdown: removed ? 'Digests stopped for this space.' : 'This space had no digest.' };
  },
});

export const digestNowCommand = defineCommand({
  name: 'digest now',
  summary: "Show the daily digest (yesterday) now, or last month's billing digest",
  usage: 'digest now [monthly]',
  examples: ['digest now', 'digest now monthly'],
  role: 'viewer',
  scopes: ['spark-admin:wholesale_billing_reports_read'],
  read: (words) => ({ kind: (words[0] ?? 'daily').toLowerCase() }),
  args: z.object({ kind: z.enum(['daily', 'monthly'], { error: 'say `digest now` or `digest now monthly`' }) }),
  async run(ctx, a) {
    const yesterday = addDays(toCivilDate(ctx.deps.now), -1);
    if (a.kind === 'daily') return formatDailyDigest(await ctx.useCases.loadDailyDigest(ctx.actor.partner, yesterday, ctx.deps.now));
    const lastMonth = toCivilDate(new Date(Date.UTC(ctx.deps.now.getUTCFullYear(), ctx.deps.now.getUTCMonth() - 1, 1))).slice(0, 7);
    return formatMonthlyDigest(await ctx.useCases.prepareMonthlyDigest(ctx.actor.partner, lastMonth, ctx.deps));
  },
});
