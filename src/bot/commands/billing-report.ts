import { z } from 'zod';
import type { ReportType } from '../../domain/billing-reports.js';
import { addDays, toCivilDate } from '../../domain/calendar.js';
import { daysInMonth } from '../../domain/money.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { countOf } from '../plural.js';
import { formatMonth, monthName, parseMonth } from '../parse-month.js';

const TYPES = ['partner', 'customer', 'user'] as const;
const REPORT_TYPE: Readonly<Record<(typeof TYPES)[number], ReportType>> = { partner: 'PARTNER', customer: 'CUSTOMER', user: 'USER' };

export const billingReportCommand = defineCommand({
  name: 'billing report',
  summary: 'The Webex billing report for a month, as a CSV file',
  usage: 'billing report <Month> [<year>] [partner|customer|user]',
  examples: ['billing report March', 'billing report march 2026 customer', 'billing report 2026-03 user', 'billing report last month'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_billing_reports_write'],
  read: (words, ctx) => {
    const type = TYPES.find((t) => t === words.at(-1)?.toLowerCase());
    const monthWords = type ? words.slice(0, -1) : words;
    return { month: parseMonth(monthWords.join(' '), ctx.deps.now), monthText: monthWords.join(' '), type: type ?? 'partner' };
  },
  args: z.object({
    month: z.object({ year: z.number(), month: z.number() }, { error: 'give a month: March, march 2026, 2026-03 or last month' }),
    monthText: z.string(),
    type: z.enum(TYPES),
  }),
  async run(ctx, args) {
    const first = `${formatMonth(args.month)}-01`;
    const yesterday = addDays(toCivilDate(ctx.deps.now), -1);
    const last = addDays(first, daysInMonth(formatMonth(args.month)) - 1);
    const end = last < yesterday ? last : yesterday;
    if (end < first) return { markdown: `${monthName(args.month)} has not started yet; reports cover days up to yesterday.` };
    const request = { billingStartDate: first, billingEndDate: end, type: REPORT_TYPE[args.type] };
    // A report already made for this period is handed back, not refused: asking again means "send it to me".
    const existing = await ctx.useCases.findCompletedReportFor(actorOf(ctx), request, ctx.deps.now);
    const created = existing ? undefined : await ctx.useCases.createReport(actorOf(ctx), request, ctx.deps);
    if (created && !created.ok) return { markdown: created.problems.map((p) => p.message).join('\n') };
    const report = existing ?? (created?.ok ? await ctx.useCases.generateReport(created.value.report.id, ctx.deps) : undefined);
    if (!report || report.status !== 'COMPLETED')
      return { markdown: `The report could not be generated: ${report?.errors.map((e) => e.description).join('; ') ?? 'unknown error'}` };
    const content = await ctx.useCases.reportCsvText(report);
    return {
      markdown: `**${args.type[0]!.toUpperCase()}${args.type.slice(1)} billing report, ${first} to ${end}**: ${countOf(report.rowCount ?? 0, 'row')}.${existing ? ` Made earlier (${report.completedAt?.toISOString() ?? report.createdAt.toISOString()}); here it is again.` : ''}`,
      files: [{ name: `${args.type}-report-${first}_${end}.csv`, contentType: 'text/csv', content }],
    };
  },
});
