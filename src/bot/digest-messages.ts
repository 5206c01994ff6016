import type { BotReply } from './bot-command.js';
import { packageName } from '../domain/dashboard-figures.js';
import { escapeMarkdown } from './replies.js';
import { countOf } from './plural.js';
import { addDays } from '../domain/calendar.js';
import { formatMinor } from '../domain/money.js';
import { formatUnits, secondsToUnits } from '../domain/proration.js';
import { buildUsageChartSvg } from '../domain/usage-chart.js';
import { renderSvgToPng } from '../platform/render-png.js';
import type { DailyDigestData, MonthlyDigestData, NamedCustomer } from '../use-cases/digest-data.js';

/** Lists in a digest show this many names, then "and N more": the message stays far below Webex's limit. */
const LIST_CAP = 10;

const capped = (items: readonly string[], cap = LIST_CAP) =>
  items.length > cap ? [...items.slice(0, cap), `…and ${(items.length - cap).toLocaleString('en-US')} more`] : [...items];
const bullet = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');
const signed = (n: number) => (n > 0 ? `+${formatUnits(n)}` : n < 0 ? `−${formatUnits(-n)}` : '±0');
const name = (c: NamedCustomer) => escapeMarkdown(c.name ?? c.externalId);

/**
 * The daily digest: active licences per package (daily units) and the change from the day before,
 * customers and subscribers added and removed that day, the compliance queue, what failed, and the
 * chart of active licences as a PNG.
 */
export function formatDailyDigest(d: DailyDigestData): BotReply {
  const day = d.day;
  const packages = [...new Set(d.usage.map((u) => u.package))].sort();
  const seconds = (on: string, p: string) => d.usage.find((u) => u.day === on && u.package === p)?.seconds ?? 0;
  const previous = addDays(day, -1);
  const licenceLines = packages
    .filter((p) => seconds(day, p) > 0 || seconds(previous, p) > 0)
    .map((p) => {
      const today = secondsToUnits(seconds(day, p));
      const before = secondsToUnits(seconds(previous, p));
      return `${packageName(p)}: **${formatUnits(today)}** (${signed(today - before)})`;
    });
  const sections = [
    `**Daily digest for ${escapeMarkdown(d.partnerName)}: ${day}** (UTC day)`,
    `**Active licences** (change from ${previous})\n${licenceLines.length ? bullet(licenceLines) : '- none held'}`,
    `**Customers**: ${d.newCustomers.length} new, ${d.removedCustomers.length} removed · **Subscribers**: ${d.newSubscribers} new, ${d.removedSubscribers} removed` +
      (d.newCustomers.length ? `\nNew: ${capped(d.newCustomers.map(name)).join(', ')}` : '') +
      (d.removedCustomers.length ? `\nRemoved: ${capped(d.removedCustomers.map(name)).join(', ')}` : ''),
    `**Compliance review**: ${d.openReviews.length ? `${d.openReviews.length} waiting\n${bullet(capped(d.openReviews.map((r) => `${name(r)} (${r.kind}), decide by ${r.deadlineAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`)))}` : 'nothing waiting'}`,
    `**Failed provisioning**: ${countOf(d.failedCustomers.length, 'customer')}, ${countOf(d.failedSubscribers, 'subscriber')}${d.failedCustomers.length ? `\n${bullet(capped(d.failedCustomers.map((c) => `${name(c)}: ${c.status}${c.reason ? ` (${escapeMarkdown(c.reason)})` : ''}`)))}` : ''}`,
    `**Webhook deliveries dead-lettered** in the last 7 days: ${d.deadDeliveries}${d.deadDeliveries ? ' (replay them through POST /v1/webhooks/deliveries/{id}/replay)' : ''}`,
  ];
  if (d.stoppedTasks && (d.stoppedTasks.parked || d.stoppedTasks.failed)) {
    const { parked, failed } = d.stoppedTasks;
    sections.push(
      `**Webex work waiting for you**: ${[
        parked ? `${countOf(parked, 'task')} held because the Webex token was refused (fix the token, then retry)` : '',
        failed ? `${countOf(failed, 'task')} failed after their attempts` : '',
      ]
        .filter(Boolean)
        .join('; ')}. Type \`retry failed\` (or use Retry on the console's Upstream page) to run them again.`,
    );
  }
  if (d.screening.list !== 'ready' || d.screening.unscreenedCustomers > 0)
    sections.push(
      `**Screening**: ${
        d.screening.list === 'none'
          ? 'no restricted-party list loaded (new customers wait for one, or go through unscreened with SCREENING_REQUIRED=false): load it with POST /v1/compliance/screening-list'
          : d.screening.list === 'indexing'
            ? 'the restricted-party list is being indexed; new customers wait until it is ready'
            : 'list loaded'
      }${d.screening.unscreenedCustomers ? `; ${countOf(d.screening.unscreenedCustomers, 'customer')} provisioned without screening (screened when a list is loaded)` : ''}`,
    );
  if (d.drift?.open) {
    const k = d.drift.byKind;
    sections.push(
      `**Drift with Webex**: ${d.drift.open} open (${k.only_webex ?? 0} only in Webex, ${k.only_desk ?? 0} only in the desk, ${k.status ?? 0} status, ${k.packages ?? 0} packages)` +
        `${d.drift.lastSyncAt ? ` at the last sync, ${d.drift.lastSyncAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}; type \`drift\` to resolve them`,
    );
  }
  const svg = buildUsageChartSvg(
    `Daily active licences, ${d.chartDays[0] ?? day} to ${day}`,
    d.chartDays,
    packages.map((p) => ({ label: p, values: d.chartDays.map((on) => seconds(on, p) / 86_400) })),
  );
  return {
    markdown: sections.join('\n\n'),
    files: [{ name: `licences-${day}.png`, contentType: 'image/png', content: renderSvgToPng(svg) }],
  };
}

