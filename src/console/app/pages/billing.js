// The Billing page: Cisco-shaped billing reports with their downloads, the issued invoices with their
// PDF and CSV (admins issue a month), the SP's own invoices as computed (this month's marked
// provisional), the price book with its versions (admins edit it), and reconciliations of Cisco's
// billing report against the desk's ledger.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

const ADMIN = 'wholesale-desk:admin';
const REPORTS_WRITE = 'spark-admin:wholesale_billing_reports_write';
const SHOWN_REPORTS = 20;

/** The catalogue's names (from /auth/session, set when the page renders); an unknown id shows as itself. */
let PACKAGE_NAMES = {};
const packageName = (id) => PACKAGE_NAMES[id] ?? id;
const POLICY_NAMES = { prorated: 'Prorated (licence-days)', average_rounded_up: 'Average, rounded up', peak: 'Peak licences' };
const CLASS_NAMES = {
  match: 'Match',
  quantity_difference: 'Quantity differs',
  only_cisco: 'Only in Cisco’s report',
  only_desk: 'Only in the desk',
};

const minorToText = (minor) => (minor / 100).toFixed(2);
const thisMonth = () => new Date().toISOString().slice(0, 7);
const lastDayOf = (month) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** A request the shared `api` cannot make (a CSV in or out), signed the same way: the tab's token, or the session's CSRF token. */
async function rawFetch(session, method, path, { body, contentType, accept } = {}) {
  const headers = {};
  const token = sessionStorage.getItem('wd-token');
  if (token) headers.authorization = `Bearer ${token}`;
  else if (session.csrfToken && method !== 'GET') headers['x-csrf-token'] = session.csrfToken;
  if (contentType) headers['content-type'] = contentType;
  if (accept) headers.accept = accept;
  const res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    throw new Error(problem.message || `HTTP ${res.status}`);
  }
  return res;
}

/** Saves a file the API answers (it needs the caller's credentials, so a plain link will not do). */
async function downloadFile(session, path, filename, accept) {
  const res = await rawFetch(session, 'GET', path, { accept });
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
const downloadCsv = (session, path, filename) => downloadFile(session, path, filename, 'text/csv');

/** The latest month that has ended (UTC): the one an admin usually issues. */
const lastEndedMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
};

const ErrorNote = ({ error }) => (error ? html`<p class="error" role="alert">${error}</p>` : null);

export default function Page({ api, session }) {
  PACKAGE_NAMES = session.packages ?? {};
  return html`<h2>Billing</h2>
    <nav aria-label="Billing sections" class="billing-toc">
      <a href="#billing-reports" onClick=${jump}>Billing reports</a>
      <a href="#billing-issued" onClick=${jump}>Issued invoices</a>
      <a href="#billing-invoices" onClick=${jump}>Invoices</a>
      <a href="#billing-price-book" onClick=${jump}>Price book</a>
      <a href="#billing-reconciliations" onClick=${jump}>Reconciliations</a>
    </nav>
    <${Reports} api=${api} session=${session} />
    <${IssuedInvoices} api=${api} session=${session} />
    <${Invoices} api=${api} session=${session} />
    <${PriceBook} api=${api} session=${session} />
    <${Reconciliations} api=${api} session=${session} />`;
}

/** In-page links must not change the hash (the router owns it). */
function jump(event) {
  event.preventDefault();
  const target = document.getElementById(event.currentTarget.getAttribute('href').slice(1));
  target?.scrollIntoView();
  target?.querySelector('h3')?.focus();
}

