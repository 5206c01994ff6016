import { z } from 'zod';
import { addDays, toCivilDate } from '../../domain/calendar.js';
import { daysInMonth, formatMinor } from '../../domain/money.js';
import { DEFAULT_TOLERANCE_UNITS } from '../../domain/reconciliation.js';
import { formatSignedUnits } from '../../use-cases/reconciliations.js';
import { defineCommand } from '../bot-command.js';
import { formatMonth, monthName, parseMonth } from '../parse-month.js';
import { escapeMarkdown } from '../replies.js';
import { countOf } from '../plural.js';

const LARGEST = 5;
const CLASS_WORDS = {
  quantity_difference: 'quantity differs',
  only_cisco: "only in Cisco's file",
  only_desk: 'only in our ledger',
} as const;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export const reconcileCommand = defineCommand({
  name: 'reconcile',
  summary: "Reconcile Cisco's billing report for a month against our ledger (attach its CSV, or, connected to Webex, it is fetched)",
  usage:
    'reconcile <Month> [<year>]  (attach the PARTNER, CUSTOMER or USER report CSV; in upstream mode without one, the USER report is fetched from Webex)',
  examples: ['reconcile October  + report.csv attached', 'reconcile last month'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_billing_reports_write'],
  read: (words, ctx) => ({
    month: parseMonth(words.join(' '), ctx.deps.now),
    file: ctx.files?.find((f) => /\.csv$/i.test(f.name)) ?? ctx.files?.[0],
  }),
  args: z.object({
    month: z.object({ year: z.number(), month: z.number() }, { error: 'give a month: October, october 2026, 2026-10 or last month' }),
    file: z.object({ name: z.string(), content: z.instanceof(Uint8Array) }).optional(),
  }),
  async run(ctx, args) {
    const first = `${formatMonth(args.month)}-01`;
    const yesterday = addDays(toCivilDate(ctx.deps.now), -1);
    const last = addDays(first, daysInMonth(formatMonth(args.month)) - 1);
    const end = last < yesterday ? last : yesterday;
    if (end < first) return { markdown: `${monthName(args.month)} has not started yet; reports cover days up to yesterday.` };
    const actor = { partner: ctx.actor.partner, label: ctx.actor.label };
    const file = args.file;
    // Without a file, Cisco's report is fetched through Webex Wholesale (standalone: a clear refusal).
    const fileName = file ? escapeMarkdown(file.name) : "Cisco's report from Webex";
    if (!file && ctx.upstream)
      await ctx.progress?.(`Asking Webex for Cisco's USER report for ${first} to ${end}; it can take a few minutes.`);
    const done = file
      ? await ctx.useCases.reconcileBillingReport(
          actor,
          {
            billingStartDate: first,
            billingEndDate: end,
            toleranceUnits: DEFAULT_TOLERANCE_UNITS,
            source: 'chat',
            upload: once(file.content),
          },
          ctx.deps,
        )
      : await ctx.useCases.reconcileFromWebex(
          actor,
          { billingStartDate: first, billingEndDate: end, toleranceUnits: DEFAULT_TOLERANCE_UNITS, source: 'webex' },
          { ...ctx.deps, upstream: ctx.upstream },
        );
    if (!done.ok && done.problems[0]?.code === 'reconciliation_file_required')
      return {
        markdown:
          "attach Cisco's billing report (CSV) to the message: the desk runs standalone (not connected to Webex Wholesale), so it cannot fetch the report itself",
      };
    if (!done.ok)
      return {
        markdown: `${fileName} was not reconciled:\n${done.problems.map((p) => `- ${escapeMarkdown(p.message)}`).join('\n')}`,
      };
    const summary = await ctx.useCases.getReconciliationSummary(actor, done.value.id);
    if (!summary.ok) return { markdown: summary.problems.map((p) => p.message).join('\n') };
    const s = summary.value;
    const r = s.reconciliation;
    const differences = s.classes.quantity_difference.lines + s.classes.only_cisco.lines + s.classes.only_desk.lines;
    const head = `**Reconciliation of Cisco's ${r.type} report, ${first} to ${end}** (${countOf(r.fileLines, 'line')} in ${fileName}): ${s.classes.match.lines} match`;
    if (!differences) return { markdown: `${head}, **no differences** with our ledger.` };
    const currency = r.currency ? `${r.currency} ` : '';
    const counts = (Object.keys(CLASS_WORDS) as (keyof typeof CLASS_WORDS)[])
      .filter((c) => s.classes[c].lines)
      .map((c) => `${s.classes[c].lines} ${CLASS_WORDS[c]}`)
      .join(', ');
    const packages = (await ctx.useCases.describePackageDifferences(actor, r.id)).map((t) => `- ${escapeMarkdown(t)}`);
    const largest = (await ctx.useCases.getLargestDifferences(actor, r.id, LARGEST)).map(
      (l) =>
        `- ${escapeMarkdown(l.customerRef ?? '')} ${escapeMarkdown(l.entityId)} ${l.package}: ${CLASS_WORDS[l.class as keyof typeof CLASS_WORDS]}, Cisco ${l.ciscoUnits === null ? '–' : formatSignedUnits(l.ciscoUnits)}, ours ${l.deskUnits === null ? '–' : formatSignedUnits(l.deskUnits)}${l.moneyMinor === null ? ' (no price)' : `, ${currency}${formatMinor(l.moneyMinor)}`}`,
    );
    return {
      markdown: [
        `${head}, ${counts}; money at stake ${currency}${formatMinor(s.moneyAtStakeMinor)}${s.unpricedDifferences ? ` (${s.unpricedDifferences} without a price)` : ''}.`,
        ...packages,
        `**Largest differences:**`,
        ...largest,
        `Every difference is in the attached CSV (id ${r.id}).`,
      ].join('\n'),
      files: [
        {
          name: `reconciliation-${first}_${end}-differences.csv`,
          contentType: 'text/csv',
          content: await ctx.useCases.differencesCsvText(actor, r),
        },
      ],
    };
  },
});