/**
 * The monthly digest for a finished month: quantities and the SP's charges per package from the
 * price book, the ten customers with the highest charges, and the CUSTOMER billing report as CSV.
 */
export function formatMonthlyDigest(d: MonthlyDigestData): BotReply {
  const { charges, month } = d;
  const currency = charges.currency ?? '';
  const money = (minor: number) => `${formatMinor(minor)} ${currency}`.trim();
  const lines = charges.packages.map((p) => `${packageName(p.package)}: ${p.quantity} daily units → ${money(p.amountMinor)}`);
  const top = charges.customers
    .slice(0, 10)
    .map((c, i) => `${i + 1}. ${escapeMarkdown(c.name)} (${escapeMarkdown(c.externalId)}): ${money(c.amountMinor)}`);
  const files: BotReply['files'] = d.report
    ? [{ name: `customer-report-${d.report.first}_${d.report.last}.csv`, contentType: 'text/csv', content: d.report.csv }]
    : [];
  const sections = [
    `**Monthly billing for ${escapeMarkdown(d.partnerName)}: ${month}${charges.provisional ? ` to date (provisional${charges.through ? `, through ${charges.through} UTC` : ', no day ended yet'})` : ''}**`,
    `**Per package**\n${lines.length ? bullet(lines) : '- no usage'}\nTotal charges: **${money(charges.totalMinor)}**${charges.unpricedPackages.length ? `\nNot in the price book (not charged): ${charges.unpricedPackages.join(', ')}` : ''}`,
    `**Top ${countOf(Math.min(10, top.length), 'customer')} by charge**\n${top.join('\n') || 'none'}`,
    d.reconciliation === null
      ? "**Cisco's report**: not reconciled for this month (`reconcile <Month>` with its CSV attached)"
      : `**Cisco's report against our ledger**\n${d.reconciliation.length ? bullet(capped(d.reconciliation.map(escapeMarkdown))) : '- no differences'}`,
    files.length
      ? 'The CUSTOMER billing report is attached.'
      : 'The CUSTOMER billing report could not be generated; ask `billing report` for it.',
  ];
  return { markdown: sections.join('\n\n'), files };
}
