// Audit log: who did what to which entity, newest first, filtered by person (actor), entity and time,
// with a short diff of each entry's before and after. Reads GET /v1/console/audit (admin scope).
import { html, useEffect, useState } from '/console/vendor/preact.js';

const PAGE_SIZE = 50;
const ENTITY_TYPES = [
  'customer',
  'subscriber',
  'workspace',
  'compliance_review',
  'screening_list',
  'billing_report',
  'billing_reconciliation',
  'price_book',
  'onboarding_template',
  'partner',
  'api_token',
  'webhook_subscription',
  'console_session',
  'bot_command',
];
const EMPTY = { actor: '', entityType: '', entityId: '', from: '', to: '' };

const shortValue = (v) => {
  const s = v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
};
/** Long ids (uuids, Webex's base64 ids share their first 30 characters) are told apart by their end. */
const shortId = (id) => (id.length > 14 ? `…${id.slice(-8)}` : id);
const shortActor = (actor) => actor.replace(/^token:(.{8}).+$/, 'token:$1…');
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields that differ between before and after, as "field: old → new", at most four shown. */
export function diffLines(before, after) {
  if (!isObject(before) && !isObject(after)) return [];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return keys.map((k) =>
    !(k in b)
      ? `${k}: ${shortValue(a[k])}`
      : !(k in a)
        ? `${k}: ${shortValue(b[k])} → (removed)`
        : `${k}: ${shortValue(b[k])} → ${shortValue(a[k])}`,
  );
}

/** Without a before/after difference, what the entry recorded beside it (a decision's note, an outcome). */
const contextLines = (context) =>
  isObject(context)
    ? Object.entries(context)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k}: ${shortValue(v)}`)
    : [];

function Changes({ entry }) {
  const diff = diffLines(entry.before, entry.after);
  const lines = diff.length ? diff : contextLines(entry.context);
  if (!lines.length) return html`<span class="audit-none">—</span>`;
  const shown = lines.slice(0, 4);
  return html`<ul class="audit-diff">
    ${shown.map((l) => html`<li>${l}</li>`)}
    ${lines.length > shown.length ? html`<li>and ${lines.length - shown.length} more</li>` : ''}
  </ul>`;
}

export default function Page({ api, session }) {
  const allowed = session.scopes.includes('wholesale-desk:admin');
  const [draft, setDraft] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState(null);
  const [error, setError] = useState('');
  // Everyone seen acting so far, offered as suggestions for the person filter.
  const [actors, setActors] = useState([]);

  useEffect(() => {
    if (!allowed) return;
    let stale = false;
    const params = new URLSearchParams({ offset: String(offset), max: String(PAGE_SIZE + 1) });
    for (const [k, v] of Object.entries(filter)) if (v.trim()) params.set(k, v.trim());
    setError('');
    api('GET', `/v1/console/audit?${params}`)
      .then(({ items }) => {
        if (stale) return;
        setResult({ items: items.slice(0, PAGE_SIZE), more: items.length > PAGE_SIZE });
        setActors((known) => [...new Set([...known, ...items.map((i) => i.actor)])].sort());
      })
      .catch((e) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [api, filter, offset, allowed]);

  if (!allowed) return html`<div><h2>Audit log</h2><p>The audit log is for administrators (it needs the admin permission).</p></div>`;

  const field = (name, label, type = 'text', extra = {}) => html`<div class="audit-field">
    <label for=${`audit-${name}`}>${label}</label>
    <input id=${`audit-${name}`} type=${type} value=${draft[name]} onInput=${(e) => setDraft({ ...draft, [name]: e.target.value })} ...${extra} />
  </div>`;
  const apply = (next) => {
    setDraft(next);
    setFilter(next);
    setOffset(0);
  };

  return html`<div class="audit-page">
    <h2>Audit log</h2>
    <form class="audit-filters" aria-label="Filter the audit log" onSubmit=${(e) => {
      e.preventDefault();
      apply(draft);
    }}>
      ${field('actor', 'Person or actor', 'text', { placeholder: 'ann@… or token:…', list: 'audit-actors' })}
      <datalist id="audit-actors">${actors.map((a) => html`<option value=${a}></option>`)}</datalist>
      ${field('entityType', 'Entity type', 'text', { list: 'audit-entity-types' })}
      <datalist id="audit-entity-types">${ENTITY_TYPES.map((t) => html`<option value=${t}></option>`)}</datalist>
      ${field('entityId', 'Entity id')}
      ${field('from', 'From (UTC date)', 'date')}
      ${field('to', 'To (UTC date, inclusive)', 'date')}
      <div class="audit-buttons">
        <button type="submit">Filter</button>
        <button type="button" onClick=${() => apply(EMPTY)}>Clear</button>
      </div>
    </form>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${
      result === null
        ? html`<p>Loading…</p>`
        : result.items.length === 0
          ? html`<p>No entries${offset ? ' on this page' : ' match'}.</p>`
          : html`<div class="table-wrap"><table class="audit-table">
            <caption class="audit-caption">Entries ${offset + 1}–${offset + result.items.length}, newest first</caption>
            <thead><tr>
              <th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Entity</th><th scope="col" class="audit-changes">Changes</th>
            </tr></thead>
            <tbody>${result.items.map(
              (e) => html`<tr>
                <td class="audit-time"><time datetime=${e.at}>${e.at.slice(0, 10)}<br />${e.at.slice(11, 19)}</time></td>
                <td>
                  <button type="button" class="audit-link" title=${`Only ${e.actor}`} onClick=${() => apply({ ...EMPTY, actor: e.actor })}>${shortActor(e.actor)}</button>
                </td>
                <td>${e.action}</td>
                <td>
                  ${
                    e.entityId
                      ? html`<button type="button" class="audit-link" title=${`Only ${e.entityType} ${e.entityId}`}
                        onClick=${() => apply({ ...EMPTY, entityType: e.entityType, entityId: e.entityId })}>${e.entityType}<br />${shortId(e.entityId)}</button>`
                      : e.entityType
                  }
                </td>
                <td><${Changes} entry=${e} /></td>
              </tr>`,
            )}</tbody>
          </table></div>
          <nav class="audit-pager" aria-label="Audit log pages">
            <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE_SIZE))}>Newer</button>
            <button type="button" disabled=${!result.more} onClick=${() => setOffset(offset + PAGE_SIZE)}>Older</button>
          </nav>`
    }
  </div>`;
}
