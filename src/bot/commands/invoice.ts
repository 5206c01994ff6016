import { z } from 'zod';
import { explainInvoiceLine, groupDigits } from '../../domain/invoice-arithmetic.js';
import { daysInMonth, formatMinor } from '../../domain/money.js';
import { getInvoice, toInvoiceCsv } from '../../use-cases/invoices.js';
import { defineCommand } from '../bot-command.js';
import { requiredText } from '../form-values.js';
import { customerOrReply } from '../find-customer.js';
import { formatMonth, monthName, parseMonth } from '../parse-month.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

export const invoiceCommand = defineCommand({
  name: 'invoice',
  summary: "A customer's invoice for a month from the price book, with the CSV attached",
  usage: 'invoice <customer> <Month> [<year>]',
  examples: ['invoice "Alder Dental" March', 'invoice crm-1001 last month', 'invoice crm-1001 2026-03'],
  role: 'operator',
  scopes: ['spark-admin:wholesale_billing_reports_read'],
  read(words, ctx) {
    // The month is the last one or two words; the customer is everything before.
    for (const n of [2, 1]) {
      if (words.length <= n) continue;
      const month = parseMonth(words.slice(-n).join(' '), ctx.deps.now);
      if (month) return { customer: words.slice(0, -n).join(' '), month };
    }
    return { customer: words.join(' '), month: undefined };
  },
  args: z.object({
    customer: requiredText('name the customer first'),
    month: z.object({ year: z.number(), month: z.number() }, { error: 'end with a month: March, march 2026, 2026-03 or last month' }),
  }),
  async run(ctx, a) {
    const found = await customerOrReply(ctx.db, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const month = formatMonth(a.month);
    const r = await getInvoice(ctx.db, { partner: ctx.actor.partner, label: ctx.actor.label }, found.value.id, month, ctx.deps.now);
    if (!r.ok) return { markdown: r.problems.map((p) => escapeMarkdown(p.message)).join('\n') };
    const inv = r.value;
    const days = daysInMonth(month);
    const lines = inv.lines.map((l) => `- ${escapeMarkdown(l.package)}: ${explainInvoiceLine(l, days, inv.currency)}`);
    const unpriced = inv.unpriced.length
      ? `\nNot priced (no price-book entry): ${inv.unpriced.map((u) => `${u.package} ${u.quantity}`).join(', ')}`
      : '';
    return {
      markdown: `**Invoice ${escapeMarkdown(inv.customerName ?? inv.externalId)}, ${monthName(a.month)}${inv.provisional ? ` to date (provisional${inv.through ? `, through ${inv.through} UTC` : ', no day ended yet'})` : ''}**\n${lines.join('\n') || '- no priced usage'}\nTotal: **${groupDigits(formatMinor(inv.totalMinor))}${inv.currency ? ` ${inv.currency}` : ''}**${unpriced}`,
      files: [{ name: `invoice-${inv.externalId}-${month}.csv`, contentType: 'text/csv', content: toInvoiceCsv(inv) }],
    };
  },
});
