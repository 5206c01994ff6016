// The console's pages beside the chat: a hash router that loads one ES module per page from
// /console/pages/ and renders it with Preact and htm (one prebuilt file, no bundler). Each page module
// exports `default function Page({ api, session, params, navigate })`; `api(method, path, body)` is the
// signed-in caller (token or session, CSRF included), `session.scopes` says what the person may do.
import { html, render } from '/console/vendor/preact.js';

/**
 * Every page, in the navigation's order: `path` is the first segment after `#/`; `pattern` maps the
 * rest to params. Pages register here, one line each.
 */
const PAGES = [
  { path: 'customers', title: 'Customers', module: 'customers.js' },
  { path: 'customers', segments: 1, params: ['id'], title: 'Customer', module: 'customer.js', inNav: false },
  { path: 'billing', title: 'Billing', module: 'billing.js' },
  { path: 'upstream', title: 'Upstream', module: 'upstream.js' },
  { path: 'compliance', title: 'Compliance', module: 'compliance.js' },
  { path: 'audit', title: 'Audit log', module: 'audit.js' },
  { path: 'notices', title: 'Data notices', module: 'notices.js' },
  { path: 'access', title: 'Staff & tokens', module: 'access.js' },
];

const nav = document.querySelector('#pages-nav ul');
const pageEl = document.getElementById('page');
const dashboard = document.getElementById('dashboard');
let session = null;

function route() {
  const [first = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = PAGES.find((p) => p.path === first && (p.segments ?? 0) === rest.length);
  return page ? { page, params: Object.fromEntries((page.params ?? []).map((name, i) => [name, rest[i]])) } : undefined;
}

const navigate = (hash) => {
  location.hash = hash;
};

async function show() {
  if (!session) return;
  const found = route();
  for (const a of nav.querySelectorAll('a')) {
    const current = found ? a.dataset.path === found.page.path : a.dataset.path === '';
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!found) {
    render(null, pageEl);
    pageEl.hidden = true;
    dashboard.hidden = false;
    return;
  }
  dashboard.hidden = true;
  pageEl.hidden = false;
  const module = await import(`/console/pages/${found.page.module}`);
  const Page = module.default;
  render(
    html`<${Page} key=${location.hash} api=${window.wdConsole.api} session=${session} params=${found.params} navigate=${navigate} />`,
    pageEl,
  );
  document.title = `${found.page.title} · Wholesale Desk`;
  pageEl.focus();
}

function buildNav() {
  const items = [{ path: '', title: 'Dashboard' }, ...PAGES.filter((p) => p.inNav !== false)];
  render(html`${items.map((p) => html`<li><a href=${`#/${p.path}`} data-path=${p.path}>${p.title}</a></li>`)}`, nav);
}

window.wdConsole.whenSignedIn((who) => {
  session = who;
  buildNav();
  show();
});
window.addEventListener('hashchange', show);

/**
 * On a phone every table is a stack of cards (console.css): each cell shows its column's name, taken
 * here from the table's header row, for tables on every page (whoever wrote it) and the dashboard.
 */
function labelCells(root) {
  for (const table of root.querySelectorAll('table')) {
    const headRow = table.tHead?.rows[table.tHead.rows.length - 1];
    if (!headRow) continue;
    const names = [];
    for (const th of headRow.cells) for (let i = 0; i < th.colSpan; i++) names.push(th.textContent.trim());
    for (const section of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])])
      for (const row of section.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const name = cell.colSpan === 1 ? (names[column] ?? '') : '';
          if (cell.getAttribute('data-label') !== name) cell.setAttribute('data-label', name);
          column += cell.colSpan;
        }
      }
  }
}
// Attribute changes are not observed: labelling never wakes the observer again.
const labeller = new MutationObserver(() => {
  labelCells(pageEl);
  labelCells(dashboard);
});
for (const root of [pageEl, dashboard]) labeller.observe(root, { childList: true, subtree: true, characterData: true });
