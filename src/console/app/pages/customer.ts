// Customer: one customer in full (GET /v1/console/customers/{id}): status and its history, packages
// with limits and use, 30 days of licences, this month's invoice to date with its arithmetic,
// subscribers, workspaces, locations, compliance and the audit trail. Adding, changing and removing a
// subscriber call the Wholesale API itself, after a confirm step saying what happens to billing (as
// chat asks "yes?"); they are hidden from callers without the subscribers' write scope.
import { html } from 'htm/preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleCustomerPage } from '../../../contracts/console-customers.js';
import type { ConsoleSubscriberPrecheck, consoleSubscriberPrecheckAnswerSchema } from '../../../contracts/console-precheck.js';
import { type Api, errorText, type Method } from '../api.js';
import { useApiClient, useSession } from '../context.js';
import type { PageProps } from '../page-props.js';
import { type Answer, inputValue } from '../ui.js';
import { useApi } from '../use-api.js';
import { actorLabel } from './audit.js';

/** GET /v1/console/customers/{id}: the contract the route answers (src/contracts/console-customers.ts). */
type CustomerDetail = ConsoleCustomerPage;
type Subscriber = NonNullable<CustomerDetail['subscribers']>[number];
type Invoice = NonNullable<CustomerDetail['invoice']>;
type InvoiceLine = Invoice['lines'][number];
type Chart = CustomerDetail['chart'];

const WRITE_SCOPE = 'spark-admin:wholesale_subscribers_write';
const ADMIN_SCOPE = 'wholesale-desk:admin';
const BILLING_SCOPE = 'spark-admin:wholesale_billing_reports_read';

const statusLabel = (s: string) => s.replaceAll('_', ' ');
const formatDateTime = (iso: string | null) =>
  iso
    ? `${new Date(iso).toLocaleString('en-GB', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: 'UTC',
      })} UTC`
    : '–';
const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' });
/** At most two decimals, no trailing zeros: 2.6222 → "2.62", 3 → "3". */
const round2 = (q: string | number | undefined) => String(Math.round(Number(q) * 100) / 100);
const personName = (s: Subscriber) => [s.firstName, s.lastName].filter(Boolean).join(' ') || s.email;

/** The desk's words with the ids it may quote (the customer's, a user's) replaced by their names. */
function inWords(message: string, data: CustomerDetail, extra: Record<string, string> = {}) {
  const names: Record<string, string> = { [data.customer.id]: data.customer.name ?? data.customer.externalId, ...extra };
  for (const s of data.subscribers ?? []) names[s.id] = s.email;
  let out = message;
  for (const [id, name] of Object.entries(names)) if (id) out = out.split(id).join(name);
  return out;
}

/**
 * Asks the desk whether the change can be made (POST /v1/console/subscribers/precheck: the chat's own
 * checks, Webex's precheck for a new user upstream); answers '' when it can, else what stands in the way.
 */
async function precheck(api: Api, data: CustomerDetail, what: string, body: ConsoleSubscriberPrecheck, signal?: AbortSignal) {
  const r = await api.json<Answer<typeof consoleSubscriberPrecheckAnswerSchema>>('POST', '/v1/console/subscribers/precheck', {
    json: body,
    ...(signal ? { signal } : {}),
  });
  if (r.ok) return '';
  return inWords(`Cannot ${what}: ${r.problems.map((p) => p.message.replace(/\.$/, '')).join('; ')}. Nothing was changed.`, data);
}

/** The invoice line's arithmetic, spelled out the way it was computed. */
function arithmetic(line: InvoiceLine, inv: Invoice) {
  const price = `${line.monthlyPrice} ${inv.currency ?? ''}`.trim();
  if (line.policy === 'peak') return `peak ${line.peakLicences} licence${line.peakLicences === 1 ? '' : 's'} × ${price}`;
  if (line.policy === 'average_rounded_up')
    return `${round2(line.averageDailyLicences)} average licences, rounded up to ${line.averageRoundedUp} × ${price}`;
  return `${round2(line.quantity)} licence-days × ${price} ÷ ${inv.daysInMonth} days`;
}

/**
 * The last 30 days' licences. Today has not ended: its average so far would draw as a drop, so the
 * lines stop at yesterday and today's figure is written beside them, marked as so far.
 */
