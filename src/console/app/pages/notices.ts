// The Data notices page: stored data that today's rules refuse (made under an older release's rules),
// each kind with how many, which ones and the request that fixes them; and, for administrators, the
// webhook subscriptions with their status (a disabled one says why). Nothing here changes billing.
import { html } from 'htm/preact';
import type { dataNoticesResponseSchema } from '../../../contracts/data-notices.js';
import type { subscriptionResponseSchema } from '../../../contracts/webhook-subscriptions.js';
import { useApiClient, useSession } from '../context.js';
import { type Answer, ErrorNote } from '../ui.js';
import { useApi } from '../use-api.js';

const ADMIN = 'wholesale-desk:admin';
const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');

type Notices = Answer<typeof dataNoticesResponseSchema>['items'];
type Webhooks = Answer<typeof subscriptionResponseSchema>[];

export default function Page() {
  const api = useApiClient();
  const isAdmin = useSession().scopes.includes(ADMIN);
  const { data, error } = useApi(async (signal) => {
    const notices = (await api.json<{ items: Notices }>('GET', '/v1/data-notices', { signal })).items;
    const webhooks = isAdmin ? (await api.json<{ items: Webhooks }>('GET', '/v1/webhooks', { signal })).items : null;
    return { notices, webhooks };
  }, []);
  const notices = data?.notices ?? null;
  const webhooks = data?.webhooks ?? null;

  return html`<h2>Data notices</h2>
    <${ErrorNote} error=${error} />
    <section aria-labelledby="notices-h">
      <h3 id="notices-h">Data today's rules refuse</h3>
      ${
        notices === null
          ? !error && html`<p>Loading…</p>`
          : notices.length === 0
            ? html`<p>Nothing: all stored data meets today's rules.</p>`
            : notices.map(
                (n) => html`<article class="data-notice" id=${`notice-${n.kind}`}>
                  <p><strong>${n.message}.</strong></p>
                  <p>Fix: <code>${n.fix}</code></p>
                  <div class="table-wrap" tabindex="0"><table>
                    <caption class="visually-hidden">${n.message}</caption>
                    <thead><tr><th scope="col">Which</th><th scope="col">Why</th><th scope="col">Id</th></tr></thead>
                    <tbody>${n.items.map(
                      (i) =>
                        html`<tr><th scope="row">${i.label}</th><td>${i.detail}</td><td><code title=${i.id}>…${i.id.slice(-12)}</code></td></tr>`,
                    )}</tbody>
                  </table></div>
                </article>`,
              )
      }
    </section>
    ${
      isAdmin &&
      html`<section aria-labelledby="webhooks-h">
        <h3 id="webhooks-h">Webhook subscriptions</h3>
        ${
          webhooks === null
            ? !error && html`<p>Loading…</p>`
            : webhooks.length === 0
              ? html`<p>No webhook subscriptions.</p>`
              : html`<div class="table-wrap" tabindex="0"><table id="webhooks-table">
                  <caption class="visually-hidden">Webhook subscriptions and their status</caption>
                  <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead>
                  <tbody>${webhooks.map(
                    (w) => html`<tr>
                      <th scope="row">${w.url}</th>
                      <td>${w.eventTypes.join(', ')}</td>
                      <td class=${w.status === 'disabled' ? 'error' : ''}>${w.status === 'disabled' ? `disabled: ${w.disabledReason}` : 'active'}</td>
                      <td>${when(w.created)}</td>
                    </tr>`,
                  )}</tbody>
                </table></div>`
        }
      </section>`
    }`;
}
