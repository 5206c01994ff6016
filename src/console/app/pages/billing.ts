// The Billing page: Cisco-shaped billing reports with their downloads, the issued invoices with their
// PDF and CSV (admins issue a month), the SP's own invoices as computed (this month's marked
// provisional), the price book with its versions (admins edit it), and reconciliations of Cisco's
// billing report against the desk's ledger.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { InvoiceResponse, IssueInvoicesResponse, reportListItemSchema } from '../../../contracts/billing.js';
import type { customerResponseSchema } from '../../../contracts/customers.js';
import type { issuedInvoiceSchema } from '../../../contracts/issued-invoices.js';
import type { reconciliationItemSchema, reconciliationSummarySchema } from '../../../contracts/reconciliations.js';
import type { SignedInSession } from '../../../contracts/console-session.js';
import { type Api, errorText } from '../api.js';
import { packageNameIn, useApiClient, useSession } from '../context.js';
import { minorToText } from '../format.js';
import { type Answer, ErrorNote } from '../ui.js';
import { useApi } from '../use-api.js';

type Report = Answer<typeof reportListItemSchema>;
type IssuedInvoice = Answer<typeof issuedInvoiceSchema>;
type Reconciliation = Answer<typeof reconciliationItemSchema>;
type ReconciliationSummary = Answer<typeof reconciliationSummarySchema>;
type Customer = Answer<typeof customerResponseSchema>;
type Policy = 'prorated' | 'average_rounded_up' | 'peak';
/** GET /v1/billing/price-book. */
interface PriceBook {
  versions: { effectiveFrom: string; currency: string; items: { package: string; sku: string; monthlyPrice: number; policy: Policy }[] }[];
}
interface Draft {
  effectiveFrom: string;
  currency: string;
  items: { package: string; price: string; policy: Policy }[];
}
/** What every section gets: the signed-in session and the catalogue's names (an unknown id shows as itself). */
interface SectionProps {
  session: SignedInSession;
  packageName: (id: string) => string;
}

const ADMIN = 'wholesale-desk:admin';
const REPORTS_WRITE = 'spark-admin:wholesale_billing_reports_write';
const SHOWN_REPORTS = 20;

const POLICY_NAMES: Record<string, string> = {
  prorated: 'Prorated (licence-days)',
  average_rounded_up: 'Average, rounded up',
  peak: 'Peak licences',
};
const CLASS_NAMES: Record<string, string> = {
  match: 'Match',
  quantity_difference: 'Quantity differs',
  only_cisco: 'Only in Cisco’s report',
  only_desk: 'Only in the desk',
};