function LicenceChart({ chart }: { chart: Chart }) {
  const W = 640;
  const H = 240;
  const pad = { left: 40, right: 12, top: 12, bottom: 36 };
  const plotW = W - pad.left - pad.right;
  const plotH = H - pad.top - pad.bottom;
  const top = chart.ticks.at(-1) || 1;
  const days = chart.days.slice(0, -1);
  const today = chart.days.at(-1) ?? '';
  const x = (i: number) => pad.left + (days.length <= 1 ? 0 : (i * plotW) / (days.length - 1));
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const colours = ['#005fb3', '#b34700', '#17753a', '#b3261e', '#7a2bbf', '#00758a'];
  const summary = chart.series.length
    ? chart.series
        .map((s) => `${s.name}: ${round2(s.values.at(-2) ?? 0)} yesterday, at most ${round2(Math.max(...s.values.slice(0, -1)))}`)
        .join('; ')
    : 'No licences held in the last 30 days';
  return html`
    <figure class="cust-chart">
      <svg viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby="cust-chart-title cust-chart-desc">
        <title id="cust-chart-title">Daily licences, the last ${days.length} ended days</title>
        <desc id="cust-chart-desc">${summary}</desc>
        ${chart.ticks.map(
          (t) => html`<g>
            <line x1=${pad.left} x2=${W - pad.right} y1=${y(t)} y2=${y(t)} stroke="#d0d4d9" stroke-width="1" />
            <text x=${pad.left - 6} y=${y(t) + 4} text-anchor="end" font-size="11" fill="#3b4148">${t}</text>
          </g>`,
        )}
        ${days.map((d, i) =>
          (i % 7 === 0 && days.length - 1 - i >= 4) || i === days.length - 1
            ? html`<text x=${x(i)} y=${H - pad.bottom + 16} text-anchor="middle" font-size="11" fill="#3b4148">${formatDay(d)}</text>`
            : null,
        )}
        ${chart.series.map(
          (s, k) => html`<polyline fill="none" stroke=${colours[k % colours.length]} stroke-width="2"
            points=${s.values
              .slice(0, -1)
              .map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`)
              .join(' ')} />`,
        )}
      </svg>
      <figcaption>
        ${chart.series.map(
          (s, k) =>
            html`<span class="cust-legend"><span class="cust-swatch" style=${`background:${colours[k % colours.length]}`}></span>${s.name}</span>`,
        )}
        ${
          chart.series.length > 0 &&
          html`<p class="cust-today">
            ${`Today so far (${formatDay(today)}, not ended): ${chart.series.map((s) => `${s.name} ${round2(s.values.at(-1))}`).join(', ')} average licences; the day is drawn once it has ended.`}
          </p>`
        }
      </figcaption>
    </figure>
  `;
}

/** A confirm step inside the page: says what happens to billing, then asks. Focus goes to it. */
function Confirm({
  id,
  text,
  yes,
  busy,
  onYes,
  onNo,
}: {
  id: string;
  text: string;
  yes: string;
  busy: boolean;
  onYes: () => void;
  onNo: () => void;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  // In the click's own task (a layout effect), so an Enter pressed straight after lands here.
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return html`<div class="cust-confirm" role="group" aria-labelledby=${id}>
    <p id=${id}>${text}</p>
    <button type="button" ref=${ref} disabled=${busy} onClick=${onYes}>${yes}</button>
    <button type="button" class="secondary" disabled=${busy} onClick=${onNo}>Cancel</button>
  </div>`;
}

function AddUserForm({ data, done }: { data: CustomerDetail; done: (message: string) => Promise<void> }) {
  const api = useApiClient();
  const [form, setForm] = useState({
    email: '',
    firstName: '',
    lastName: '',
    package: data.subscriberPackages[0]?.id ?? '',
    extension: '',
    phone: '',
  });
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const set = (k: keyof typeof form) => (e: Event) => {
    setForm({ ...form, [k]: inputValue(e) });
    setConfirming(false);
  };
  const pkgName = data.packageNames[form.package] ?? form.package;
  const body = () => {
    const provisioningParameters: Record<string, string> = { firstName: form.firstName.trim(), lastName: form.lastName.trim() };
    if (form.extension.trim()) provisioningParameters.extension = form.extension.trim();
    if (form.phone.trim()) provisioningParameters.primaryPhoneNumber = form.phone.trim();
    return { customerId: data.customer.id, email: form.email.trim(), packages: [form.package], provisioningParameters };
  };
  // Checked first, as the chat checks before it proposes: only what can be done is offered to confirm.
  const check = async () => {
    setBusy(true);
    setError('');
    try {
      const problem = await precheck(api, data, `add ${form.email.trim()}`, { action: 'add', ...body() } as ConsoleSubscriberPrecheck);
      if (problem) setError(problem);
      else setConfirming(true);
    } catch (e) {
      setError(inWords(errorText(e), data));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError('');
    try {
      await api.json('POST', '/v1/wholesale/subscribers', { json: body() });
      done(`Added ${form.email.trim()} with ${pkgName}; billing has started.`);
    } catch (e) {
      setError(inWords(errorText(e), data));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="cust-form" onSubmit=${(e: Event) => {
      e.preventDefault();
      void check();
    }}>
      <div class="cust-field"><label for="add-email">Email</label>
        <input id="add-email" type="email" required value=${form.email} onInput=${set('email')} autocomplete="off" /></div>
      <div class="cust-field"><label for="add-first">First name</label>
        <input id="add-first" type="text" required value=${form.firstName} onInput=${set('firstName')} /></div>
      <div class="cust-field"><label for="add-last">Last name</label>
        <input id="add-last" type="text" required value=${form.lastName} onInput=${set('lastName')} /></div>
      <div class="cust-field"><label for="add-package">Package</label>
        <select id="add-package" value=${form.package} onChange=${set('package')}>
          ${data.subscriberPackages.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
        </select></div>
      <div class="cust-field"><label for="add-extension">Extension (optional)</label>
        <input id="add-extension" type="text" inputmode="numeric" value=${form.extension} onInput=${set('extension')} /></div>
      <div class="cust-field"><label for="add-phone">Phone number (optional)</label>
        <input id="add-phone" type="tel" value=${form.phone} onInput=${set('phone')} /></div>
      <button type="submit" disabled=${confirming || busy}>Add user…</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${
      confirming &&
      html`<${Confirm} id="add-confirm-text" busy=${busy} yes="Yes, add the user"
      text=${`Add ${form.email.trim()} (${form.firstName.trim()} ${form.lastName.trim()}) with ${pkgName}? Billing for ${pkgName} starts now.`}
      onYes=${submit} onNo=${() => setConfirming(false)} />`
    }
  `;
}

