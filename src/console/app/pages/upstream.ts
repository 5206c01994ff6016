// The Upstream page: how this desk is connected to Webex Wholesale (or that it is not), the last
// sync and its findings, and the open drift items, which administrators adopt or push.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { retryTasksResponseSchema, taskItemSchema, upstreamStatusResponseSchema } from '../../../contracts/upstream.js';
import type { driftItemSchema, lastSyncResponseSchema, syncRunSchema } from '../../../contracts/upstream-sync.js';
import { errorText } from '../api.js';
import { packageNameIn, useApiClient, useSession } from '../context.js';
import { type Answer, ErrorNote } from '../ui.js';
import { useApi } from '../use-api.js';

type Status = Answer<typeof upstreamStatusResponseSchema>;
type DriftItem = Answer<typeof driftItemSchema>;
type SyncRun = Answer<typeof syncRunSchema>;
type DriftAction = 'adopt' | 'push';

const ADMIN = 'wholesale-desk:admin';

const KIND_NAMES: Record<string, string> = {
  only_webex: 'only in Webex',
  only_desk: 'only in the desk',
  status: 'status differs',
  packages: 'packages differ',
};
const CIRCUIT_NAMES: Record<string, string> = {
  closed: 'closed (calls go through)',
  open: 'open (calls fail at once until the retry time)',
  half_open: 'half open (one trial call decides)',
};
const STATE_NAMES: Record<string, string> = {
  ok: 'Connected',
  unauthorized: 'Token refused',
  unavailable: 'Webex not answering',
  degraded: 'Failing now and then',
};
const OUTCOME_NAMES: Record<string, string> = {
  ok: 'ok',
  unauthorized: 'token refused',
  refused: 'refused',
  rate_limited: 'rate limited',
  unavailable: 'unavailable',
};
const when = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const stateText = (s: DriftItem['desk'], packageName: (id: string) => string) =>
  s ? `${s.status}${s.packages.length ? `: ${s.packages.map(packageName).join(', ')}` : ''}` : 'absent';

/** What adopting or pushing one item does, said before it is done. */
function consequence(item: DriftItem, action: DriftAction) {
  if (action === 'adopt') {
    if (item.kind === 'only_webex') return `The desk takes over ${item.subject} as Webex has it (billing starts for it in the desk).`;
    if (item.kind === 'only_desk') return `The desk removes ${item.subject}, which Webex does not have (its billing stops).`;
    return `The desk takes Webex's ${item.kind === 'status' ? 'status' : 'packages'} for ${item.subject} (billing follows).`;
  }
  if (item.kind === 'only_webex') return `Webex removes ${item.subject}, which the desk does not have.`;
  if (item.kind === 'only_desk') return `The desk creates ${item.subject} in Webex.`;
  return `Webex is given the desk's packages for ${item.subject}.`;
}

