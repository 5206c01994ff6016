// The dashboard: customers by status, this month's billing to date, the review queue and the newest
// customers. It stays mounted beside the pages (hidden while one shows) and loads again when the chat
// has changed something (`version`).
import { html } from 'htm/preact';
import type { Ref } from 'preact';
import type { z } from 'zod';
import type { consoleDashboardSchema } from '../../contracts/console.js';
import { useApiClient } from './context.js';
import { formatMoney, oneDecimal, utcMinute, words } from './format.js';
import { useApi } from './use-api.js';

type Dashboard = z.infer<typeof consoleDashboardSchema>;

const CustomerLink = ({ id, name }: { id: string; name: string }) => html`<a href=${`#/customers/${encodeURIComponent(id)}`}>${name}</a>`;
const EmptyRow = ({ columns, text }: { columns: number; text: string }) => html`<tr><td class="empty" colSpan=${columns}>${text}</td></tr>`;

export function billingLine(b: Dashboard['billingThisMonth']): string {
  // Never silently stale: figures kept from an earlier day say so while the background refresh runs.
  if (b.refreshing && b.asOf === null && b.customerCount === 0) return `${b.month}: being computed, ready in a minute.`;
  const asOf = b.refreshing ? ` Figures as of ${b.asOf ?? 'the last refresh'}, refreshing.` : '';
  return billingFigures(b) + asOf;
}

function billingFigures(b: Dashboard['billingThisMonth']): string {
  const period = b.provisional ? ` to date (provisional${b.through ? `, through ${b.through} UTC` : ', no day ended yet'})` : '';
  const nameOf = (id: string) => b.packageSummaries.find((p) => p.package === id)?.name ?? id;
  const unpriced = b.unpricedPackages.length ? ` Not in the price book yet: ${b.unpricedPackages.map(nameOf).join(', ')}.` : '';
  const total = b.currency ? formatMoney(b.totalMinor, b.currency) : 'nothing charged yet';
  return `${b.month}${period}: ${total}.${unpriced}`;
}

export function Dashboard({ hidden, version, sectionRef }: { hidden: boolean; version: number; sectionRef?: Ref<HTMLElement> }) {
  const api = useApiClient();
  // The dashboard belongs to the desk, not to a page: leaving a page does not abort it.
  const { data: d } = useApi((signal) => api.json<Dashboard>('GET', '/v1/console/dashboard', { signal, lifetime: 'desk' }), [version]);
  const statuses = d ? Object.entries(d.customersByStatus).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])) : [];
  const b = d?.billingThisMonth;
  // The five highest charges: the customers' invoices to date add up to the total above.
  const top = b ? b.customers.filter((c) => c.amountMinor > 0).slice(0, 5) : [];
  const reviewQueue = d?.reviewQueue ?? [];
  return html`<section class="panel dashboard" id="dashboard" aria-labelledby="dashboard-title" hidden=${hidden} ref=${sectionRef}>
    <h2 id="dashboard-title">Dashboard</h2>
    <h3 id="status-title">Customers by status</h3>
    <ul id="status-counts" class="stat-cards" aria-labelledby="status-title">
      ${
        !d
          ? null
          : statuses.length
            ? statuses.map(([s, n]) => html`<li><span class="stat-n">${String(n)}</span><span class="stat-label">${words(s)}</span></li>`)
            : html`<li class="empty">No customers yet.</li>`
      }
    </ul>
    <h3 id="billing-title">Billing this month</h3>
    <p id="billing">${b ? billingLine(b) : ''}</p>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="billing-title">
      <table id="billing-packages" aria-labelledby="billing-title">
        <thead><tr><th scope="col">Package</th><th scope="col" class="num">Licence-days</th><th scope="col" class="num">Average licences</th><th scope="col" class="num">Amount</th></tr></thead>
        <tbody>${
          !b
            ? null
            : b.packageSummaries.length
              ? b.packageSummaries.map(
                  (p) => html`<tr>
                    <td>${p.name}</td>
                    <td class="num">${oneDecimal.format(p.licenceDays)}</td>
                    <td class="num">${p.averageLicences === null ? '–' : oneDecimal.format(p.averageLicences)}</td>
                    <td class="num">${formatMoney(p.amountMinor, b.currency)}</td>
                  </tr>`,
                )
              : html`<${EmptyRow} columns=${4} text="No usage yet this month." />`
        }</tbody>
      </table>
    </div>
    <div class="table-wrap" id="billing-customers-wrap" tabindex="0" role="region" aria-label="Highest charges this month, by customer" hidden=${top.length === 0}>
      <table id="billing-customers" aria-label="Highest charges this month, by customer">
        <thead><tr><th scope="col">Customer</th><th scope="col">External id</th><th scope="col" class="num">Charged to date</th></tr></thead>
        <tbody>${top.map(
          (c) => html`<tr>
            <td><${CustomerLink} id=${c.customerId} name=${c.name} /></td>
            <td class="id">${c.externalId}</td>
            <td class="num">${formatMoney(c.amountMinor, b?.currency ?? null)}</td>
          </tr>`,
        )}</tbody>
      </table>
    </div>
    <h3 id="review-title">Review queue</h3>
    <p id="review-empty" hidden=${!d || reviewQueue.length > 0}>Nothing waits for a compliance decision.</p>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="review-title" hidden=${reviewQueue.length === 0}>
      <table id="review-queue" aria-labelledby="review-title">
        <thead><tr><th scope="col">Customer</th><th scope="col">Kind</th><th scope="col">Top match</th><th scope="col">Decide by (UTC)</th></tr></thead>
        <tbody>${reviewQueue.map(
          (r) => html`<tr>
            <td><${CustomerLink} id=${r.customerId} name=${r.name} /></td>
            <td>${words(r.kind)}</td>
            <td>${r.topMatch ?? '–'}</td>
            <td><span>${utcMinute(r.deadlineAt)}${r.overdue ? html` <strong class="badge overdue">overdue</strong>` : null}</span></td>
          </tr>`,
        )}</tbody>
      </table>
    </div>
    <h3 id="recent-title">Recent customers</h3>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="recent-title">
      <table id="recent-customers" aria-labelledby="recent-title">
        <thead><tr><th scope="col">Name</th><th scope="col">External id</th><th scope="col">Status</th><th scope="col">Created (UTC)</th></tr></thead>
        <tbody>${
          !d
            ? null
            : d.recentCustomers.length
              ? d.recentCustomers.map(
                  (c) => html`<tr>
                    <td><${CustomerLink} id=${c.id} name=${c.name} /></td>
                    <td class="id">${c.externalId}</td>
                    <td>${words(c.status)}</td>
                    <td>${utcMinute(c.createdAt)}</td>
                  </tr>`,
                )
              : html`<${EmptyRow} columns=${4} text="No customers yet: type provision customer in the chat." />`
        }</tbody>
      </table>
    </div>
  </section>`;
}
