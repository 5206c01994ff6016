// Compliance: the restricted-party review queue with its deadlines and contact attempts. Approve,
// reject and contact attempts are for holders of wholesale-desk:compliance_decide only, each confirmed
// in the page first (as chat asks "yes?"); everyone else sees the queue read-only.
import { html } from 'htm/preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api.js';
import { useApiClient, useSession } from '../context.js';
import { inputValue } from '../ui.js';
import { useApi } from '../use-api.js';

/** A review as GET /v1/compliance/reviews answers it (src/api/compliance-routes.ts, toReviewResponse). */
interface Review {
  id: string;
  customerId: string;
  kind: string;
  status: string;
  matches: { matchedName: string; source: string; score: number }[];
  openedAt: string;
  deadline: string;
  unansweredContacts: number;
  contacts: { at: string; outcome: string; by: string; note?: string | null }[];
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
}

const DECIDE = 'wholesale-desk:compliance_decide';
const STATUSES = ['open', 'approved', 'rejected', 'expired', 'deprovisioned'];
const KIND_NAMES: Record<string, string> = {
  onboarding: 'Onboarding',
  address_change: 'Address change',
  list_reload: 'List reloaded',
  name_missing: 'Name missing',
  no_list: 'No screening list loaded',
};
const OUTCOME_NAMES: Record<string, string> = { no_answer: 'No answer', reached: 'Reached' };

const formatInstant = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** "2 d 5 h left", "40 min left" or "overdue by 3 h": whole units, the two largest that matter. */
function timeLeft(deadlineIso: string, now: number) {
  const ms = Date.parse(deadlineIso) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.max(1, Math.floor((abs % 3_600_000) / 60_000));
  const span = days ? `${days} d ${hours} h` : hours ? `${hours} h ${Math.floor((abs % 3_600_000) / 60_000)} min` : `${minutes} min`;
  return ms < 0 ? { text: `overdue by ${span}`, overdue: true } : { text: `${span} left`, overdue: false };
}

function Deadline({ review, now }: { review: Review; now: number }) {
  if (review.status !== 'open') return html`<span>${formatInstant(review.deadline)}</span>`;
  const left = timeLeft(review.deadline, now);
  return html`<span class=${left.overdue ? 'comp-overdue' : ''}>
    ${formatInstant(review.deadline)}<br /><strong>${left.overdue ? 'Overdue' : ''}</strong>${left.overdue ? ': ' : ''}${left.text}
  </span>`;
}

/** A two-step action: the first button asks, the second (with its consequence spelled out) does. */
function Confirmed({
  label,
  question,
  onConfirm,
  disabled,
  busy,
}: {
  label: string;
  question: string;
  onConfirm: () => Promise<void>;
  disabled?: boolean;
  busy: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the question's answer, not back at the top of the page. A layout effect
  // runs in the same task as the click: the first button is gone from the page by then, and a plain
  // effect would wait for the next frame, leaving focus on the page's body until it came (an Enter
  // pressed in that gap went nowhere).
  useLayoutEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) return html`<button type="button" disabled=${disabled || busy} onClick=${() => setAsking(true)}>${label}</button>`;
  return html`<div class="comp-confirm" role="group" aria-label=${`Confirm: ${label}`}>
    <p>${question}</p>
    <button type="button" class="comp-yes" ref=${yes} disabled=${busy} onClick=${async () => {
      await onConfirm();
      setAsking(false);
    }}>Yes, ${label.toLowerCase()}</button>
    <button type="button" onClick=${() => setAsking(false)}>Cancel</button>
  </div>`;
}

