import { z } from 'zod';
import { defineCommand } from '../bot-command.js';
import { customerOrReply } from '../find-customer.js';
import { escapeMarkdown, problemsReply } from '../replies.js';
import type { WebexWholesalePort } from '../../ports.js';
import { summaryOf } from '../../use-cases/upstream-health.js';
import { packageName } from '../../domain/dashboard-figures.js';
import type { ChatCustomer } from '../../use-cases/chat-lookups.js';

/** Whether what chat shows is Webex's state or the desk's alone. */
function modeLine(upstream: WebexWholesalePort | undefined): string {
  if (!upstream) return '_Standalone mode: nothing is sent to Webex; statuses are the desk’s own._';
  const s = upstream.status();
  // Anything but a healthy connection is said in words, with what to do (#25).
  if (s.state && s.state !== 'ok')
    return `_Upstream mode: provisioned through Webex Wholesale._\n**Webex connection: ${s.state}.** ${escapeMarkdown(summaryOf(s))}`;
  const circuit = s.circuit;
  return `_Upstream mode: provisioned through Webex Wholesale${circuit && circuit.state !== 'closed' ? ` (connection failing: circuit ${circuit.state})` : ''}._`;
}

/** The customer's Webex org, by its name (the customer's: the desk names the org after it); the orgId only when it has none. */
function orgLine(c: ChatCustomer): string {
  if (!c.orgId) return '';
  // The id is what Webex's own tools search by; the name is what people recognise.
  return c.name ? ` · orgId ${c.orgId} (**${escapeMarkdown(c.name)}**)` : ` · orgId ${c.orgId}`;
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: "A customer's status, packages and subscribers",
  usage: 'status <customer name, externalId or id>',
  examples: ['status "Acme Dental"', 'status crm-1001'],
  role: 'viewer',
  scopes: ['spark-admin:wholesale_customers_read'],
  read: (words) => ({ customer: words.join(' ') }),
  args: z.object({ customer: z.string().trim().min(1, 'name the customer: its name, externalId or id') }),
  async run(ctx, args) {
    const found = await customerOrReply(ctx.useCases, ctx.actor.partner.id, args.customer, 'Try `customers` to list them.');
    if (!found.ok) return { markdown: problemsReply(found.problems) };
    const c = found.value;
    const subs = await ctx.useCases.countCustomerSubscribers(c.id);
    const subLines = subs.length
      ? subs.map((s) => `- ${packageName(s.package)}: ${s.count} ${s.status}`).join('\n')
      : '- no subscribers yet';
    const errors = c.errors.length
      ? `\n**Errors**\n${c.errors.map((e) => `- ${e.errorCode}: ${escapeMarkdown(e.description)}`).join('\n')}`
      : '';
    return {
      markdown:
        `**${escapeMarkdown(c.name ?? c.externalId)}** (${escapeMarkdown(c.externalId)})\n` +
        `Status: **${c.status}**${orgLine(c)} · country ${c.orgCountry} · locale ${c.locale}\n` +
        `Packages: ${c.packages.map(packageName).join(', ')}\n**Subscribers**\n${subLines}${errors}\n${modeLine(ctx.upstream)}`,
    };
  },
});
