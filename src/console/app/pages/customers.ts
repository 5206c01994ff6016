// Customers: the partner's customers as a table, searched, filtered, sorted and paged on the server
// (GET /v1/console/customers). A row's name links to the customer's page.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { consoleCustomerListSchema } from '../../../contracts/console-customers.js';
import { useApiClient } from '../context.js';
import { type Answer, inputValue } from '../ui.js';
import { useApi } from '../use-api.js';

const PAGE_SIZE = 25;
const SORTS = [
  ['name', 'Name (A–Z)'],
  ['-name', 'Name (Z–A)'],
  ['status', 'Status'],
  ['-status', 'Status (reversed)'],
  ['-created', 'Newest first'],
  ['created', 'Oldest first'],
] as const;

type CustomerList = Answer<typeof consoleCustomerListSchema>;
interface Query {
  search: string;
  status: string;
  package: string;
  sort: string;
  offset: number;
}

const statusLabel = (s: string) => s.replaceAll('_', ' ');
const formatDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A column header that sorts by its column; pressed again, the other way round. */
function SortHeader({ field, label, sort, onSort }: { field: string; label: string; sort: string; onSort: (sort: string) => void }) {
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : 'none';
  const next = direction === 'ascending' ? `-${field}` : field;
  return html`<th scope="col" aria-sort=${direction}>
    <button type="button" class="cust-sort" onClick=${() => onSort(next)}>
      ${label}<span aria-hidden="true">${direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ''}</span>
    </button>
  </th>`;
}

export default function Page() {
  const api = useApiClient();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState<Query>({ search: '', status: '', package: '', sort: 'name', offset: 0 });
  // Typing fast or paging quickly: only the newest query's answer shows (useApi drops older ones).
  const { data, error, loading } = useApi(
    (signal) => {
      const params = new URLSearchParams({ sort: query.sort, offset: String(query.offset), max: String(PAGE_SIZE) });
      if (query.search) params.set('search', query.search);
      if (query.status) params.set('status', query.status);
      if (query.package) params.set('package', query.package);
      return api.json<CustomerList>('GET', `/v1/console/customers?${params}`, { signal });
    },
    [query.search, query.status, query.package, query.sort, query.offset],
  );

  const change = (patch: Partial<Query>) => setQuery({ ...query, ...patch, offset: 0 });
  const onSearch = (e: Event) => {
    e.preventDefault();
    change({ search: draft.trim() });
  };
  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : query.offset + 1;
  const last = Math.min(query.offset + PAGE_SIZE, total);
  // The server stops counting at 1,000 matches (or the page's end): then there are more than `total`.
  const more = data ? !data.totalExact : false;

  return html`
    <h2>Customers</h2>
    <form class="cust-filters" role="search" onSubmit=${onSearch}>
      <div class="cust-field">
        <label for="cust-search">Search</label>
        <input id="cust-search" type="search" value=${draft} onInput=${(e: Event) => setDraft(inputValue(e))}
          placeholder="Name, external id or email" />
      </div>
      <div class="cust-field">
        <label for="cust-status">Status</label>
        <select id="cust-status" value=${query.status} onChange=${(e: Event) => change({ status: inputValue(e) })}>
          <option value="">Any status</option>
          ${(data?.statuses ?? []).filter((s) => s !== 'deleted').map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
        </select>
      </div>
      <div class="cust-field">
        <label for="cust-package">Package</label>
        <select id="cust-package" value=${query.package} onChange=${(e: Event) => change({ package: inputValue(e) })}>
          <option value="">Any package</option>
          ${(data?.packageCatalogue ?? []).map((p) => html`<option value=${p.id}>${p.name}</option>`)}
        </select>
      </div>
      <div class="cust-field">
        <label for="cust-sort">Sort by</label>
        <select id="cust-sort" value=${query.sort} onChange=${(e: Event) => change({ sort: inputValue(e) })}>
          ${SORTS.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
        </select>
      </div>
      <button type="submit">Search</button>
    </form>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <p aria-live="polite" class="cust-count">
      ${loading ? 'Loading…' : total === 0 ? 'No customers match.' : `Showing ${first}–${last} of ${more ? 'more than ' : ''}${total.toLocaleString('en-US')} customer${total === 1 && !more ? '' : 's'}`}
    </p>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Customers table">
      <table class="cust-table" aria-label="Customers">
        <thead>
          <tr>
            <${SortHeader} field="name" label="Name" sort=${query.sort} onSort=${(sort: string) => change({ sort })} />
            <th scope="col">External id</th>
            <${SortHeader} field="status" label="Status" sort=${query.sort} onSort=${(sort: string) => change({ sort })} />
            <th scope="col">Packages</th>
            <th scope="col" class="num">Subscribers</th>
            <th scope="col">Admin email</th>
            <${SortHeader} field="created" label="Created" sort=${query.sort} onSort=${(sort: string) => change({ sort })} />
          </tr>
        </thead>
        <tbody>
          ${(data?.items ?? []).map(
            (c) => html`<tr>
              <th scope="row"><a href=${`#/customers/${encodeURIComponent(c.id)}`}>${c.name ?? c.externalId}</a></th>
              <td>${c.externalId}</td>
              <td><span class=${`cust-status cust-status-${c.status}`}>${statusLabel(c.status)}</span></td>
              <td>${c.packages.map((p) => p.name).join(', ')}</td>
              <td class="num">${c.subscribers}</td>
              <td>${c.adminEmail ?? c.primaryEmail ?? ''}</td>
              <td>${formatDate(c.createdAt)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="cust-pager" aria-label="Customer pages">
      <button type="button" disabled=${query.offset === 0} onClick=${() => setQuery({ ...query, offset: Math.max(0, query.offset - PAGE_SIZE) })}>
        Previous page
      </button>
      <button type="button" disabled=${last >= total && !more} onClick=${() => setQuery({ ...query, offset: query.offset + PAGE_SIZE })}>
        Next page
      </button>
    </nav>
  `;
}
