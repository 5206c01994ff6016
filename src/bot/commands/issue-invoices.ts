import { z } from 'zod';
import { planBillingMonth } from '../../domain/billing-window.js';
import { addDays } from '../../domain/calendar.js';
import { groupDigits } from '../../domain/invoice-arithmetic.js';
import { daysInMonth, formatMinor } from '../../domain/money.js';
import { fail, ok, problem } from '../../domain/problems.js';
import { actorOf, defineCommand } from '../bot-command.js';
import { formatMonth, monthName, parseMonth } from '../parse-month.js';
import { countOf } from '../plural.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

/** Sums per currency: '1,234.50 USD, 99.00 EUR'. */
function totalsByCurrency(invoices: readonly { currency: string | null; totalMinor: number }[]): string {
  const sums = new Map<string, number>();
  for (const i of invoices) sums.set(i.currency ?? '', (sums.get(i.currency ?? '') ?? 0) + i.totalMinor);
  return [...sums].map(([cur, minor]) => `${groupDigits(formatMinor(minor))}${cur ? ` ${cur}` : ''}`).join(', ');
}

export const issueInvoicesCommand = defineCommand({
  name: 'issue invoices',
  summary: 'Issue every customer’s invoice for an ended month: numbered documents that never change afterwards',
  usage: 'issue invoices <Month> [<year>]',
  examples: ['issue invoices October', 'issue invoices last month', 'issue invoices 2026-10'],
  role: 'admin',
  // The API call it stands for: POST /v1/billing/invoices/issue.
  scopes: ['wholesale-desk:admin'],
  read: (words, ctx) => ({ month: parseMonth(words.join(' '), ctx.deps.now) }),
  args: z.object({
    month: z.object(
      { year: z.number(), month: z.number() },
      { error: 'give an ended month: October, october 2026, 2026-10 or last month' },
    ),
  }),
  async propose(ctx, a) {
    const month = formatMonth(a.month);
    const window = planBillingMonth(month, ctx.deps.now);
    if (!window.ok) return window;
    if (window.value.provisional)
      return fail(
        problem(
          'invoice_month_open',
          `${monthName(a.month)} has not ended; its invoices can be issued from ${addDays(`${month}-01`, daysInMonth(month))} (UTC). Until then \`invoice <customer> ${monthName(a.month)}\` shows the figures to date.`,
          'month',
        ),
      );
    return ok(
      `Issue the invoices for **${monthName(a.month)}**: every customer with usage or adjustments in it gets a numbered invoice. ` +
        'Once issued an invoice never changes; anything recorded later for the month goes on the next invoice as an adjustment. ' +
        'Customers already invoiced for the month are left as they are.',
    );
  },
  async run(ctx, a) {
    const month = formatMonth(a.month);
    const r = await ctx.useCases.issueInvoicesForMonth(actorOf(ctx), month, ctx.deps.now, { numberPrefix: ctx.invoicing?.numberPrefix });
    if (!r.ok) return { markdown: problemsReply(r.problems) };
    const { issued, alreadyIssued } = r.value;
    const already = alreadyIssued ? ` ${countOf(alreadyIssued, 'customer')} had been invoiced for it already.` : '';
    if (!issued.length) return { markdown: `No new invoices for ${monthName(a.month)}: nothing left to invoice.${already}` };
    const numbers = issued.length === 1 ? issued[0]!.number : `${issued[0]!.number} to ${issued.at(-1)!.number}`;
    const shown = issued
      .slice(0, 10)
      .map(
        (i) =>
          `- ${escapeMarkdown(i.number)}: ${escapeMarkdown(i.customerName ?? i.externalId)}, ${groupDigits(formatMinor(i.totalMinor))}${i.currency ? ` ${i.currency}` : ''}`,
      );
    const more =
      issued.length > 10
        ? [`- … and ${issued.length - 10} more (\`npm run cli -- invoices list --month ${month}\`, or the console's Billing page)`]
        : [];
    return {
      markdown: [
        `**Issued ${countOf(issued.length, 'invoice')} for ${monthName(a.month)}** (${numbers}), totalling ${totalsByCurrency(issued)}.${already}`,
        ...shown,
        ...more,
        `Each one as a PDF: \`invoice <customer> ${monthName(a.month)}\`.`,
      ].join('\n'),
    };
  },
});