function Reports({ api, session }) {
  const [reports, setReports] = useState(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState('');
  const [month, setMonth] = useState(yesterday().slice(0, 7));
  const [type, setType] = useState('CUSTOMER');
  const [busy, setBusy] = useState(false);
  const canWrite = session.scopes.includes(REPORTS_WRITE);

  async function load() {
    // Oldest period first is the API's order: the page shows the latest periods.
    // Cisco's list takes at most 100 a page: read every page (a partner has a few reports a month).
    const list = { items: [] };
    for (let offset = 0; ; offset += 100) {
      const page = await api('GET', `/v1/wholesale/billing/reports?max=100&offset=${offset}`);
      list.items.push(...page.items);
      if (page.items.length < 100) break;
    }
    setTotal(list.items.length);
    // The list has no links: a completed report's signed link comes with the report itself.
    const items = await Promise.all(
      list.items
        .reverse()
        .slice(0, SHOWN_REPORTS)
        .map((r) => (r.status === 'COMPLETED' ? api('GET', `/v1/wholesale/billing/reports/${encodeURIComponent(r.id)}`) : r)),
    );
    setReports(items);
    return items;
  }
  useEffect(() => {
    load().catch((e) => setError(e.message));
  }, []);
  // While one is being made, look again every two seconds.
  useEffect(() => {
    if (!reports?.some((r) => r.status === 'IN_PROGRESS')) return undefined;
    const timer = setTimeout(() => load().catch((e) => setError(e.message)), 2000);
    return () => clearTimeout(timer);
  }, [reports]);

  // A stale report's period changed after it was made: it is generated again under the same id.
  async function regenerate(r) {
    setBusy(true);
    setError('');
    try {
      await api('POST', `/v1/wholesale/billing/reports/${encodeURIComponent(r.id)}/regenerate`);
      await load();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  }

  async function create(event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const end = month === thisMonth() ? yesterday() : lastDayOf(month);
      await api('POST', '/v1/wholesale/billing/reports', { billingStartDate: `${month}-01`, billingEndDate: end, type });
      await load();
    } catch (e) {
      setError(e.message);
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
        <input id="report-month" type="month" required value=${month} max=${yesterday().slice(0, 7)} onInput=${(e) => setMonth(e.currentTarget.value)} />
        <label for="report-type">Type</label>
        <select id="report-type" value=${type} onChange=${(e) => setType(e.currentTarget.value)}>
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
                  r.stale
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

function IssuedInvoices({ api, session }) {
  const [items, setItems] = useState(null);
  const [filterMonth, setFilterMonth] = useState('');
  const [issueMonth, setIssueMonth] = useState(lastEndedMonth());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const isAdmin = session.scopes.includes(ADMIN);

  const load = (month) =>
    api('GET', `/v1/billing/invoices?max=100${month ? `&month=${encodeURIComponent(month)}` : ''}`).then((r) => setItems(r.items));
  useEffect(() => {
    load(filterMonth).catch((e) => setError(e.message));
  }, [filterMonth]);

  function review(event) {
    event.preventDefault();
    setError('');
    setNotice('');
    setConfirming(true);
  }
  async function issue() {
    setBusy(true);
    setError('');
    try {
      const r = await api('POST', `/v1/billing/invoices/issue?month=${encodeURIComponent(issueMonth)}`);
      const range = r.firstNumber === r.lastNumber ? r.firstNumber : `${r.firstNumber} to ${r.lastNumber}`;
      const already = r.alreadyIssued
        ? ` ${r.alreadyIssued} customer${r.alreadyIssued === 1 ? ' was' : 's were'} invoiced for it already.`
        : '';
      setNotice(
        r.issued
          ? `Issued ${r.issued} invoice${r.issued === 1 ? '' : 's'} for ${r.month} (${range}).${already}`
          : `No new invoices for ${r.month}: nothing left to invoice.${already}`,
      );
      await load(filterMonth);
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }
  async function download(number, kind) {
    setError('');
    try {
      await downloadFile(
        session,
        `/v1/billing/invoices/${encodeURIComponent(number)}`,
        `invoice-${number}.${kind}`,
        kind === 'pdf' ? 'application/pdf' : 'text/csv',
      );
    } catch (e) {
      setError(e.message);
    }
  }

  const money = (minor, currency) => `${minorToText(minor)}${currency ? ` ${currency}` : ''}`;
  return html`<section id="billing-issued" aria-labelledby="billing-issued-h">
    <h3 id="billing-issued-h" tabindex="-1">Issued invoices</h3>
    <p class="hint">Numbered invoices as they were issued; they never change. Anything recorded later for a closed month appears as an adjustment on the customer's next invoice.</p>
    ${
      isAdmin &&
      html`<form class="billing-form" onSubmit=${review} aria-label="Issue invoices">
        <label for="issue-month">Month to issue</label>
        <input id="issue-month" type="month" required value=${issueMonth} onInput=${(e) => {
          setIssueMonth(e.currentTarget.value);
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
      <input id="issued-filter-month" type="month" value=${filterMonth} onInput=${(e) => setFilterMonth(e.currentTarget.value)} />
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

function Invoices({ api, session }) {
  const [customers, setCustomers] = useState([]);
  const [customerId, setCustomerId] = useState('');
  const [month, setMonth] = useState(thisMonth());
  const [invoice, setInvoice] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    api('GET', '/v1/wholesale/customers?max=1000')
      .then((r) => {
        const live = r.items.filter((c) => c.status !== 'deleted');
        setCustomers(live);
        if (live[0]) setCustomerId(live[0].id);
      })
      .catch((e) => setError(e.message));
  }, []);

  const query = () => `/v1/billing/invoices?customerId=${encodeURIComponent(customerId)}&month=${encodeURIComponent(month)}`;
  async function show(event) {
    event.preventDefault();
    setError('');
    setInvoice(null);
    try {
      setInvoice(await api('GET', query()));
    } catch (e) {
      setError(e.message);
    }
  }
  async function downloadIssued(kind) {
    try {
      await downloadFile(
        session,
        `/v1/billing/invoices/${encodeURIComponent(invoice.invoiceNumber)}`,
        `invoice-${invoice.invoiceNumber}.${kind}`,
        kind === 'pdf' ? 'application/pdf' : 'text/csv',
      );
    } catch (e) {
      setError(e.message);
    }
  }
  async function download() {
    try {
      await downloadCsv(session, query(), `invoice-${invoice.externalId}-${invoice.month}.csv`);
    } catch (e) {
      setError(e.message);
    }
  }

  const cur = invoice?.currency ? ` ${invoice.currency}` : '';
  return html`<section id="billing-invoices" aria-labelledby="billing-invoices-h">
    <h3 id="billing-invoices-h" tabindex="-1">Invoices</h3>
    <form class="billing-form" onSubmit=${show} aria-label="Show an invoice">
      <label for="invoice-customer">Customer</label>
      <select id="invoice-customer" required value=${customerId} onChange=${(e) => setCustomerId(e.currentTarget.value)}>
        ${customers.map((c) => html`<option value=${c.id}>${c.customerInfo?.name ?? c.externalId} (${c.externalId})</option>`)}
      </select>
      <label for="invoice-month">Month</label>
      <input id="invoice-month" type="month" required value=${month} max=${thisMonth()} onInput=${(e) => setMonth(e.currentTarget.value)} />
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
          invoice.adjustments?.length > 0 &&
          html`<div class="table-wrap" tabindex="0"><table id="invoice-adjustments">
            <caption>Adjustments to earlier invoices, as of now (the next invoice carries them)</caption>
            <thead><tr><th scope="col">Invoice · period</th><th scope="col">Who · package</th><th scope="col">Licence-days</th><th scope="col">Amount</th><th scope="col">Change</th></tr></thead>
            <tbody>${invoice.adjustments.map(
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

function PriceBook({ api, session }) {
  const [book, setBook] = useState(null);
  const [error, setError] = useState('');
  const [draft, setDraft] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const isAdmin = session.scopes.includes(ADMIN);

  const load = () => api('GET', '/v1/billing/price-book').then(setBook);
  useEffect(() => {
    load().catch((e) => setError(e.message));
  }, []);
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
  const setItem = (index, patch) => setDraft({ ...draft, items: draft.items.map((it, i) => (i === index ? { ...it, ...patch } : it)) });
  const unused = draft ? Object.keys(PACKAGE_NAMES).filter((p) => !draft.items.some((i) => i.package === p)) : [];

  function review(event) {
    event.preventDefault();
    const bad = draft.items.find((i) => !/^\d+(\.\d{1,2})?$/.test(i.price.trim()));
    if (bad) return setError(`The price of ${packageName(bad.package)} must be an amount such as 15 or 15.00.`);
    setError('');
    setConfirming(true);
  }
  async function save() {
    try {
      await api('PUT', '/v1/billing/price-book', {
        effectiveFrom: draft.effectiveFrom,
        currency: draft.currency,
        items: draft.items.map((i) => ({ package: i.package, monthlyPrice: Math.round(Number(i.price) * 100), policy: i.policy })),
      });
      setDraft(null);
      setConfirming(false);
      await load();
    } catch (e) {
      setConfirming(false);
      setError(e.message);
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
          <input id="price-from" type="date" required value=${draft.effectiveFrom} onInput=${(e) => setDraft({ ...draft, effectiveFrom: e.currentTarget.value })} />
          <label for="price-currency">Currency</label>
          <input id="price-currency" required pattern="[A-Z]{3}" maxlength="3" size="4" value=${draft.currency} onInput=${(e) => setDraft({ ...draft, currency: e.currentTarget.value.toUpperCase() })} />
        </div>
        <div class="table-wrap" tabindex="0"><table>
          <thead><tr><th scope="col">Package</th><th scope="col">Monthly price</th><th scope="col">Policy</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>${draft.items.map(
            (i, index) => html`<tr>
              <th scope="row">${packageName(i.package)}</th>
              <td><label class="visually-hidden" for=${`price-${i.package}`}>Monthly price of ${packageName(i.package)}</label>
                <input id=${`price-${i.package}`} inputmode="decimal" size="8" required value=${i.price} onInput=${(e) => setItem(index, { price: e.currentTarget.value })} /></td>
              <td><label class="visually-hidden" for=${`policy-${i.package}`}>Policy of ${packageName(i.package)}</label>
                <select id=${`policy-${i.package}`} value=${i.policy} onChange=${(e) => setItem(index, { policy: e.currentTarget.value })}>
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
            <select id="price-add" value="" onChange=${(e) => e.currentTarget.value && setDraft({ ...draft, items: [...draft.items, { package: e.currentTarget.value, price: '0.00', policy: 'prorated' }] })}>
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

function Reconciliations({ api, session }) {
  const [list, setList] = useState(null);
  const [detail, setDetail] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const canWrite = session.scopes.includes(REPORTS_WRITE);
  const month = yesterday().slice(0, 7);
  const [start, setStart] = useState(`${month}-01`);
  const [end, setEnd] = useState(yesterday());

  const load = () => api('GET', '/v1/billing/reconciliations?max=50').then((r) => setList(r.items));
  useEffect(() => {
    load().catch((e) => setError(e.message));
  }, []);

  async function open(id) {
    setError('');
    try {
      setDetail(await api('GET', `/v1/billing/reconciliations/${encodeURIComponent(id)}`));
    } catch (e) {
      setError(e.message);
    }
  }
  async function upload(event) {
    event.preventDefault();
    const file = event.currentTarget.elements.namedItem('reconciliation-file').files[0];
    if (!file) return setError('Choose Cisco’s billing report (a CSV file).');
    setBusy(true);
    setError('');
    try {
      const q = `billingStartDate=${encodeURIComponent(start)}&billingEndDate=${encodeURIComponent(end)}`;
      const res = await rawFetch(session, 'POST', `/v1/billing/reconciliations?${q}`, { body: file, contentType: 'text/csv' });
      setDetail(await res.json());
      await load();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  }
  async function differences() {
    try {
      await downloadCsv(
        session,
        `/v1/billing/reconciliations/${encodeURIComponent(detail.id)}/differences`,
        `reconciliation-${detail.billingStartDate}_${detail.billingEndDate}-differences.csv`,
      );
    } catch (e) {
      setError(e.message);
    }
  }

  return html`<section id="billing-reconciliations" aria-labelledby="billing-reconciliations-h">
    <h3 id="billing-reconciliations-h" tabindex="-1">Reconciliations</h3>
    <p class="hint">Cisco's billing report beside the desk's ledger: what matches, what differs, and the money at stake.</p>
    ${
      canWrite &&
      html`<form class="billing-form" onSubmit=${upload} aria-label="Reconcile Cisco's billing report">
        <label for="reconciliation-start">From</label>
        <input id="reconciliation-start" type="date" required value=${start} onInput=${(e) => setStart(e.currentTarget.value)} />
        <label for="reconciliation-end">To</label>
        <input id="reconciliation-end" type="date" required value=${end} onInput=${(e) => setEnd(e.currentTarget.value)} />
        <label for="reconciliation-file">Cisco's report (CSV)</label>
        <input id="reconciliation-file" name="reconciliation-file" type="file" accept=".csv,text/csv" required />
        <button type="submit" disabled=${busy}>${busy ? 'Reconciling…' : 'Reconcile'}</button>
      </form>`
    }
    <${ErrorNote} error=${error} />
    ${
      list === null
        ? !error && html`<p>Loading…</p>`
        : list.length === 0
          ? html`<p>No reconciliations yet.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="reconciliations-table">
            <thead><tr><th scope="col">Period</th><th scope="col">Type</th><th scope="col">Source</th><th scope="col">Lines</th><th scope="col">Made</th><th scope="col"><span class="visually-hidden">Open</span></th></tr></thead>
            <tbody>${list.map(
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
    ${detail && html`<${ReconciliationDetail} detail=${detail} onDifferences=${differences} />`}
  </section>`;
}

function ReconciliationDetail({ detail, onDifferences }) {
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
