// Audit log: who did what to which entity, newest first, filtered by person (actor), entity and time,
// with a short diff of each entry's before and after. Reads GET /v1/console/audit (admin scope).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { auditEntrySchema, auditPageSchema } from '../../../contracts/console-audit.js';
import { useApiClient, useSession } from '../context.js';
import { type Answer, inputValue } from '../ui.js';
import { useApi } from '../use-api.js';

type Entry = Answer<typeof auditEntrySchema>;
type Filter = { actor: string; entityType: string; entityId: string; from: string; to: string };

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
const EMPTY: Filter = { actor: '', entityType: '', entityId: '', from: '', to: '' };

const shortValue = (v: unknown) => {
  const s = v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};
/** Long ids (uuids, Webex's base64 ids share their first 30 characters) are told apart by their end. */
const shortId = (id: string) => (id.length > 14 ? `…${id.slice(-8)}` : id);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const words = (s: string) => s.replaceAll('_', ' ');
const SYSTEM_ACTORS: Record<string, string> = {
  system: 'the desk',
  'system:worker': 'the desk (background work)',
  'system:screening': 'the desk (screening)',
  'system:deadline': 'the desk (review deadlines)',
  'system:webex': 'Webex (through the desk)',
};

/** Who acted, in words: a token's or person's name from the API, the desk's own jobs described. */
export function actorLabel(e: Pick<Entry, 'actor' | 'actorName'>): string {
  if (e.actorName) return e.actorName;
  const system = SYSTEM_ACTORS[e.actor];
  if (system) return system;
  if (e.actor.startsWith('system:')) return `the desk (${words(e.actor.slice(7))})`;
  if (e.actor.startsWith('token:')) return 'a removed token';
  return e.actor.replace(/^staff:/, '');
}

/** Field names as a person says them; others are shown as recorded. */
const FIELD_NAMES: Record<string, string> = {
  meetingsCallInNumber: 'Meetings call-in number',
  call_in_number: 'Meetings call-in number',
  orgId: 'Webex org id',
  org_id: 'Webex org id',
  externalId: 'External id',
  primaryEmail: 'Primary email',
};
const fieldName = (k: string) => FIELD_NAMES[k] ?? k;
/** A call-in "number" that is a country code alone (the desk's default when none is configured) says so. */
const shownValue = (k: string, v: unknown) =>
  FIELD_NAMES[k] === 'Meetings call-in number' && typeof v === 'string' && /^\+\d{1,3}$/.test(v)
    ? `${v} (country code only: no call-in number configured)`
    : shortValue(v);

/** The fields that differ between before and after, as "field: old → new". */
export function diffLines(before: unknown, after: unknown): { field: string; text: string }[] {
  if (!isObject(before) && !isObject(after)) return [];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return keys.map((k) => ({
    field: fieldName(k),
    text: !(k in b)
      ? `${fieldName(k)}: ${shownValue(k, a[k])}`
      : !(k in a)
        ? `${fieldName(k)}: ${shownValue(k, b[k])} → (removed)`
        : `${fieldName(k)}: ${shownValue(k, b[k])} → ${shownValue(k, a[k])}`,
  }));
}

/** Without a before/after difference, what the entry recorded beside it (a decision's note, an outcome). */
const contextLines = (context: unknown) =>
  isObject(context)
    ? Object.entries(context)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => ({ field: fieldName(k), text: `${fieldName(k)}: ${shownValue(k, v)}` }))
    : [];

/**
 * One line per entry (33 entries fit a screen): a single change reads in full; several are named by
 * their fields, the values one click away.
 */
function Changes({ entry }: { entry: Entry }) {
  const diff = diffLines(entry.before, entry.after);
  const lines = diff.length ? diff : contextLines(entry.context);
  if (!lines.length) return html`<span class="audit-none">—</span>`;
  if (lines.length === 1 && lines[0]!.text.length <= 70) return html`<span>${lines[0]!.text}</span>`;
  const fields = lines.map((l) => l.field);
  const summary = fields.length > 4 ? `${fields.slice(0, 4).join(', ')} and ${fields.length - 4} more` : fields.join(', ');
  return html`<details class="audit-more">
    <summary>${summary}</summary>
    <ul class="audit-diff">${lines.map((l) => html`<li>${l.text}</li>`)}</ul>
  </details>`;
}