function ReviewDetail({
  review,
  customerName,
  canDecide,
  onChanged,
}: {
  review: Review;
  customerName: string;
  canDecide: boolean;
  onChanged: (updated: Review) => void;
}) {
  const api = useApiClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('no_answer');
  const [contactNote, setContactNote] = useState('');
  const id = review.id;
  const send = async (path: string, body: unknown, done?: () => void) => {
    setBusy(true);
    setError('');
    try {
      const updated = await api.json<Review>('POST', `/v1/compliance/reviews/${encodeURIComponent(id)}/${path}`, { json: body });
      done?.();
      onChanged(updated);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const open = review.status === 'open';
  return html`<section class="comp-detail" aria-labelledby=${`rev-${id}-h`}>
    <h3 id=${`rev-${id}-h`}>${customerName} — ${KIND_NAMES[review.kind] ?? review.kind} review</h3>
    <p>
      Status <strong>${review.status}</strong>; opened ${formatInstant(review.openedAt)}; decide by ${formatInstant(review.deadline)}.
      ${review.decidedAt ? html` Decided ${formatInstant(review.decidedAt)} by ${review.decidedBy}.` : ''}
      ${review.reason ? html` Reason: ${review.reason}` : ''}
    </p>
    <h4>Matches on the screening list</h4>
    ${
      review.matches.length
        ? html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">Listed name</th><th scope="col">Source</th><th scope="col">Similarity</th></tr></thead>
          <tbody>${review.matches.map(
            (m) => html`<tr><td>${m.matchedName}</td><td>${m.source}</td><td>${Math.round(m.score * 100)}%</td></tr>`,
          )}</tbody>
        </table></div>`
        : html`<p>No list entry (the review was opened for another reason).</p>`
    }
    <h4>Contact attempts</h4>
    ${
      review.contacts.length
        ? html`<ol class="comp-contacts">${review.contacts.map(
            (c) =>
              html`<li>${formatInstant(c.at)}: ${OUTCOME_NAMES[c.outcome] ?? c.outcome}, by ${c.by}${c.note ? ` — ${c.note}` : ''}</li>`,
          )}</ol>`
        : html`<p>None yet.</p>`
    }
    ${review.unansweredContacts ? html`<p>${review.unansweredContacts} unanswered in a row.</p>` : ''}
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${
      canDecide && open
        ? html`<form class="comp-form" onSubmit=${(e: Event) => {
            e.preventDefault();
            send('contact-attempts', { outcome, ...(contactNote.trim() ? { note: contactNote.trim() } : {}) }, () => setContactNote(''));
          }}>
            <h4>Record a contact attempt</h4>
            <label for=${`rev-${id}-outcome`}>Outcome</label>
            <select id=${`rev-${id}-outcome`} value=${outcome} onChange=${(e: Event) => setOutcome(inputValue(e))}>
              <option value="no_answer">No answer</option>
              <option value="reached">Reached</option>
            </select>
            <label for=${`rev-${id}-cnote`}>Note (optional)</label>
            <input id=${`rev-${id}-cnote`} type="text" maxlength="2000" value=${contactNote} onInput=${(e: Event) => setContactNote(inputValue(e))} />
            <button type="submit" disabled=${busy}>Record attempt</button>
          </form>
          <div class="comp-decide">
            <h4>Decide</h4>
            <label for=${`rev-${id}-note`}>Approval note (optional)</label>
            <input id=${`rev-${id}-note`} type="text" maxlength="2000" value=${note} onInput=${(e: Event) => setNote(inputValue(e))} />
            <${Confirmed}
              label="Approve"
              busy=${busy}
              question=${`Approve ${customerName}? The screening hit is cleared and provisioning goes ahead.`}
              onConfirm=${() => send('approve', note.trim() ? { note: note.trim() } : {})}
            />
            <label for=${`rev-${id}-reason`}>Rejection reason (required)</label>
            <input id=${`rev-${id}-reason`} type="text" maxlength="2000" value=${reason} onInput=${(e: Event) => setReason(inputValue(e))} />
            <${Confirmed}
              label="Reject"
              busy=${busy}
              disabled=${reason.trim().length < 3}
              question=${`Reject ${customerName}? The hit is confirmed and the customer is deprovisioned.`}
              onConfirm=${() => send('reject', { reason: reason.trim() })}
            />
            ${reason.trim().length < 3 ? html`<p class="comp-hint">Give a reason (3 characters at least) to reject.</p>` : ''}
          </div>`
        : ''
    }
    ${!canDecide && open ? html`<p class="comp-hint">Read only: deciding needs the compliance decision permission (admins).</p>` : ''}
  </section>`;
}

export default function Page() {
  const api = useApiClient();
  const canDecide = useSession().scopes.includes(DECIDE);
  const [status, setStatus] = useState('open');
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const now = Date.now();

  // The queue, then its customers' names (one request per customer in it).
  const queue = useApi(
    async (signal) => {
      const q = status ? `?status=${status}&max=100` : '?max=100';
      const { items } = await api.json<{ items: Review[] }>('GET', `/v1/compliance/reviews${q}`, { signal });
      const missing = [...new Set(items.map((r) => r.customerId))];
      const found = await Promise.all(
        missing.map((id) =>
          api
            .json<{ customerInfo?: { name?: string }; externalId?: string }>('GET', `/v1/wholesale/customers/${encodeURIComponent(id)}`, {
              signal,
            })
            .then((c): [string, string] => [id, c.customerInfo?.name || c.externalId || id])
            .catch((): [string, string] => [id, id]),
        ),
      );
      return { reviews: items, names: Object.fromEntries(found) as Record<string, string> };
    },
    [status],
  );
  const reviews = queue.data?.reviews ?? null;
  const names = queue.data?.names ?? {};
  const error = queue.error;

  const nameOf = (r: Review) => names[r.customerId] ?? r.customerId;
  const onChanged = (updated: Review) => {
    setNotice(`${nameOf(updated)}: review ${updated.status === 'open' ? 'updated' : updated.status}.`);
    if (queue.data) queue.setData({ ...queue.data, reviews: queue.data.reviews.map((r) => (r.id === updated.id ? updated : r)) });
  };
  const current = reviews?.find((r) => r.id === selected);

  return html`<div class="comp-page">
    <h2>Compliance</h2>
    <p>Restricted-party screening reviews: decide each before its deadline, or the customer is stopped.</p>
    <form class="comp-filter" onSubmit=${(e: Event) => e.preventDefault()}>
      <label for="comp-status">Status</label>
      <select id="comp-status" value=${status} onChange=${(e: Event) => {
        setStatus(inputValue(e));
        setSelected(null);
      }}>
        <option value="">All</option>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </form>
    <p class="comp-notice" role="status">${notice}</p>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${
      reviews === null
        ? html`<p>Loading…</p>`
        : reviews.length === 0
          ? html`<p>No ${status || ''} reviews.</p>`
          : html`<div class="table-wrap"><table class="comp-table">
            <caption class="comp-caption">${reviews.length} review${reviews.length === 1 ? '' : 's'}, nearest deadline first</caption>
            <thead><tr>
              <th scope="col">Customer</th><th scope="col">Kind</th><th scope="col">Status</th>
              <th scope="col">Deadline</th><th scope="col">Contacts</th><th scope="col"><span class="comp-sr">Actions</span></th>
            </tr></thead>
            <tbody>${reviews.map(
              (r) => html`<tr class=${r.id === selected ? 'comp-selected' : ''}>
                <th scope="row">${nameOf(r)}</th>
                <td>${KIND_NAMES[r.kind] ?? r.kind}</td>
                <td>${r.status}</td>
                <td><${Deadline} review=${r} now=${now} /></td>
                <td>${r.contacts.length}${r.unansweredContacts ? ` (${r.unansweredContacts} unanswered)` : ''}</td>
                <td><button type="button" aria-expanded=${r.id === selected} onClick=${() => setSelected(r.id === selected ? null : r.id)}>
                  ${r.id === selected ? 'Close' : canDecide && r.status === 'open' ? 'Review' : 'Details'}<span class="comp-sr"> ${nameOf(r)}</span>
                </button></td>
              </tr>`,
            )}</tbody>
          </table></div>`
    }
    ${
      current
        ? html`<${ReviewDetail} key=${current.id} review=${current} customerName=${nameOf(current)} canDecide=${canDecide} onChanged=${onChanged} />`
        : ''
    }
  </div>`;
}
