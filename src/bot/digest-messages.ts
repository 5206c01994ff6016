import type { Kysely } from 'kysely';
import type { BotReply } from './bot-command.js';
import { escapeMarkdown } from './replies.js';
import { dailySecondsByPackage } from '../db/repositories/usage-intervals.js';
import type { Database, Db, PartnerRow } from '../db/schema.js';
import { addDays, startOfDay } from '../domain/calendar.js';
import { daysInMonth, formatMinor } from '../domain/money.js';
import { formatUnits, secondsToUnits } from '../domain/proration.js';
import { buildUsageChartSvg } from '../domain/usage-chart.js';
import { renderSvgToPng } from '../platform/render-png.js';
import type { UseCaseDeps } from '../use-cases/actor.js';
import { createReport, generateReport } from '../use-cases/billing-reports.js';
import { partnerCharges } from '../use-cases/partner-charges.js';
import { reportCsvText } from '../use-cases/report-csv.js';

/** Lists in a digest show this many names, then "and N more": the message stays far below Webex's limit. */
const LIST_CAP = 10;
const CHART_DAYS = 30;

const capped = (items: readonly string[], cap = LIST_CAP) => (items.length > cap ? [...items.slice(0, cap), `…and ${items.length - cap} more`] : [...items]);
const bullet = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');
const signed = (n: number) => (n > 0 ? `+${formatUnits(n)}` : n < 0 ? `−${formatUnits(-n)}` : '±0');

/**
 * The daily digest for one UTC billing day: active licences per package (daily units) and the change
 * from the day before, customers and subscribers added and removed that day, the compliance queue,
 * what failed, and a 30-day chart of active licences as a PNG.
 */
