// Staff & tokens (admins: wholesale-desk:admin): who of the partner signs in to the console and with
// which role, and the partner's API tokens. A new token is shown once, here, and never again. The same
// operations as `npm run cli -- staff …` / `token …`, through GET/PUT/DELETE /v1/console/access/*.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { StaffEntryResponse, TokenEntryResponse } from '../../../contracts/console-access.js';
import { errorText } from '../api.js';
import { useApiClient, useSession } from '../context.js';
import { inputValue } from '../ui.js';
import { useApi } from '../use-api.js';

const ADMIN = 'wholesale-desk:admin';
const ROLES = ['viewer', 'operator', 'admin'] as const;
const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '—');
const Note = ({ error, done }: { error: string; done: string }) =>
  error ? html`<p class="error" role="alert">${error}</p>` : done ? html`<p role="status">${done}</p>` : null;

function Staff() {
  const api = useApiClient();
  const session = useSession();
  const staff = useApi((signal) => api.json<{ items: StaffEntryResponse[] }>('GET', '/v1/console/access/staff', { signal }), []);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('operator');
  const [pending, setPending] = useState<StaffEntryResponse | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const rows = staff.data?.items ?? null;
  const shownError = error || staff.error;
  const act = (work: () => Promise<unknown>, message: string) => {
    setError('');
    setDone('');
    work().then(
      () => {
        setDone(message);
        setPending(null);
        void staff.reload();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  const add = (event: Event) => {
    event.preventDefault();
    const who = email.trim().toLowerCase();
    act(() => api.json('PUT', '/v1/console/access/staff', { json: { email: who, role } }), `${who} is ${role}`);
    setEmail('');
  };
  return html`<section aria-labelledby="staff-h">
    <h3 id="staff-h">Staff</h3>
    <p>People who sign in to the console (and use the chat) with their email; the role decides what they may do.</p>
    <${Note} error=${shownError} done=${done} />
    <form class="inline-form" onSubmit=${add}>
      <label>Email <input type="email" required value=${email} onInput=${(e: Event) => setEmail(inputValue(e))} autocomplete="off" /></label>
      <label>Role
        <select value=${role} onChange=${(e: Event) => setRole(inputValue(e))}>${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}</select>
      </label>
      <button type="submit" class="primary">Add or change</button>
    </form>
    ${
      rows === null
        ? !shownError && html`<p>Loading…</p>`
        : rows.length === 0
          ? html`<p>No staff yet.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="staff-table">
              <caption class="visually-hidden">Staff and their roles</caption>
              <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Actions</th></tr></thead>
              <tbody>${rows.map(
                (s) => html`<tr>
                  <th scope="row">${s.email}</th>
                  <td>${s.displayName ?? '—'}</td>
                  <td>${s.role}</td>
                  <td>${
                    session.kind === 'person' && session.email === s.email
                      ? html`<span>you</span>`
                      : html`<button type="button" onClick=${() => setPending(s)}>Remove<span class="visually-hidden"> ${s.email}</span></button>`
                  }</td>
                </tr>`,
              )}</tbody>
            </table></div>`
    }
    ${
      pending &&
      html`<div class="confirm" role="alert">
        <p>Remove ${pending.email}? Their console sessions end now.</p>
        <button type="button" class="primary" onClick=${() => act(() => api.json('DELETE', `/v1/console/access/staff/${encodeURIComponent(pending.id)}`), `${pending.email} removed`)}>Yes, remove</button>
        <button type="button" onClick=${() => setPending(null)}>No</button>
      </div>`
    }
  </section>`;
}

function Tokens() {
  const api = useApiClient();
  const tokens = useApi(
    (signal) => api.json<{ items: TokenEntryResponse[]; grantable: string[] }>('GET', '/v1/console/access/tokens', { signal }),
    [],
  );
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [pending, setPending] = useState<TokenEntryResponse | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const rows = tokens.data?.items ?? null;
  const grantable = tokens.data?.grantable ?? [];
  const shownError = error || tokens.error;
  const toggle = (scope: string) => setScopes(scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);
  const create = (event: Event) => {
    event.preventDefault();
    setError('');
    setDone('');
    if (!name.trim()) return setError('Give the token a name, e.g. billing-system.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    api.json<{ token: string }>('POST', '/v1/console/access/tokens', { json: { name: name.trim(), scopes } }).then(
      (r) => {
        setCreated({ name: name.trim(), token: r.token });
        setName('');
        setScopes([]);
        void tokens.reload();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  const revoke = (token: TokenEntryResponse) => {
    setError('');
    api.json('DELETE', `/v1/console/access/tokens/${encodeURIComponent(token.id)}`).then(
      () => {
        setDone(`${token.name} revoked`);
        setPending(null);
        void tokens.reload();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  return html`<section aria-labelledby="tokens-h">
    <h3 id="tokens-h">API tokens</h3>
    <p>Tokens call the API as "Authorization: Bearer …". A token holds at most the scopes you hold.</p>
    <${Note} error=${shownError} done=${done} />
    ${
      created &&
      html`<div class="confirm" role="status" id="new-token">
        <p><strong>${created.name}</strong>: copy the token now; it is not shown again.</p>
        <p><code>${created.token}</code></p>
        <button type="button" onClick=${() => setCreated(null)}>I have copied it</button>
      </div>`
    }
    <form onSubmit=${create}>
      <label>Name <input value=${name} onInput=${(e: Event) => setName(inputValue(e))} maxlength="100" autocomplete="off" /></label>
      <fieldset>
        <legend>Scopes</legend>
        ${grantable.map(
          (s) =>
            html`<label class="checkbox"><input type="checkbox" checked=${scopes.includes(s)} onChange=${() => toggle(s)} /> ${s}</label>`,
        )}
      </fieldset>
      <button type="submit" class="primary">Create token</button>
    </form>
    ${
      rows === null
        ? !shownError && html`<p>Loading…</p>`
        : rows.length === 0
          ? html`<p>No tokens.</p>`
          : html`<div class="table-wrap" tabindex="0"><table id="tokens-table">
              <caption class="visually-hidden">API tokens</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
              <tbody>${rows.map(
                (t) => html`<tr>
                  <th scope="row">${t.name}</th>
                  <td><code>${t.prefix}…</code></td>
                  <td>${t.scopes.join(', ')}</td>
                  <td>${when(t.created)}</td>
                  <td>${
                    t.revoked
                      ? `revoked ${when(t.revoked)}`
                      : html`active <button type="button" onClick=${() => setPending(t)}>Revoke<span class="visually-hidden"> ${t.name}</span></button>`
                  }</td>
                </tr>`,
              )}</tbody>
            </table></div>`
    }
    ${
      pending &&
      html`<div class="confirm" role="alert">
        <p>Revoke ${pending.name}? Whatever uses it is refused from now on.</p>
        <button type="button" class="primary" onClick=${() => revoke(pending)}>Yes, revoke</button>
        <button type="button" onClick=${() => setPending(null)}>No</button>
      </div>`
    }
  </section>`;
}

export default function Page() {
  const session = useSession();
  if (!session.scopes.includes(ADMIN)) return html`<h2>Staff & tokens</h2><p>Only admins manage staff and API tokens (scope ${ADMIN}).</p>`;
  return html`<h2>Staff & tokens</h2>
    <${Staff} />
    <${Tokens} />`;
}