const thisMonth = () => new Date().toISOString().slice(0, 7);
const lastDayOf = (month: string) => {
  const [y = 0, m = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** Saves what the API answers as a file, named; CSVs are asked for as text/csv. */
const downloadCsv = (api: Api, path: string, filename: string) => api.download(path, filename, 'text/csv');

/** The latest month that has ended (UTC): the one an admin usually issues. */
const lastEndedMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

export default function Page() {
  const session = useSession();
  const section = { session, packageName: packageNameIn(session) };
  return html`<h2>Billing</h2>
    <nav aria-label="Billing sections" class="billing-toc">
      <a href="#billing-reports" onClick=${jump}>Billing reports</a>
      <a href="#billing-issued" onClick=${jump}>Issued invoices</a>
      <a href="#billing-invoices" onClick=${jump}>Invoices</a>
      <a href="#billing-price-book" onClick=${jump}>Price book</a>
      <a href="#billing-reconciliations" onClick=${jump}>Reconciliations</a>
    </nav>
    <${Reports} ...${section} />
    <${IssuedInvoices} ...${section} />
    <${Invoices} ...${section} />
    <${PriceBook} ...${section} />
    <${Reconciliations} ...${section} />`;
}

/** In-page links must not change the hash (the router owns it). */
function jump(event: MouseEvent) {
  event.preventDefault();
  const target = document.getElementById((event.currentTarget as HTMLAnchorElement).getAttribute('href')?.slice(1) ?? '');
  target?.scrollIntoView();
  target?.querySelector<HTMLElement>('h3')?.focus();
}

function Reports({ session }: SectionProps) {
  const api = useApiClient();
  const [actionError, setError] = useState('');
  const [month, setMonth] = useState(yesterday().slice(0, 7));
  const [type, setType] = useState('CUSTOMER');
  const [busy, setBusy] = useState(false);
  const canWrite = session.scopes.includes(REPORTS_WRITE);

  // Oldest period first is the API's order: the page shows the latest periods.
  // Cisco's list takes at most 100 a page: read every page (a partner has a few reports a month).
  // Each completed report comes with its download link: no request per report.
  const list = useApi(async (signal) => {
    const items: Report[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api.json<{ items: Report[] }>('GET', `/v1/wholesale/billing/reports?max=100&offset=${offset}`, { signal });
      items.push(...page.items);
      if (page.items.length < 100) break;
    }
    return { total: items.length, reports: items.reverse().slice(0, SHOWN_REPORTS) };
  }, []);
  const load = list.reload;
  const reports = list.data?.reports ?? null;
  const total = list.data?.total ?? 0;
  const error = actionError || list.error;
  // While one is being made, look again every two seconds.
  useEffect(() => {
    if (!reports?.some((r) => r.status === 'IN_PROGRESS')) return undefined;
    const timer = setTimeout(() => void load(), 2000);
    return () => clearTimeout(timer);
  }, [reports]);

  // A stale report's period changed after it was made: it is generated again under the same id.
  async function regenerate(r: Report) {
    setBusy(true);
    setError('');
    try {
      await api.json('POST', `/v1/wholesale/billing/reports/${encodeURIComponent(r.id)}/regenerate`);
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const end = month === thisMonth() ? yesterday() : lastDayOf(month);
      await api.json('POST', '/v1/wholesale/billing/reports', { json: { billingStartDate: `${month}-01`, billingEndDate: end, type } });
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return html`<section id="billing-reports" aria-labelledby="billing-reports-h">
    <h3 id="billing-reports-h" tabindex="-1">Billing reports</h3>
    <p class="hint">Cisco's report format, one row per licence and day, for your BSS or to check Cisco's invoice.</p>
    ${
      canWrite &&
      html`<form class="billing-form" onSubmit=${create} aria-label="New billing report">
        <label for="report-month">Month</label>
        <input id="report-month" type="month" required value=${month} max=${yesterday().slice(0, 7)} onInput=${(e: Event) => setMonth((e.currentTarget as HTMLInputElement).value)} />
        <label for="report-type">Type</label>
        <select id="report-type" value=${type} onChange=${(e: Event) => setType((e.currentTarget as HTMLSelectElement).value)}>
          <option value="PARTNER">Partner</option>
          <option value="CUSTOMER">Customer</option>
          <option value="USER">User</option>
        </select>
        <button type="submit" disabled=${busy}>Create report</button>
      </form>`
    }
    <${ErrorNote} error=${error} />
    ${
      reports === null
        ? html`<p>Loading…</p>`
        : reports.length === 0
          ? html`<p>No billing reports yet.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="billing-reports-table">
            <caption class="visually-hidden">Billing reports, newest period first</caption>
            <thead><tr><th scope="col">Period</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Download</th></tr></thead>
            <tbody>${reports.map(
              (r) => html`<tr>
                <td>${r.billingStartDate} – ${r.billingEndDate}</td>
                <td>${r.type.toLowerCase()}</td>
                <td>${r.status === 'IN_PROGRESS' ? 'being made…' : r.status.toLowerCase()}${
                  'stale' in r && r.stale
                    ? html` <strong class="stale">stale: changed since ${r.staleSince?.slice(0, 10)}</strong>${
                        canWrite &&
                        html` <button type="button" disabled=${busy} onClick=${() => regenerate(r)}>Regenerate<span class="visually-hidden"> ${r.billingStartDate} to ${r.billingEndDate}</span></button>`
                      }`
                    : ''
                }</td>
                <td>${r.tempDownloadURL ? html`<a href=${r.tempDownloadURL} download>CSV<span class="visually-hidden"> for ${r.billingStartDate} to ${r.billingEndDate}, ${r.type.toLowerCase()}</span></a>` : '—'}</td>
              </tr>`,
            )}</tbody>
          </table></div>
          ${total > reports.length && html`<p class="hint">The ${reports.length} latest periods of ${total} reports.</p>`}`
    }
  </section>`;
}

function IssuedInvoices({ session }: SectionProps) {
  const api = useApiClient();
  const [filterMonth, setFilterMonth] = useState('');
  const [issueMonth, setIssueMonth] = useState(lastEndedMonth());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [actionError, setError] = useState('');
  const isAdmin = session.scopes.includes(ADMIN);

  // Choosing months quickly: only the newest month's answer shows.
  const list = useApi(
    (signal) =>
      api.json<{ items: IssuedInvoice[] }>(
        'GET',
        `/v1/billing/invoices?max=100${filterMonth ? `&month=${encodeURIComponent(filterMonth)}` : ''}`,
        { signal },
      ),
    [filterMonth],
  );
  const items = list.data?.items ?? null;
  const error = actionError || list.error;

  function review(event: Event) {
    event.preventDefault();
    setError('');
    setNotice('');
    setConfirming(true);
  }
  async function issue() {
    setBusy(true);
    setError('');
    try {
      const r = await api.json<IssueInvoicesResponse>('POST', `/v1/billing/invoices/issue?month=${encodeURIComponent(issueMonth)}`);
      const range = r.firstNumber === r.lastNumber ? r.firstNumber : `${r.firstNumber} to ${r.lastNumber}`;
      const already = r.alreadyIssued
        ? ` ${r.alreadyIssued} customer${r.alreadyIssued === 1 ? ' was' : 's were'} invoiced for it already.`
        : '';
      setNotice(
        r.issued
          ? `Issued ${r.issued} invoice${r.issued === 1 ? '' : 's'} for ${r.month} (${range}).${already}`
          : `No new invoices for ${r.month}: nothing left to invoice.${already}`,
      );
      await list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }
  async function download(number: string, kind: 'pdf' | 'csv') {
    setError('');
    try {
      await api.download(
        `/v1/billing/invoices/${encodeURIComponent(number)}`,
        `invoice-${number}.${kind}`,
        kind === 'pdf' ? 'application/pdf' : 'text/csv',
      );
    } catch (e) {
      setError(errorText(e));
    }
  }

  const money = (minor: number, currency: string | null) => `${minorToText(minor)}${currency ? ` ${currency}` : ''}`;
  return html`<section id="billing-issued" aria-labelledby="billing-issued-h">
    <h3 id="billing-issued-h" tabindex="-1">Issued invoices</h3>
    <p class="hint">Numbered invoices as they were issued; they never change. Anything recorded later for a closed month appears as an adjustment on the customer's next invoice.</p>
    ${
      isAdmin &&
      html`<form class="billing-form" onSubmit=${review} aria-label="Issue invoices">
        <label for="issue-month">Month to issue</label>
        <input id="issue-month" type="month" required value=${issueMonth} onInput=${(e: Event) => {
          setIssueMonth((e.currentTarget as HTMLInputElement).value);
          setConfirming(false);
        }} />
        <button type="submit" disabled=${busy || confirming}>Issue invoices for ${issueMonth}</button>
      </form>`
    }
    ${
      confirming &&
      html`<div class="confirm" role="alert">
        <p>Issue the invoices for <strong>${issueMonth}</strong>? Every customer with usage or adjustments in it gets a numbered invoice that never changes afterwards; customers already invoiced for it are left as they are.</p>
        <button type="button" class="primary" disabled=${busy} onClick=${issue}>Yes, issue them</button>
        <button type="button" onClick=${() => setConfirming(false)}>No</button>
      </div>`
    }
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <${ErrorNote} error=${error} />
    <div class="billing-form">
      <label for="issued-filter-month">Invoices for</label>
      <input id="issued-filter-month" type="month" value=${filterMonth} onInput=${(e: Event) => setFilterMonth((e.currentTarget as HTMLInputElement).value)} />
      ${filterMonth && html`<button type="button" onClick=${() => setFilterMonth('')}>Every month</button>`}
    </div>
    ${
      items === null
        ? !error && html`<p>Loading…</p>`
        : items.length === 0
          ? html`<p>No invoices issued${filterMonth ? ` for ${filterMonth}` : ' yet'}.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="issued-invoices-table">
            <caption class="visually-hidden">Issued invoices, newest number first</caption>
            <thead><tr><th scope="col">Number</th><th scope="col">Customer</th><th scope="col">Period</th><th scope="col">Total</th><th scope="col">Issued</th><th scope="col">Download</th></tr></thead>
            <tbody>${items.map(
              (i) => html`<tr>
                <th scope="row" class="nowrap">${i.number}</th>
                <td>${i.customerName ?? i.externalId}<div class="hint">${i.externalId}</div></td>
                <td class="nowrap">${i.month}</td>
                <td class="num">${money(i.totalMinor, i.currency)}${
                  i.adjustments.length > 0 ? html`<div class="hint">incl. adjustments ${money(i.adjustmentsMinor, i.currency)}</div>` : ''
                }</td>
                <td>${i.issuedAt.slice(0, 16).replace('T', ' ')} UTC<div class="hint">by ${i.issuedBy}</div></td>
                <td><div class="downloads">
                  <button type="button" onClick=${() => download(i.number, 'pdf')}>PDF<span class="visually-hidden"> of invoice ${i.number}</span></button>
                  <button type="button" onClick=${() => download(i.number, 'csv')}>CSV<span class="visually-hidden"> of invoice ${i.number}</span></button></div>
                </td>
              </tr>`,
            )}</tbody>
          </table></div>
          ${items.length === 100 && html`<p class="hint">The 100 newest; choose a month to see that month's invoices.</p>`}`
    }
  </section>`;
}

function Invoices({ packageName }: SectionProps) {
  const api = useApiClient();
  const [customerId, setCustomerId] = useState('');
  const [month, setMonth] = useState(thisMonth());
  const [actionError, setError] = useState('');
  // The invoice asked for last ("Show invoice"); asked again, only the newest answer shows.
  const [asked, setAsked] = useState<{ customerId: string; month: string; n: number } | null>(null);

  const customerList = useApi(async (signal) => {
    const r = await api.json<{ items: Customer[] }>('GET', '/v1/wholesale/customers?max=1000', { signal });
    return r.items.filter((c) => c.status !== 'deleted');
  }, []);
  const customers = customerList.data ?? [];
  useEffect(() => {
    if (customers[0] && !customerId) setCustomerId(customers[0].id);
  }, [customerList.data]);

  const queryOf = (q: { customerId: string; month: string }) =>
    `/v1/billing/invoices?customerId=${encodeURIComponent(q.customerId)}&month=${encodeURIComponent(q.month)}`;
  const shown = useApi((signal) => (asked ? api.json<InvoiceResponse>('GET', queryOf(asked), { signal }) : null), [asked]);
  // While a new invoice loads, the last one is not shown as if it were the one asked for.
  const invoice = shown.loading ? null : (shown.data ?? null);
  const error = actionError || customerList.error || shown.error;

  function show(event: Event) {
    event.preventDefault();
    setError('');
    setAsked({ customerId, month, n: (asked?.n ?? 0) + 1 });
  }
  async function downloadIssued(kind: 'pdf' | 'csv') {
    if (!invoice?.invoiceNumber) return;
    try {
      await api.download(
        `/v1/billing/invoices/${encodeURIComponent(invoice.invoiceNumber)}`,
        `invoice-${invoice.invoiceNumber}.${kind}`,
        kind === 'pdf' ? 'application/pdf' : 'text/csv',
      );
    } catch (e) {
      setError(errorText(e));
    }
  }
  async function download() {
    if (!invoice || !asked) return;
    try {
      await downloadCsv(api, queryOf(asked), `invoice-${invoice.externalId}-${invoice.month}.csv`);
    } catch (e) {
      setError(errorText(e));
    }
  }

  const cur = invoice?.currency ? ` ${invoice.currency}` : '';
  return html`<section id="billing-invoices" aria-labelledby="billing-invoices-h">
    <h3 id="billing-invoices-h" tabindex="-1">Invoices</h3>
    <form class="billing-form" onSubmit=${show} aria-label="Show an invoice">
      <label for="invoice-customer">Customer</label>
      <select id="invoice-customer" required value=${customerId} onChange=${(e: Event) => setCustomerId((e.currentTarget as HTMLSelectElement).value)}>
        ${customers.map((c) => html`<option value=${c.id}>${c.customerInfo?.name ?? c.externalId} (${c.externalId})</option>`)}
      </select>
      <label for="invoice-month">Month</label>
      <input id="invoice-month" type="month" required value=${month} max=${thisMonth()} onInput=${(e: Event) => setMonth((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" disabled=${!customerId}>Show invoice</button>
    </form>
    ${customers.length === 0 && html`<p>No customers yet.</p>`}
    <${ErrorNote} error=${error} />
    ${
      invoice &&
      html`<div class="invoice" aria-live="polite">
        <h4>${invoice.customerName ?? invoice.externalId} · ${invoice.month}</h4>
        ${
          invoice.invoiceNumber
            ? html`<p>Issued as <strong>${invoice.invoiceNumber}</strong>: these are the issued figures, which no longer change.
                <button type="button" onClick=${() => downloadIssued('pdf')}>Download the PDF<span class="visually-hidden"> of invoice ${invoice.invoiceNumber}</span></button></p>`
            : invoice.provisional
              ? html`<p class="provisional"><strong>Provisional:</strong> this month to date${invoice.through ? `, counted through ${invoice.through}` : ' (nothing counted yet: it is the 1st)'}; it will still change.</p>`
              : html`<p>Final: the whole month, through ${invoice.through}.</p>`
        }
        ${
          invoice.lines.length === 0
            ? html`<p>No charges.</p>`
            : html`<div class="table-wrap" tabindex="0"><table id="invoice-lines">
              <thead><tr><th scope="col">Package</th><th scope="col">Policy</th><th scope="col">Quantity</th><th scope="col">Monthly price</th><th scope="col">Amount</th><th scope="col">How it is worked out</th></tr></thead>
              <tbody>${invoice.lines.map(
                (l) => html`<tr>
                  <th scope="row">${l.description}<div class="hint">SKU ${l.sku} · prices from ${l.priceFrom}</div></th>
                  <td>${POLICY_NAMES[l.policy] ?? l.policy}</td>
                  <td class="num">${l.quantity} ${l.policy === 'prorated' ? 'licence-days' : 'licences'}</td>
                  <td class="num">${l.monthlyPrice}${cur}</td>
                  <td class="num">${l.amount}${cur}</td>
                  <td>${l.arithmetic}</td>
                </tr>`,
              )}</tbody>
              <tfoot><tr><th scope="row" colspan="4">Total</th><td class="num"><strong>${invoice.total}${cur}</strong></td><td></td></tr></tfoot>
            </table></div>`
        }
        ${
          (invoice.adjustments?.length ?? 0) > 0 &&
          html`<div class="table-wrap" tabindex="0"><table id="invoice-adjustments">
            <caption>Adjustments to earlier invoices, as of now (the next invoice carries them)</caption>
            <thead><tr><th scope="col">Invoice · period</th><th scope="col">Who · package</th><th scope="col">Licence-days</th><th scope="col">Amount</th><th scope="col">Change</th></tr></thead>
            <tbody>${(invoice.adjustments ?? []).map(
              (a) => html`<tr>
                <th scope="row">${a.originalInvoiceNumber || '–'}<div class="hint">${a.period}</div></th>
                <td>${a.holderLabel}<div class="hint">${a.packageName}</div></td>
                <td class="num">${a.licenceDays}</td>
                <td class="num">${minorToText(a.amountMinor)}${cur} (${a.kind})</td>
                <td>${a.description}</td>
              </tr>`,
            )}</tbody>
          </table></div>`
        }
        ${
          invoice.unpriced.length > 0 &&
          html`<p class="hint">Not charged (no price-book version covers it): ${invoice.unpriced.map((u) => `${packageName(u.package)} ${u.quantity} licence-days`).join('; ')}.</p>`
        }
        <button type="button" onClick=${download}>Download CSV</button>
      </div>`
    }
  </section>`;
}

function PriceBook({ session, packageName }: SectionProps) {
  const api = useApiClient();
  const priceBook = useApi((signal) => api.json<PriceBook>('GET', '/v1/billing/price-book', { signal }), []);
  const book = priceBook.data ?? null;
  const [actionError, setError] = useState('');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [confirming, setConfirming] = useState(false);
  const isAdmin = session.scopes.includes(ADMIN);
  const error = actionError || priceBook.error;
  const versions = book ? [...book.versions].reverse() : [];

  function startDraft() {
    const latest = versions[0];
    setDraft({
      effectiveFrom: `${thisMonth()}-01`,
      currency: latest?.currency ?? 'USD',
      items: (latest?.items ?? [{ package: 'webex_calling', monthlyPrice: 0, policy: 'prorated' }]).map((i) => ({
        package: i.package,
        price: minorToText(i.monthlyPrice),
        policy: i.policy,
      })),
    });
    setConfirming(false);
    setError('');
  }
  const setItem = (index: number, patch: Partial<Draft['items'][number]>) =>
    draft && setDraft({ ...draft, items: draft.items.map((it, i) => (i === index ? { ...it, ...patch } : it)) });
  const unused = draft ? Object.keys(session.packages).filter((p) => !draft.items.some((i) => i.package === p)) : [];

  function review(event: Event) {
    event.preventDefault();
    if (!draft) return;
    const bad = draft.items.find((i) => !/^\d+(\.\d{1,2})?$/.test(i.price.trim()));
    if (bad) return setError(`The price of ${packageName(bad.package)} must be an amount such as 15 or 15.00.`);
    setError('');
    setConfirming(true);
  }
  async function save() {
    if (!draft) return;
    try {
      await api.json('PUT', '/v1/billing/price-book', {
        json: {
          effectiveFrom: draft.effectiveFrom,
          currency: draft.currency,
          items: draft.items.map((i) => ({ package: i.package, monthlyPrice: Math.round(Number(i.price) * 100), policy: i.policy })),
        },
      });
      setDraft(null);
      setConfirming(false);
      await priceBook.reload();
    } catch (e) {
      setConfirming(false);
      setError(errorText(e));
    }
  }

  return html`<section id="billing-price-book" aria-labelledby="billing-price-book-h">
    <h3 id="billing-price-book-h" tabindex="-1">Price book</h3>
    <p class="hint">${isAdmin ? 'What invoices charge, per package and month, from each version’s first day.' : 'What invoices charge. Only administrators change it.'}</p>
    <${ErrorNote} error=${error} />
    ${book === null && !error && html`<p>Loading…</p>`}
    ${book && versions.length === 0 && html`<p>No prices yet: invoices list usage as not charged.</p>`}
    ${versions.map(
      (v, index) => html`<div class="price-version">
        <h4>From ${v.effectiveFrom} · ${v.currency}${index === 0 ? ' (latest)' : ''}</h4>
        <div class="table-wrap" tabindex="0"><table>
          <thead><tr><th scope="col">Package</th><th scope="col">SKU</th><th scope="col">Monthly price</th><th scope="col">Policy</th></tr></thead>
          <tbody>${v.items.map(
            (i) =>
              html`<tr><th scope="row">${packageName(i.package)}</th><td>${i.sku}</td><td class="num">${minorToText(i.monthlyPrice)} ${v.currency}</td><td>${POLICY_NAMES[i.policy] ?? i.policy}</td></tr>`,
          )}</tbody>
        </table></div>
      </div>`,
    )}
    ${isAdmin && !draft && html`<button type="button" onClick=${startDraft}>New price version</button>`}
    ${
      isAdmin &&
      draft &&
      html`<form class="price-draft" onSubmit=${review} aria-label="New price version">
        <div class="billing-form">
          <label for="price-from">Effective from</label>
          <input id="price-from" type="date" required value=${draft.effectiveFrom} onInput=${(e: Event) => setDraft({ ...draft, effectiveFrom: (e.currentTarget as HTMLInputElement).value })} />
          <label for="price-currency">Currency</label>
          <input id="price-currency" required pattern="[A-Z]{3}" maxlength="3" size="4" value=${draft.currency} onInput=${(e: Event) => setDraft({ ...draft, currency: (e.currentTarget as HTMLInputElement).value.toUpperCase() })} />
        </div>
        <div class="table-wrap" tabindex="0"><table>
          <thead><tr><th scope="col">Package</th><th scope="col">Monthly price</th><th scope="col">Policy</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>${draft.items.map(
            (i, index) => html`<tr>
              <th scope="row">${packageName(i.package)}</th>
              <td><label class="visually-hidden" for=${`price-${i.package}`}>Monthly price of ${packageName(i.package)}</label>
                <input id=${`price-${i.package}`} inputmode="decimal" size="8" required value=${i.price} onInput=${(e: Event) => setItem(index, { price: (e.currentTarget as HTMLInputElement).value })} /></td>
              <td><label class="visually-hidden" for=${`policy-${i.package}`}>Policy of ${packageName(i.package)}</label>
                <select id=${`policy-${i.package}`} value=${i.policy} onChange=${(e: Event) => setItem(index, { policy: (e.currentTarget as HTMLSelectElement).value as Policy })}>
                  ${Object.entries(POLICY_NAMES).map(([id, name]) => html`<option value=${id}>${name}</option>`)}
                </select></td>
              <td><button type="button" disabled=${draft.items.length === 1} onClick=${() => setDraft({ ...draft, items: draft.items.filter((_, i2) => i2 !== index) })}>Remove<span class="visually-hidden"> ${packageName(i.package)}</span></button></td>
            </tr>`,
          )}</tbody>
        </table></div>
        ${
          unused.length > 0 &&
          html`<div class="billing-form">
            <label for="price-add">Add a package</label>
            <select id="price-add" value="" onChange=${(e: Event) => {
              const added = (e.currentTarget as HTMLSelectElement).value;
              if (added) setDraft({ ...draft, items: [...draft.items, { package: added, price: '0.00', policy: 'prorated' }] });
            }}>
              <option value="">Choose…</option>
              ${unused.map((p) => html`<option value=${p}>${packageName(p)}</option>`)}
            </select>
          </div>`
        }
        ${
          confirming
            ? html`<div class="confirm" role="alert">
                <p>Invoices from <strong>${draft.effectiveFrom}</strong> will be charged at these prices (${draft.items.length} package${draft.items.length === 1 ? '' : 's'}, ${draft.currency}). A version on the same day is replaced. Save it?</p>
                <button type="button" class="primary" onClick=${save}>Yes, save the prices</button>
                <button type="button" onClick=${() => setConfirming(false)}>No, keep editing</button>
              </div>`
            : html`<p><button type="submit">Review</button> <button type="button" onClick=${() => setDraft(null)}>Cancel</button></p>`
        }
      </form>`
    }
  </section>`;
}

function Reconciliations({ session, packageName }: SectionProps) {
  const api = useApiClient();
  const list = useApi((signal) => api.json<{ items: Reconciliation[] }>('GET', '/v1/billing/reconciliations?max=50', { signal }), []);
  const [detail, setDetail] = useState<ReconciliationSummary | null>(null);
  const [actionError, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const canWrite = session.scopes.includes(REPORTS_WRITE);
  const month = yesterday().slice(0, 7);
  const [start, setStart] = useState(`${month}-01`);
  const [end, setEnd] = useState(yesterday());
  const items = list.data?.items ?? null;
  const error = actionError || list.error;

  async function open(id: string) {
    setError('');
    try {
      setDetail(await api.json<ReconciliationSummary>('GET', `/v1/billing/reconciliations/${encodeURIComponent(id)}`));
    } catch (e) {
      setError(errorText(e));
    }
  }
  async function upload(event: Event) {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('reconciliation-file') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return setError('Choose Cisco’s billing report (a CSV file).');
    setBusy(true);
    setError('');
    try {
      const q = `billingStartDate=${encodeURIComponent(start)}&billingEndDate=${encodeURIComponent(end)}`;
      setDetail(await api.json<ReconciliationSummary>('POST', `/v1/billing/reconciliations?${q}`, { body: file, contentType: 'text/csv' }));
      await list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  async function differences() {
    if (!detail) return;
    try {
      await downloadCsv(
        api,
        `/v1/billing/reconciliations/${encodeURIComponent(detail.id)}/differences`,
        `reconciliation-${detail.billingStartDate}_${detail.billingEndDate}-differences.csv`,
      );
    } catch (e) {
      setError(errorText(e));
    }
  }

  return html`<section id="billing-reconciliations" aria-labelledby="billing-reconciliations-h">
    <h3 id="billing-reconciliations-h" tabindex="-1">Reconciliations</h3>
    <p class="hint">Cisco's billing report beside the desk's ledger: what matches, what differs, and the money at stake.</p>
    ${
      canWrite &&
      html`<form class="billing-form" onSubmit=${upload} aria-label="Reconcile Cisco's billing report">
        <label for="reconciliation-start">From</label>
        <input id="reconciliation-start" type="date" required value=${start} onInput=${(e: Event) => setStart((e.currentTarget as HTMLInputElement).value)} />
        <label for="reconciliation-end">To</label>
        <input id="reconciliation-end" type="date" required value=${end} onInput=${(e: Event) => setEnd((e.currentTarget as HTMLInputElement).value)} />
        <label for="reconciliation-file">Cisco's report (CSV)</label>
        <input id="reconciliation-file" name="reconciliation-file" type="file" accept=".csv,text/csv" required />
        <button type="submit" disabled=${busy}>${busy ? 'Reconciling…' : 'Reconcile'}</button>
      </form>`
    }
    <${ErrorNote} error=${error} />
    ${
      items === null
        ? !error && html`<p>Loading…</p>`
        : items.length === 0
          ? html`<p>No reconciliations yet.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="reconciliations-table">
            <thead><tr><th scope="col">Period</th><th scope="col">Type</th><th scope="col">Source</th><th scope="col">Lines</th><th scope="col">Made</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
            <tbody>${items.map(
              (r) => html`<tr>
                <td>${r.billingStartDate} – ${r.billingEndDate}</td>
                <td>${r.type.toLowerCase()}</td>
                <td>${r.source === 'webex' ? 'fetched from Webex' : 'uploaded'}</td>
                <td class="num">${r.fileLines.toLocaleString('en')}</td>
                <td>${r.created.slice(0, 16).replace('T', ' ')} UTC by ${r.createdBy}</td>
                <td><button type="button" onClick=${() => open(r.id)}>View<span class="visually-hidden"> the reconciliation of ${r.billingStartDate} to ${r.billingEndDate}</span></button></td>
              </tr>`,
            )}</tbody>
          </table></div>`
    }
    ${detail && html`<${ReconciliationDetail} detail=${detail} packageName=${packageName} onDifferences=${differences} />`}
  </section>`;
}

function ReconciliationDetail({
  detail,
  packageName,
  onDifferences,
}: {
  detail: ReconciliationSummary;
  packageName: (id: string) => string;
  onDifferences: () => void;
}) {
  const cur = detail.currency ? ` ${detail.currency}` : '';
  const differs = Object.entries(detail.classes).some(([c, v]) => c !== 'match' && v.lines > 0);
  return html`<div class="reconciliation-detail" id="reconciliation-detail" aria-live="polite">
    <h4>Reconciliation ${detail.billingStartDate} – ${detail.billingEndDate} (${detail.type.toLowerCase()})</h4>
    <p>Money at stake: <strong>${detail.moneyAtStake}${cur}</strong>${detail.unpricedDifferences > 0 ? ` (${detail.unpricedDifferences} difference${detail.unpricedDifferences === 1 ? '' : 's'} not priced)` : ''} · tolerance ${detail.tolerance} licence-days</p>
    <div class="table-wrap" tabindex="0"><table>
      <caption>By class</caption>
      <thead><tr><th scope="col">Class</th><th scope="col">Lines</th><th scope="col">Licence-days</th><th scope="col">Money at stake</th></tr></thead>
      <tbody>${Object.entries(detail.classes).map(
        ([c, v]) =>
          html`<tr><th scope="row">${CLASS_NAMES[c] ?? c}</th><td class="num">${v.lines.toLocaleString('en')}</td><td class="num">${v.units}</td><td class="num">${v.moneyAtStake}${cur}</td></tr>`,
      )}</tbody>
    </table></div>
    ${
      detail.packages.length > 0 &&
      html`<div class="table-wrap" tabindex="0"><table>
        <caption>By package</caption>
        <thead><tr><th scope="col">Package</th><th scope="col">Cisco</th><th scope="col">Desk</th><th scope="col">Difference</th><th scope="col">Customers</th><th scope="col">Money at stake</th></tr></thead>
        <tbody>${detail.packages.map(
          (p) =>
            html`<tr><th scope="row">${packageName(p.package)}</th><td class="num">${p.ciscoQuantity}</td><td class="num">${p.deskQuantity}</td><td class="num">${p.difference}</td><td class="num">${p.customers}</td><td class="num">${p.moneyAtStake}${cur}</td></tr>`,
        )}</tbody>
      </table></div>`
    }
    ${
      detail.customers.length > 0 &&
      html`<div class="table-wrap" tabindex="0"><table>
        <caption>By customer (with differences)</caption>
        <thead><tr><th scope="col">Customer</th><th scope="col">Difference (licence-days)</th><th scope="col">Lines</th><th scope="col">Money at stake</th></tr></thead>
        <tbody>${detail.customers.map(
          (c) =>
            html`<tr><th scope="row">${c.customer}</th><td class="num">${c.difference}</td><td class="num">${c.differences}</td><td class="num">${c.moneyAtStake}${cur}</td></tr>`,
        )}</tbody>
      </table></div>`
    }
    ${differs ? html`<button type="button" onClick=${onDifferences}>Download the differences (CSV)</button>` : html`<p>Everything matches.</p>`}
  </div>`;
}