export async function buildDailyDigest(db: Db, partner: PartnerRow, day: string): Promise<BotReply> {
  const from = startOfDay(day);
  const to = startOfDay(addDays(day, 1));
  const firstChartDay = addDays(day, -(CHART_DAYS - 1));
  const usage = await dailySecondsByPackage(db, partner.id, firstChartDay, addDays(day, 1));
  const packages = [...new Set(usage.map((u) => u.package))].sort();
  const days = Array.from({ length: CHART_DAYS }, (_, i) => addDays(firstChartDay, i));
  const seconds = (d: string, p: string) => usage.find((u) => u.day === d && u.package === p)?.seconds ?? 0;
  const previous = addDays(day, -1);
  const licenceLines = packages
    .filter((p) => seconds(day, p) > 0 || seconds(previous, p) > 0)
    .map((p) => {
      const today = secondsToUnits(seconds(day, p));
      const before = secondsToUnits(seconds(previous, p));
      return `${p}: **${formatUnits(today)}** (${signed(today - before)})`;
    });

  const newCustomers = await db.selectFrom('customers').select(['name', 'external_id']).where('partner_id', '=', partner.id).where('created_at', '>=', from).where('created_at', '<', to).orderBy('created_at').execute();
  const removedCustomers = await db.selectFrom('customers').select(['name', 'external_id']).where('partner_id', '=', partner.id).where('status', '=', 'deleted').where('status_changed_at', '>=', from).where('status_changed_at', '<', to).execute();
  const newSubscribers = await db.selectFrom('subscribers').select(db.fn.countAll<string>().as('n')).where('partner_id', '=', partner.id).where('created_at', '>=', from).where('created_at', '<', to).executeTakeFirstOrThrow();
  const removedSubscribers = await db.selectFrom('package_events').select(db.fn.countAll<string>().as('n')).where('partner_id', '=', partner.id).where('package', 'is', null).where('effective_at', '>=', from).where('effective_at', '<', to).executeTakeFirstOrThrow();
  const reviews = await db
    .selectFrom('compliance_reviews as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['c.name', 'c.external_id', 'r.kind', 'r.deadline_at'])
    .where('r.partner_id', '=', partner.id)
    .where('r.status', '=', 'open')
    .orderBy('r.deadline_at')
    .execute();
  const failedCustomers = await db.selectFrom('customers').select(['name', 'external_id', 'status']).where('partner_id', '=', partner.id).where('status', 'in', ['error', 'provisioned_with_errors']).orderBy('status_changed_at', 'desc').execute();
  const failedSubscribers = await db.selectFrom('subscribers').select(db.fn.countAll<string>().as('n')).where('partner_id', '=', partner.id).where('status', '=', 'error').executeTakeFirstOrThrow();
  const deadDeliveries = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(db.fn.countAll<string>().as('n'))
    .where('s.partner_id', '=', partner.id)
    .where('d.status', '=', 'dead')
    .where('d.created_at', '>=', new Date(to.getTime() - 7 * 86_400_000))
    .executeTakeFirstOrThrow();

  const name = (c: { name: string | null; external_id: string }) => escapeMarkdown(c.name ?? c.external_id);
  const sections = [
    `**Daily digest for ${escapeMarkdown(partner.name)}: ${day}** (UTC day)`,
    `**Active licences** (change from ${previous})\n${licenceLines.length ? bullet(licenceLines) : '- none held'}`,
    `**Customers**: ${newCustomers.length} new, ${removedCustomers.length} removed · **Subscribers**: ${Number(newSubscribers.n)} new, ${Number(removedSubscribers.n)} removed` +
      (newCustomers.length ? `\nNew: ${capped(newCustomers.map(name)).join(', ')}` : '') +
      (removedCustomers.length ? `\nRemoved: ${capped(removedCustomers.map(name)).join(', ')}` : ''),
    `**Compliance review**: ${reviews.length ? `${reviews.length} waiting\n${bullet(capped(reviews.map((r) => `${name(r)} (${r.kind}), decide by ${new Date(r.deadline_at).toISOString().slice(0, 16).replace('T', ' ')} UTC`)))}` : 'nothing waiting'}`,
    `**Failed provisioning**: ${failedCustomers.length} customers, ${Number(failedSubscribers.n)} subscribers` + (failedCustomers.length ? `\n${bullet(capped(failedCustomers.map((c) => `${name(c)}: ${c.status}`)))}` : ''),
    `**Webhook deliveries dead-lettered** in the last 7 days: ${Number(deadDeliveries.n)}${Number(deadDeliveries.n) ? ' (replay them through POST /v1/webhooks/deliveries/{id}/replay)' : ''}`,
  ];
  const svg = buildUsageChartSvg(
    `Daily active licences, ${firstChartDay} to ${day}`,
    days,
    packages.map((p) => ({ label: p, values: days.map((d) => seconds(d, p) / 86_400) })),
  );
  return { markdown: sections.join('\n\n'), files: [{ name: `licences-${day}.png`, contentType: 'image/png', content: renderSvgToPng(svg) }] };
}

/**
 * The monthly digest for a finished month: quantities and the SP's charges per package from the
 * price book, the ten customers with the highest charges, and the CUSTOMER billing report as CSV.
 */
export async function buildMonthlyDigest(db: Kysely<Database>, partner: PartnerRow, month: string, deps: UseCaseDeps): Promise<BotReply> {
  const charges = await partnerCharges(db, partner, month);
  const currency = charges.currency ?? '';
  const money = (minor: number) => `${formatMinor(minor)} ${currency}`.trim();
  const lines = charges.packages.map((p) => `${p.package}: ${p.quantity} daily units → ${money(p.amountMinor)}`);
  const top = charges.customers.slice(0, 10).map((c, i) => `${i + 1}. ${escapeMarkdown(c.name)} (${escapeMarkdown(c.externalId)}): ${money(c.amountMinor)}`);
  const first = `${month}-01`;
  const last = addDays(first, daysInMonth(month) - 1);
  const files: BotReply['files'] = [];
  const created = await createReport(db, { partner, label: 'system:digest' }, { billingStartDate: first, billingEndDate: last, type: 'CUSTOMER' }, deps);
  let report = created.ok ? created.value.report : undefined;
  if (!created.ok && created.problems.some((p) => p.code === 'report_exists')) {
    report = await db.selectFrom('billing_reports').selectAll().where('partner_id', '=', partner.id).where('type', '=', 'CUSTOMER').where('billing_start_date', '=', first).where('billing_end_date', '=', last).where('status', '=', 'COMPLETED').executeTakeFirst();
  }
  if (report && report.status === 'IN_PROGRESS') report = await generateReport(db, report.id, deps);
  if (report?.status === 'COMPLETED') files.push({ name: `customer-report-${first}_${last}.csv`, contentType: 'text/csv', content: await reportCsvText(db, report) });
  const sections = [
    `**Monthly billing for ${escapeMarkdown(partner.name)}: ${month}**`,
    `**Per package**\n${lines.length ? bullet(lines) : '- no usage'}\nTotal charges: **${money(charges.totalMinor)}**${charges.unpricedPackages.length ? `\nNot in the price book (not charged): ${charges.unpricedPackages.join(', ')}` : ''}`,
    `**Top ${Math.min(10, top.length)} customers by charge**\n${top.join('\n') || 'none'}`,
    files.length ? 'The CUSTOMER billing report is attached.' : 'The CUSTOMER billing report could not be generated; ask `billing report` for it.',
  ];
  return { markdown: sections.join('\n\n'), files };
}