function SubscriberActions({ s, data, done }: { s: Subscriber; data: CustomerDetail; done: (message: string) => Promise<void> }) {
  const api = useApiClient();
  const [mode, setMode] = useState<'change' | 'remove' | null>(null);
  const [pkg, setPkg] = useState(data.subscriberPackages.find((p) => p.id !== s.package)?.id ?? s.package);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const name = (id: string) => data.packageNames[id] ?? id;
  // The change or removal as the desk's rules see it: '' when it can be made, else why not. Choosing
  // another package while a check runs: only the newest check's answer counts.
  const check = useApi(
    (signal) => {
      if (!mode) return null;
      const body: ConsoleSubscriberPrecheck =
        mode === 'change' ? { action: 'change', subscriberId: s.id, packages: [pkg] } : { action: 'remove', subscriberId: s.id };
      const what = mode === 'change' ? `change ${s.email} to ${name(pkg)}` : `remove ${s.email}`;
      return precheck(api, data, what, body, signal);
    },
    [mode, pkg],
  );
  // null while checking.
  const blocked = check.loading ? null : check.error ? inWords(check.error, data) : (check.data ?? null);
  const run = async (method: Method, body: unknown, message: string) => {
    setBusy(true);
    setError('');
    try {
      await api.json(method, `/v1/wholesale/subscribers/${encodeURIComponent(s.id)}`, body === undefined ? {} : { json: body });
      setMode(null);
      done(message);
    } catch (e) {
      setError(inWords(errorText(e), data));
    } finally {
      setBusy(false);
    }
  };
  const checking = blocked === null && html`<p class="hint" role="status">Checking…</p>`;
  const refused =
    blocked &&
    html`<div class="cust-refused"><p class="error" role="alert">${blocked}</p>
      <button type="button" class="secondary" onClick=${() => setMode(null)}>Close</button></div>`;
  if (mode === 'change')
    return html`<div class="cust-row-action">
      <label for=${`pkg-${s.id}`}>New package for ${s.email}</label>
      <select id=${`pkg-${s.id}`} value=${pkg} onChange=${(e: Event) => setPkg(inputValue(e))}>
        ${data.subscriberPackages.map((p) => html`<option value=${p.id}>${p.name}</option>`)}
      </select>
      ${checking}${refused}
      ${
        blocked === '' &&
        html`<${Confirm} id=${`change-text-${s.id}`} busy=${busy} yes="Yes, change the package"
        text=${`Change ${s.email} from ${name(s.package)} to ${name(pkg)}? Billing changes now: ${name(s.package)} stops and ${name(pkg)} starts.`}
        onYes=${() => run('PUT', { packages: [pkg] }, `Changed ${s.email} to ${name(pkg)}; billing changed.`)} onNo=${() => setMode(null)} />`
      }
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </div>`;
  if (mode === 'remove')
    return html`<div class="cust-row-action">
      ${checking}${refused}
      ${
        blocked === '' &&
        html`<${Confirm} id=${`remove-text-${s.id}`} busy=${busy} yes="Yes, remove the user"
        text=${`Remove ${s.email}? Billing for ${name(s.package)} stops now.`}
        onYes=${() => run('DELETE', undefined, `Removed ${s.email}; billing stopped.`)} onNo=${() => setMode(null)} />`
      }
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </div>`;
  return html`<div class="cust-row-buttons">
    <button type="button" class="secondary" onClick=${() => setMode('change')} aria-label=${`Change package of ${s.email}`}>Change package</button>
    <button type="button" class="secondary" onClick=${() => setMode('remove')} aria-label=${`Remove ${s.email}`}>Remove</button>
  </div>`;
}

