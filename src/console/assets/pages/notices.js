// The Data notices page: stored data that today's rules refuse (made under an older release's rules),
// each kind with how many, which ones and the request that fixes them; and, for administrators, the
// webhook subscriptions with their status (a disabled one says why). Nothing here changes billing.
import { html, useEffect, useState } from '/console/vendor/preact.js';

const ADMIN = 'wholesale-desk:admin';
const when = (iso) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');
const ErrorNote = ({ error }) => (error ? html`<p class="error" role="alert">${error}</p>` : null);

export default function Page({ api, session }) {
  const isAdmin = session.scopes.includes(ADMIN);
  const [notices, setNotices] = useState(null);
  const [webhooks, setWebhooks] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    (async () => {
      setNotices((await api('GET', '/v1/data-notices')).items);
      if (isAdmin) setWebhooks((await api('GET', '/v1/webhooks')).items);
    })().catch((e) => setError(e.message));
  }, []);

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