export default function Page() {
  const api = useApiClient();
  const session = useSession();
  const packageName = packageNameIn(session);
  const [retrying, setRetrying] = useState(false);
  const [actionError, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [syncing, setSyncing] = useState(false);
  const [pending, setPending] = useState<{ item: DriftItem; action: DriftAction } | null>(null);
  const isAdmin = session.scopes.includes(ADMIN);

  const page = useApi(async (signal) => {
    const s = await api.json<Status>('GET', '/v1/upstream/status', { signal });
    const [l, d, t] = await Promise.all([
      api.json<Answer<typeof lastSyncResponseSchema>>('GET', '/v1/console/upstream/last-sync', { signal }),
      api.json<{ items: DriftItem[] }>('GET', '/v1/upstream/drift?max=100', { signal }),
      s.mode === 'upstream' ? api.json<{ items: Answer<typeof taskItemSchema>[] }>('GET', '/v1/tasks?max=50', { signal }) : { items: [] },
    ]);
    return { status: s, last: l.lastSync, drift: d.items, tasks: t.items };
  }, []);
  const load = page.reload;
  const status = page.data?.status;
  const last = page.data?.last;
  const drift = page.data?.drift ?? null;
  const tasks = page.data?.tasks ?? null;
  const error = actionError || page.error;

  // A sync runs in the background (#25): the POST answers the run, which is followed until it ends.
  const [run, setRun] = useState<SyncRun | null>(null);
  async function syncNow() {
    setSyncing(true);
    setError('');
    setNotice('');
    try {
      let r = await api.json<SyncRun>('POST', '/v1/upstream/sync');
      setRun(r);
      while (r.state === 'queued' || r.state === 'running') {
        await new Promise((done) => setTimeout(done, 1000));
        r = await api.json<SyncRun>('GET', `/v1/upstream/syncs/${encodeURIComponent(r.id)}`);
        setRun(r);
      }
      if (r.state === 'failed') setError(`Sync failed: ${r.errors.join('; ')}`);
      else
        setNotice(
          `Sync finished: ${plural(r.summary?.webexCustomers ?? 0, 'customer')} and ${plural(r.summary?.webexSubscribers ?? 0, 'subscriber')} read from Webex; ${plural(r.summary?.openDrift ?? 0, 'difference')} open.`,
        );
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSyncing(false);
    }
  }
  async function retryAll() {
    setRetrying(true);
    setError('');
    setNotice('');
    try {
      const r = await api.json<Answer<typeof retryTasksResponseSchema>>('POST', '/v1/tasks/retry');
      setNotice(
        r.retried ? `Retrying ${plural(r.retried, 'task')}: their customers and subscribers are back in progress.` : 'Nothing to retry.',
      );
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRetrying(false);
    }
  }
  async function resolve() {
    if (!pending) return;
    const { item, action } = pending;
    setError('');
    try {
      await api.json('POST', `/v1/upstream/drift/${encodeURIComponent(item.id)}/${action}`);
      setNotice(`${action === 'adopt' ? 'Adopted' : 'Pushed'}: ${item.subject}.`);
      setPending(null);
      await load();
    } catch (e) {
      setPending(null);
      setError(errorText(e));
    }
  }

  if (!status) return html`<h2>Upstream</h2><${ErrorNote} error=${error} />${!error && html`<p>Loading…</p>`}`;
  const upstream = status.mode === 'upstream';
  return html`<h2>Upstream</h2>
    <${ErrorNote} error=${error} />
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <section aria-labelledby="upstream-connection-h">
      <h3 id="upstream-connection-h">Connection to Webex</h3>
      ${
        upstream
          ? html`<dl class="upstream-facts">
              <dt>Mode</dt><dd>Upstream: customers and subscribers are provisioned in Webex through the Wholesale API</dd>
              <dt>State</dt><dd id="upstream-state" class=${status.state === 'ok' ? '' : 'error'}><strong>${STATE_NAMES[status.state ?? ''] ?? status.state}</strong>. ${status.summary ?? ''}</dd>
              <dt>Last success</dt><dd>${when(status.lastSuccessAt)}</dd>
              <dt>Webex API</dt><dd>${status.api}</dd>
              <dt>Signed in with</dt><dd>${status.auth === 'oauth' ? 'an OAuth integration (tokens refreshed automatically)' : 'a partner administrator’s access token'}</dd>
              <dt>Circuit</dt><dd class=${status.circuit?.state === 'closed' ? '' : 'error'}>${CIRCUIT_NAMES[status.circuit?.state ?? ''] ?? status.circuit?.state}${status.circuit?.consecutiveFailures ? `, ${plural(status.circuit.consecutiveFailures, 'failure')} in a row` : ''}${status.circuit?.retryAt ? `, retry at ${when(status.circuit.retryAt)}` : ''}</dd>
              <dt>Calls</dt><dd>${plural(status.calls ?? 0, 'call')} since start, ${status.inFlight ?? 0} in flight, ${status.waiting ?? 0} waiting${
                status.outcomes
                  ? `; ${Object.entries(status.outcomes)
                      .map(([k, n]) => `${n} ${OUTCOME_NAMES[k] ?? k}`)
                      .join(', ')}`
                  : ''
              }</dd>
              <dt>Last error</dt><dd id="upstream-last-error">${status.lastError ? `${when(status.lastError.at)}: ${status.lastError.message}${status.lastError.status ? ` (HTTP ${status.lastError.status}${status.lastError.errorCode ? `, errorCode ${status.lastError.errorCode}` : ''})` : ''}${status.lastError.trackingId ? ` (trackingId ${status.lastError.trackingId})` : ''}` : 'none'}</dd>
            </dl>`
          : html`<div class="standalone-note">
              <p><strong>Standalone mode: this desk is not connected to Webex.</strong> Nothing is sent to Webex; statuses, org ids and call-in numbers are the desk's own.</p>
              <p class="hint">To connect it, start the desk with <code>WEBEX_WHOLESALE_TOKEN</code> or an OAuth integration (see docs/upstream.md, “Upstream (Webex) mode”).</p>
            </div>`
      }
    </section>
    ${
      upstream &&
      html`<section aria-labelledby="upstream-tasks-h">
        <h3 id="upstream-tasks-h">Held and failed work</h3>
        ${
          tasks === null
            ? html`<p>Loading…</p>`
            : tasks.length === 0
              ? html`<p>Nothing is held or failed: every task is done or on its way.</p>`
              : html`<p>${plural(status.tasks?.parked ?? 0, 'task')} held (the Webex token was refused; no attempt spent), ${plural(status.tasks?.failed ?? 0, 'task')} failed after their attempts.</p>
                <div class="table-wrap" tabindex="0"><table id="tasks-table">
                  <caption class="visually-hidden">Held and failed tasks, oldest first</caption>
                  <thead><tr><th scope="col">Task</th><th scope="col">State</th><th scope="col">Since</th><th scope="col">Why</th></tr></thead>
                  <tbody>${tasks.map(
                    (t) => html`<tr>
                      <th scope="row">${t.kind}${t.customerId ? html`<div class="hint"><a href=${`#/customers/${encodeURIComponent(t.customerId)}`}>the customer</a></div>` : ''}</th>
                      <td>${t.state === 'parked' ? 'held' : 'failed'}</td>
                      <td>${when(t.stopped)}</td>
                      <td>${t.lastError ?? ''}</td>
                    </tr>`,
                  )}</tbody>
                </table></div>`
        }
        ${isAdmin && (tasks?.length ?? 0) > 0 && html`<button type="button" class="primary" id="retry-all" onClick=${retryAll} disabled=${retrying}>${retrying ? 'Retrying…' : 'Retry all held and failed work'}</button>`}
      </section>`
    }
    ${
      upstream &&
      html`<section aria-labelledby="upstream-sync-h">
        <h3 id="upstream-sync-h">Last sync</h3>
        ${
          last === undefined
            ? html`<p>Loading…</p>`
            : last === null
              ? html`<p>Never synced: the first sync imports what only Webex has.</p>`
              : html`<dl class="upstream-facts" id="last-sync">
                  <dt>When</dt><dd>${when(last.started)} (${last.mode === 'import' ? 'first sync: import' : 'drift check'}), by ${last.startedBy}</dd>
                  <dt>Read from Webex</dt><dd>${plural(last.summary.webexCustomers ?? 0, 'customer')}, ${plural(last.summary.webexSubscribers ?? 0, 'subscriber')}</dd>
                  ${last.mode === 'import' && html`<dt>Imported</dt><dd>${plural(last.summary.customersImported ?? 0, 'customer')}, ${plural(last.summary.subscribersImported ?? 0, 'subscriber')}${last.summary.subscribersSkipped ? `, ${plural(last.summary.subscribersSkipped, 'subscriber')} skipped` : ''}</dd>`}
                  <dt>Differences found</dt><dd>${plural(
                    Object.values(last.summary.drift ?? {}).reduce((a, b) => a + b, 0),
                    'difference',
                  )}${last.summary.inTransition ? `; ${plural(last.summary.inTransition, 'item')} left out while in transition` : ''}</dd>
                </dl>`
        }
        ${
          syncing &&
          run &&
          html`<p id="sync-progress" role="status">Sync ${run.state}: ${plural(run.progress.pagesRead, 'page')} read, ${plural(run.progress.customersSeen, 'customer')} and ${plural(run.progress.subscribersSeen, 'subscriber')} seen${run.progress.orgNamesRead ? `, ${plural(run.progress.orgNamesRead, 'org name')} read` : ''}.</p>`
        }
        ${isAdmin && html`<button type="button" class="primary" onClick=${syncNow} disabled=${syncing}>${syncing ? 'Syncing…' : 'Sync now'}</button>`}
      </section>`
    }
    <section aria-labelledby="upstream-drift-h">
      <h3 id="upstream-drift-h">Drift</h3>
      ${
        drift === null
          ? html`<p>Loading…</p>`
          : drift.length === 0
            ? html`<p>No open differences between the desk and Webex.</p>`
            : html`<div class="table-wrap" tabindex="0"><table id="drift-table">
              <caption class="visually-hidden">Open differences between the desk and Webex</caption>
              <thead><tr><th scope="col">Subject</th><th scope="col">Difference</th><th scope="col">Desk</th><th scope="col">Webex</th><th scope="col">Since</th>${isAdmin && html`<th scope="col">Resolve</th>`}</tr></thead>
              <tbody>${drift.map(
                (d) => html`<tr>
                  <th scope="row">${d.subject}<div class="hint">${d.entityType}${d.customerExternalId && d.entityType === 'subscriber' ? ` of ${d.customerExternalId}` : ''}</div></th>
                  <td>${KIND_NAMES[d.kind] ?? d.kind}</td>
                  <td>${stateText(d.desk, packageName)}</td>
                  <td>${stateText(d.webex, packageName)}</td>
                  <td>${when(d.detected)}</td>
                  ${
                    isAdmin &&
                    html`<td class="actions">
                      <button type="button" onClick=${() => setPending({ item: d, action: 'adopt' })}>Adopt<span class="visually-hidden"> Webex's state for ${d.subject}</span></button>
                      ${d.kind !== 'status' && html`<button type="button" onClick=${() => setPending({ item: d, action: 'push' })}>Push<span class="visually-hidden"> the desk's state for ${d.subject}</span></button>`}
                    </td>`
                  }
                </tr>`,
              )}</tbody>
            </table></div>`
      }
      ${
        pending &&
        html`<div class="confirm" role="alert">
          <p>${pending.action === 'adopt' ? 'Adopt' : 'Push'} ${pending.item.subject}? ${consequence(pending.item, pending.action)}</p>
          <button type="button" class="primary" onClick=${resolve}>Yes, ${pending.action}</button>
          <button type="button" onClick=${() => setPending(null)}>No</button>
        </div>`
      }
    </section>`;
}