/** The invoice to date as CSV: the API answers CSV when asked for it. */
const downloadInvoice = (api: Api, customer: CustomerDetail['customer'], month: string) =>
  api.download(
    `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=${month}`,
    `invoice-${customer.externalId}-${month}.csv`,
    'text/csv',
  );

export default function Page({ params }: PageProps) {
  const api = useApiClient();
  const id = params.id ?? '';
  const [actionError, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [adding, setAdding] = useState(false);
  const scopes = useSession().scopes;
  const canWrite = scopes.includes(WRITE_SCOPE);

  const customer = useApi((signal) => api.json<CustomerDetail>('GET', `/v1/console/customers/${encodeURIComponent(id)}`, { signal }), [id]);
  const data = customer.data ?? null;
  const error = actionError || customer.error;
  const load = customer.reload;
  // Standalone provisioning completes in the background: look once more while anything is still on its way.
  const [lookAgain, setLookAgain] = useState(0);
  useEffect(() => {
    if (!lookAgain) return undefined;
    const timer = setTimeout(() => void load(), 1500);
    return () => clearTimeout(timer);
  }, [lookAgain]);

  const afterChange = useRef(false);
  const done = async (message: string) => {
    setNotice(message);
    setAdding(false);
    afterChange.current = true;
    await load();
  };
  useEffect(() => {
    if (!afterChange.current || customer.loading) return;
    afterChange.current = false;
    if (data?.subscribers?.some((s) => s.status === 'provisioning' || s.status === 'updating' || s.status === 'deleting'))
      setLookAgain((n) => n + 1);
  }, [data, customer.loading]);

  async function retry() {
    setError('');
    try {
      const r = await api.json<{ retried: number }>('POST', `/v1/tasks/retry?customerId=${encodeURIComponent(id)}`);
      await done(
        r.retried
          ? `Retrying ${r.retried} task${r.retried === 1 ? '' : 's'}: back in progress.`
          : 'Nothing to retry: no task of this customer is held or failed.',
      );
      setLookAgain((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    }
  }

  if (error && !data)
    return html`<h2>Customer</h2><p class="error" role="alert">${error}</p><p><a href="#/customers">All customers</a></p>`;
  if (!data) return html`<h2>Customer</h2><p aria-live="polite">Loading…</p>`;
  const c = data.customer;
  const inv = data.invoice;

  return html`
    <p class="cust-back"><a href="#/customers">← All customers</a></p>
    <h2>${c.name ?? c.externalId} <span class=${`cust-status cust-status-${c.status}`}>${statusLabel(c.status)}</span></h2>
    <dl class="cust-facts">
      <div><dt>External id</dt><dd>${c.externalId}</dd></div>
      <div><dt>Webex org</dt><dd>${
        c.orgId
          ? html`${c.name ?? c.externalId}’s organisation
            <details class="audit-id"><summary><span class="visually-hidden">Webex org id of ${c.name ?? c.externalId}</span><span aria-hidden="true">id</span></summary>
              <div class="audit-id-box"><code>${c.orgId}</code></div></details>`
          : 'not created in Webex yet'
      }</dd></div>
      <div><dt>Primary email</dt><dd>${c.primaryEmail ?? '–'}</dd></div>
      <div><dt>Created</dt><dd>${formatDateTime(c.createdAt)}</dd></div>
      <div><dt>Billing from</dt><dd>${formatDateTime(c.billingFrom)}</dd></div>
    </dl>
    ${c.errors.length > 0 && html`<ul class="error">${c.errors.map((e) => html`<li>${e}</li>`)}</ul>`}
    ${
      // Held or failed work (Webex refused the token, or gave no answer): an admin runs it again here.
      scopes.includes(ADMIN_SCOPE) &&
      (c.status === 'error' || data.subscribers?.some((s) => s.status === 'error')) &&
      html`<p><button type="button" id="retry-customer" onClick=${retry}>Retry held and failed work</button></p>`
    }
    <p class="cust-notice" role="status">${notice}</p>

    <h3>Status history</h3>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Status history">
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Status</th><th scope="col">By</th></tr></thead>
        <tbody>
          ${data.statusHistory.map(
            (h) =>
              html`<tr><td>${formatDateTime(h.at)}</td><td>${statusLabel(h.status)}</td><td title=${h.actor}>${actorLabel(h)}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>

    <h3>Packages</h3>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Packages">
      <table>
        <thead><tr><th scope="col">Package</th><th scope="col" class="num">In use</th><th scope="col" class="num">Limit</th></tr></thead>
        <tbody>
          ${data.packages.map(
            (p) => html`<tr><th scope="row">${p.name}</th><td class="num">${p.inUse}</td><td class="num">${p.limit ?? 'none'}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>

    <h3>Usage</h3>
    <p class="cust-billing-now">
      ${
        data.billingNow.length
          ? `Billing now: ${data.billingNow.map((b) => `${b.licences} × ${b.name}`).join(', ')}`
          : 'Nothing is billing now.'
      }
    </p>
    <${LicenceChart} chart=${data.chart} />

    ${
      scopes.includes(BILLING_SCOPE) &&
      inv &&
      html`
      <h3>Invoice for ${inv.month} to date</h3>
      <p>${inv.through ? `Counted through ${formatDay(inv.through)} (UTC); today is added tomorrow.` : 'No day of this month has ended yet.'}</p>
      <div class="table-wrap" tabindex="0" role="region" aria-label="Invoice lines">
        <table class="cust-invoice">
          <thead><tr><th scope="col">Package</th><th scope="col">Arithmetic</th><th scope="col" class="num">Amount</th></tr></thead>
          <tbody>
            ${inv.lines.map(
              (l) =>
                html`<tr><th scope="row">${l.name}</th><td>${arithmetic(l, inv)}</td><td class="num">${l.amount} ${inv.currency}</td></tr>`,
            )}
            ${
              inv.lines.length === 0 &&
              inv.unpriced.length === 0 &&
              html`<tr><td colspan="3">No usage counted yet this month (a day counts once it has ended).</td></tr>`
            }
            ${inv.unpriced.map(
              (u) =>
                html`<tr><th scope="row">${u.name}</th><td>${round2(u.quantity)} licence-days, no price in the price book</td><td class="num">–</td></tr>`,
            )}
          </tbody>
          <tfoot><tr><th scope="row" colspan="2">Total</th><td class="num">${inv.total} ${inv.currency ?? ''}</td></tr></tfoot>
        </table>
      </div>
      <p>
        <button type="button" onClick=${() => downloadInvoice(api, c, inv.month).catch((e: unknown) => setError(errorText(e)))}>
          Download invoice to date (CSV)
        </button>
      </p>`
    }
    ${error && html`<p class="error" role="alert">${error}</p>`}

    <h3>Subscribers</h3>
    ${
      canWrite &&
      html`<p>
        <button type="button" aria-expanded=${adding} aria-controls="add-user" onClick=${() => setAdding(!adding)}>
          ${adding ? 'Close the form' : 'Add user'}
        </button>
      </p>
      <div id="add-user" hidden=${!adding}>${adding && html`<${AddUserForm} data=${data} done=${done} />`}</div>`
    }
    ${
      data.subscribers === null
        ? html`<p>Reading subscribers needs the subscribers' read scope.</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Subscribers">
          <table class="cust-subscribers">
            <thead><tr>
              <th scope="col">Name</th><th scope="col">Email</th><th scope="col">Package</th><th scope="col">Extension</th>
              <th scope="col">Status</th><th scope="col">Billing since</th>${canWrite && html`<th scope="col">Actions</th>`}
            </tr></thead>
            <tbody>
              ${data.subscribers.map(
                (s) => html`<tr>
                  <th scope="row">${personName(s)}${s.isAdmin ? ' (admin)' : ''}</th>
                  <td>${s.email}</td>
                  <td>${[s.package, ...s.addons].map((p) => data.packageNames[p] ?? p).join(' + ')}</td>
                  <td>${s.extension ?? s.primaryPhoneNumber ?? ''}</td>
                  <td>${statusLabel(s.status)}</td>
                  <td>${s.billingSince ? formatDateTime(s.billingSince) : 'not billing'}</td>
                  ${canWrite && html`<td><${SubscriberActions} s=${s} data=${data} done=${done} /></td>`}
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`
    }

    <h3>Workspaces</h3>
    ${
      data.workspaces === null
        ? html`<p>Reading workspaces needs the subscribers' read scope.</p>`
        : data.workspaces.length === 0
          ? html`<p>No workspaces.</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Workspaces"><table>
            <thead><tr><th scope="col">Name</th><th scope="col">Package</th><th scope="col">Extension</th><th scope="col">Billing since</th></tr></thead>
            <tbody>${data.workspaces.map(
              (w) => html`<tr><th scope="row">${w.name}</th><td>${data.packageNames[w.package] ?? w.package}</td>
                <td>${w.extension ?? w.primaryPhoneNumber ?? ''}</td><td>${w.billingSince ? formatDateTime(w.billingSince) : w.status === 'provisioning' ? 'not yet: Webex is creating it' : w.status === 'error' ? 'not billing: Webex refused it' : 'not billing'}</td></tr>`,
            )}</tbody></table></div>`
    }

    <h3>Locations</h3>
    ${
      data.locations.length === 0
        ? html`<p>No calling locations.</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Locations"><table>
          <thead><tr><th scope="col">Name</th><th scope="col">City</th><th scope="col">Country</th><th scope="col">Time zone</th></tr></thead>
          <tbody>${data.locations.map(
            (l, i) =>
              html`<tr><th scope="row">${l.name}${i === 0 ? ' (HQ)' : ''}</th><td>${l.city}</td><td>${l.country}</td><td>${l.timezone}</td></tr>`,
          )}</tbody></table></div>`
    }

    <h3>Compliance</h3>
    <p>
      ${
        c.status === 'pending_rpl_review'
          ? 'Held for restricted-party review.'
          : data.compliance.nonCompliantSince
            ? `Not compliant since ${formatDateTime(data.compliance.nonCompliantSince)}.`
            : 'No open screening hit.'
      }
    </p>
    ${
      data.compliance.reviews.length > 0 &&
      html`<div class="table-wrap" tabindex="0" role="region" aria-label="Compliance reviews"><table>
        <thead><tr><th scope="col">Opened</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Deadline</th><th scope="col">Top match</th><th scope="col">Decided</th></tr></thead>
        <tbody>${data.compliance.reviews.map(
          (r) => html`<tr><td>${formatDateTime(r.openedAt)}</td><td>${statusLabel(r.kind)}</td><td>${r.status}</td>
            <td>${formatDateTime(r.deadlineAt)}</td><td>${r.topMatch ?? '–'}</td>
            <td>${r.decidedAt ? `${formatDateTime(r.decidedAt)} by ${r.decidedBy}${r.reason ? ` (${r.reason})` : ''}` : '–'}</td></tr>`,
        )}</tbody></table></div>`
    }

    <h3>Audit trail (last 50)</h3>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Audit trail">
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">By</th><th scope="col">Entity</th></tr></thead>
        <tbody>
          ${data.audit.map(
            (a) =>
              html`<tr><td>${formatDateTime(a.at)}</td><td>${a.action}</td><td title=${a.actor}>${actorLabel(a)}</td><td>${statusLabel(a.entityType)}${a.entityName ? ` ${a.entityName}` : ''}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>
  `;
}