/** What the entry is about: its name (a link to the customer's page when there is one), the full id on demand. */
function Subject({ entry, onOnly }: { entry: Entry; onOnly: () => void }) {
  const type = words(entry.entityType);
  if (!entry.entityId) return html`<span class="audit-type">${type}</span>`;
  const name = entry.entityName ?? shortId(entry.entityId);
  const id = entry.entityId;
  const copy = () => navigator.clipboard?.writeText(id).catch(() => undefined);
  return html`<span class="audit-type">${type}</span>${' '}
    ${entry.customerId ? html`<a href=${`#/customers/${encodeURIComponent(entry.customerId)}`}>${name}</a>` : html`<span>${name}</span>`}
    <details class="audit-id">
      <summary><span class="visually-hidden">Full id of ${type} ${name}</span><span aria-hidden="true">id</span></summary>
      <div class="audit-id-box">
        <code>${entry.entityId}</code>
        <button type="button" class="secondary" onClick=${copy}>Copy</button>
        <button type="button" class="secondary" onClick=${onOnly}>Only this ${type}</button>
      </div>
    </details>`;
}

const TIME = new Intl.DateTimeFormat('en-GB', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});

export default function Page() {
  const api = useApiClient();
  const allowed = useSession().scopes.includes('wholesale-desk:admin');
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [offset, setOffset] = useState(0);
  // Everyone seen acting so far, offered as suggestions for the person filter.
  const [actors, setActors] = useState<string[]>([]);
  const [actorNames, setActorNames] = useState<Record<string, string>>({});
  const { data: result, error } = useApi(
    async (signal) => {
      if (!allowed) return null;
      const params = new URLSearchParams({ offset: String(offset), max: String(PAGE_SIZE + 1) });
      for (const [k, v] of Object.entries(filter)) if (v.trim()) params.set(k, v.trim());
      const { items } = await api.json<Answer<typeof auditPageSchema>>('GET', `/v1/console/audit?${params}`, { signal });
      return { items: items.slice(0, PAGE_SIZE), more: items.length > PAGE_SIZE, seen: items };
    },
    [filter, offset, allowed],
  );
  useEffect(() => {
    if (!result) return;
    setActors((known) => [...new Set([...known, ...result.seen.map((i) => i.actor)])].sort());
    setActorNames((known) => ({ ...known, ...Object.fromEntries(result.seen.map((i) => [i.actor, actorLabel(i)])) }));
  }, [result]);

  if (!allowed) return html`<div><h2>Audit log</h2><p>The audit log is for administrators (it needs the admin permission).</p></div>`;

  const field = (name: keyof Filter, label: string, type = 'text', extra: Record<string, string> = {}) => html`<div class="audit-field">
    <label for=${`audit-${name}`}>${label}</label>
    <input id=${`audit-${name}`} type=${type} value=${draft[name]} onInput=${(e: Event) => setDraft({ ...draft, [name]: inputValue(e) })} ...${extra} />
  </div>`;
  const apply = (next: Filter) => {
    setDraft(next);
    setFilter(next);
    setOffset(0);
  };

  return html`<div class="audit-page">
    <h2>Audit log</h2>
    <form class="audit-filters" aria-label="Filter the audit log" onSubmit=${(e: Event) => {
      e.preventDefault();
      apply(draft);
    }}>
      ${field('actor', 'Person or actor', 'text', { placeholder: 'ann@… or token:…', list: 'audit-actors' })}
      <datalist id="audit-actors">${actors.map((a) => html`<option value=${a}>${actorNames[a] ?? a}</option>`)}</datalist>
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
      !result
        ? html`<p>Loading…</p>`
        : result.items.length === 0
          ? html`<p>No entries${offset ? ' on this page' : ' match'}.</p>`
          : html`<div class="table-wrap"><table class="audit-table">
            <caption class="audit-caption">Entries ${offset + 1}–${offset + result.items.length}, newest first</caption>
            <colgroup><col class="audit-col-time" /><col class="audit-col-actor" /><col class="audit-col-action" /><col class="audit-col-subject" /><col /></colgroup>
            <thead><tr>
              <th scope="col">Time (UTC)</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Changes</th>
            </tr></thead>
            <tbody>${result.items.map((e) => {
              const who = actorLabel(e);
              return html`<tr>
                <td class="audit-time"><time datetime=${e.at} title=${e.at}>${TIME.format(new Date(e.at))}</time></td>
                <td>
                  <button type="button" class="audit-link" title=${e.actor} onClick=${() => apply({ ...EMPTY, actor: e.actor })}>
                    <span class="visually-hidden">Only entries by </span><span class="audit-actor-name">${who}</span>
                  </button>
                </td>
                <td class="audit-action">${e.action}</td>
                <td class="audit-subject"><${Subject} entry=${e} onOnly=${() => apply({ ...EMPTY, entityType: e.entityType, entityId: e.entityId ?? '' })} /></td>
                <td class="audit-changes"><${Changes} entry=${e} /></td>
              </tr>`;
            })}</tbody>
          </table></div>
          <nav class="audit-pager" aria-label="Audit log pages">
            <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE_SIZE))}>Newer</button>
            <button type="button" disabled=${!result.more} onClick=${() => setOffset(offset + PAGE_SIZE)}>Older</button>
          </nav>`
    }
  </div>`;
}
