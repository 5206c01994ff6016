import { z } from 'zod';
import { explainInvoiceLine, groupDigits } from '../../domain/invoice-arithmetic.js';
import { daysInMonth, formatMinor } from '../../domain/money.js';
import { packageName } from '../../domain/dashboard-figures.js';
import type { InvoiceAdjustment, IssuedInvoice } from '../../contracts/issued-invoices.js';
import { renderInvoicePdf } from '../../platform/render-invoice-pdf.js';
import { toInvoiceCsv } from '../../use-cases/invoices.js';
import { type BotContext, type BotReply, defineCommand, invoiceSellerOf } from '../bot-command.js';
import { requiredText } from '../form-values.js';
import { customerOrReply } from '../find-customer.js';
import { formatMonth, monthName, parseMonth } from '../parse-month.js';
import { escapeMarkdown, problemsReply } from '../replies.js';

export const invoiceCommand = defineCommand({
  name: 'invoice',
  summary: "A customer's invoice for a month: the issued document with its PDF, or the figures to date while it is provisional",
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
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, a.customer, 'Try `customers`.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const month = formatMonth(a.month);
    const actor = { partner: ctx.actor.partner, label: ctx.actor.label };
    const issued = await ctx.useCases.findIssuedInvoiceFor(actor, found.value.id, month);
    if (issued) return issuedReply(ctx, issued);
    const r = await ctx.useCases.getInvoice({ partner: ctx.actor.partner, label: ctx.actor.label }, found.value.id, month, ctx.deps.now);
    if (!r.ok) return { markdown: r.problems.map((p) => escapeMarkdown(p.message)).join('\n') };
    const inv = r.value;
    const days = daysInMonth(month);
    const lines = inv.lines.map((l) => `- ${escapeMarkdown(packageName(l.package))}: ${explainInvoiceLine(l, days, inv.currency)}`);
    const unpriced = inv.unpriced.length
      ? `\nNot priced (no price-book entry): ${inv.unpriced.map((u) => `${escapeMarkdown(packageName(u.package))} ${u.quantity}`).join(', ')}`
      : '';
    // Not issued: the figures are the ledger's now, and say so. Changes to closed months show as the adjustments the next invoice will carry.
    const pending = inv.provisional ? inv.adjustments : await ctx.useCases.listPendingAdjustments(actor, found.value.id, month);
    const adjustments = pending.length
      ? `\n**Adjustments to earlier invoices** (pending):\n${pending.map((p) => adjustmentLine(p, inv.currency)).join('\n')}`
      : '';
    const status = inv.provisional
      ? `Provisional: ${monthName(a.month)} has not ended, so no invoice is issued yet; these are the figures to date.`
      : `Provisional: not issued yet (\`issue invoices ${monthName(a.month)}\`); these figures are computed from the ledger now and may still change until then.`;
    return {
      markdown: `**Invoice ${escapeMarkdown(inv.customerName ?? inv.externalId)}, ${monthName(a.month)}${inv.provisional ? ` to date (provisional${inv.through ? `, through ${inv.through} UTC` : ', no day ended yet'})` : ''}**\n${status}\n${lines.join('\n') || '- no priced usage'}${adjustments}\nTotal: **${groupDigits(formatMinor(inv.totalMinor))}${inv.currency ? ` ${inv.currency}` : ''}**${pending.length ? ' (before adjustments)' : ''}${unpriced}`,
      files: [{ name: `invoice-${inv.externalId}-${month}.csv`, contentType: 'text/csv', content: toInvoiceCsv(inv) }],
    };
  },
});

const money = (minor: number, currency: string | null) => `${groupDigits(formatMinor(minor))}${currency ? ` ${currency}` : ''}`;

function adjustmentLine(a: InvoiceAdjustment, currency: string | null): string {
  const against = a.originalInvoiceNumber ? `invoice ${escapeMarkdown(a.originalInvoiceNumber)}` : a.period;
  return `- ${a.kind} ${money(a.amountMinor, currency)} against ${against} (${a.period}): ${escapeMarkdown(a.holderLabel)}, ${escapeMarkdown(a.packageName)}, ${a.licenceDays} licence-days`;
}

/** An issued invoice: the document as it was issued, with its PDF (the same as the API's Accept: application/pdf). */
async function issuedReply(ctx: BotContext, inv: IssuedInvoice): Promise<BotReply> {
  const lines = inv.lines.map((l) => `- ${escapeMarkdown(l.packageName)}: ${l.arithmetic}`);
  const adjustments = inv.adjustments.length
    ? [`**Adjustments to earlier invoices:**`, ...inv.adjustments.map((x) => adjustmentLine(x, inv.currency))]
    : [];
  const pdf = await renderInvoicePdf(inv, invoiceSellerOf(ctx));
  return {
    markdown: [
      `**Invoice ${escapeMarkdown(inv.number)}**, ${escapeMarkdown(inv.customerName ?? inv.externalId)}, ${inv.periodStart} to ${inv.periodEnd}: issued ${inv.issuedAt.slice(0, 10)} by ${escapeMarkdown(inv.issuedBy)}; it does not change.`,
      ...(lines.length ? lines : ['- no charges']),
      ...adjustments,
      `Total: **${money(inv.totalMinor, inv.currency)}**${inv.adjustments.length ? ` (charges ${money(inv.subtotalMinor, inv.currency)}, adjustments ${money(inv.adjustmentsMinor, inv.currency)})` : ''}`,
    ].join('\n'),
    files: [{ name: `invoice-${inv.number}.pdf`, contentType: 'application/pdf', content: pdf }],
  };
}
