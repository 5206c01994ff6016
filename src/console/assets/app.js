// Wholesale Desk web console: the same chat commands as Webex, Adaptive Cards rendered in the page,
// and a dashboard. Plain browser JavaScript. A person signs in through the SP's identity provider (an
// HttpOnly session cookie the page never sees, plus a CSRF token sent with every change); automation
// and desks without an identity provider paste an API token, kept in sessionStorage for this tab only.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem('wd-token');
  let csrf = null;
  let inboxAfter = 0;
  let inboxTimer;

  async function api(method, path, body) {
    const headers = { ...(body ? { 'content-type': 'application/json' } : {}) };
    if (token) headers.authorization = `Bearer ${token}`;
    else if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined });
    if (res.status === 401) {
      signOut(token ? 'Your token was refused; sign in again.' : 'Your session has ended; sign in again.');
      throw new Error('unauthorised');
    }
    // A 204 (DELETE) has no body to parse.
    const json = res.status === 204 ? null : await res.json();
    if (!res.ok) throw new Error(json.message || `HTTP ${res.status}`);
    return json;
  }

  // Markdown as the bot writes it: **bold**, *italic*, `code`, "- " lists, backslash escapes.
  // Everything is HTML-escaped first, so user data can never become markup.
  function renderMarkdown(md) {
    const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
    const inline = (line) => {
      const escapes = [];
      let s = line.replace(/\\([\\`*_{}[\]()#+!|>~.-])/g, (_, ch) => `\u0000${escapes.push(ch) - 1}\u0000`);
      s = escapeHtml(s);
      s = s
        .replace(/`([^`]+)`/g, '<code>$1</code>')
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>');
      return s.replace(/\u0000(\d+)\u0000/g, (_, i) => escapeHtml(escapes[Number(i)]));
    };
    let html = '';
    let inList = false;
    for (const line of md.split('\n')) {
      if (/^- /.test(line)) {
        if (!inList) html += '<ul>';
        inList = true;
        html += `<li>${inline(line.slice(2))}</li>`;
        continue;
      }
      if (inList) html += '</ul>';
      inList = false;
      html += `${inline(line)}<br>`;
    }
    return html + (inList ? '</ul>' : '');
  }

  function addMessage(kind, message) {
    const el = document.createElement('div');
    el.className = `msg ${kind}`;
    if (kind === 'me') el.textContent = message.markdown;
    else el.innerHTML = renderMarkdown(message.markdown || '');
    for (const a of message.attachments || []) {
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const card = new AdaptiveCards.AdaptiveCard();
      card.onExecuteAction = (action) => {
        if (action instanceof AdaptiveCards.SubmitAction) send({ cardInputs: action.data }, `[${action.title || 'Submit'}]`);
      };
      card.parse(a.content);
      const rendered = card.render();
      if (rendered) el.appendChild(rendered);
    }
    for (const f of message.files || []) {
      const bytes = f.encoding === 'base64' ? Uint8Array.from(atob(f.content), (c) => c.charCodeAt(0)) : f.content;
      const url = URL.createObjectURL(new Blob([bytes], { type: f.contentType }));
      if (f.contentType.startsWith('image/')) {
        const img = Object.assign(document.createElement('img'), { src: url, alt: f.name });
        img.style.maxWidth = '100%';
        el.appendChild(img);
      }
      const link = document.createElement('a');
      link.className = 'file-link';
      link.href = url;
      link.download = f.name;
      link.textContent = `⬇ ${f.name}`;
      el.appendChild(link);
    }
    $('messages').appendChild(el);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  async function send(body, shown) {
    addMessage('me', { markdown: shown });
    try {
      const res = await api('POST', '/v1/console/messages', body);
      for (const r of res.replies) addMessage('bot', r);
    } catch (e) {
      if (e.message !== 'unauthorised') addMessage('bot', { markdown: `Error: ${e.message}` });
    }
    await loadDashboard();
  }

  async function loadDashboard() {
    const d = await api('GET', '/v1/console/dashboard');
    const counts = $('status-counts');
    counts.replaceChildren(
      ...Object.entries(d.customersByStatus).map(([s, n]) => Object.assign(document.createElement('li'), { textContent: `${s}: ${n}` })),
    );
    const body = $('recent-customers').querySelector('tbody');
    body.replaceChildren(
      ...d.recentCustomers.map((c) => {
        const tr = document.createElement('tr');
        for (const v of [c.name, c.externalId, c.status]) tr.appendChild(Object.assign(document.createElement('td'), { textContent: v }));
        return tr;
      }),
    );
    $('review-queue').replaceChildren(
      ...(d.reviewQueue.length
        ? d.reviewQueue.map((r) =>
            Object.assign(document.createElement('li'), {
              textContent: `${r.name} (${r.kind}, decide by ${r.deadlineAt.slice(0, 16).replace('T', ' ')} UTC)`,
            }),
          )
        : [Object.assign(document.createElement('li'), { textContent: 'empty' })]),
    );
    const b = d.billingThisMonth;
    const money = (m) => (m / 100).toFixed(2);
    $('billing').textContent =
      `${b.month}${b.provisional ? ` to date (provisional${b.through ? `, through ${b.through} UTC` : ', no day ended yet'})` : ''}: ${money(b.totalMinor)} ${b.currency || ''}${b.packages.length ? ` — ${b.packages.map((p) => `${p.package} ${p.quantity}`).join(', ')}` : ''}`;
  }

  async function pollInbox() {
    try {
      const res = await api('GET', `/v1/console/inbox?after=${inboxAfter}`);
      for (const m of res.items) {
        inboxAfter = Math.max(inboxAfter, m.id);
        addMessage('bot digest', m.message);
      }
    } catch (_e) {
      // The next poll tries again.
    }
  }

  // The pages (pages.js, an ES module) use the same API caller and learn who is signed in from here.
  let signedIn = null;
  const signInListeners = [];
  window.wdConsole = {
    api,
    whenSignedIn(listener) {
      signInListeners.push(listener);
      if (signedIn) listener(signedIn);
    },
  };

  function showDesk(label, who) {
    signedIn = who || { kind: 'token' };
    for (const listener of signInListeners) listener(signedIn);
    $('sign-in').hidden = true;
    $('desk').hidden = false;
    $('sign-out').hidden = false;
    $('who').textContent = label;
    addMessage('bot', { markdown: 'Signed in. Type `help` to see what I can do.' });
    pollInbox();
    inboxTimer = setInterval(pollInbox, 10000);
  }

  function signOut(why) {
    signedIn = null;
    sessionStorage.removeItem('wd-token');
    token = null;
    csrf = null;
    clearInterval(inboxTimer);
    $('desk').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('messages').replaceChildren();
    $('sign-in-error').textContent = why || '';
  }

  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    token = $('token').value.trim();
    try {
      await loadDashboard();
      sessionStorage.setItem('wd-token', token);
      showDesk('signed in with an API token', await api('GET', '/auth/session'));
    } catch (err) {
      if (err.message !== 'unauthorised') $('sign-in-error').textContent = `Could not sign in: ${err.message}`;
    }
  });
  $('sign-out').addEventListener('click', async () => {
    // A person's session ends on the server too: the cookie stops working everywhere at once.
    if (csrf)
      await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } }).catch(() => undefined);
    signOut();
  });
  $('chat-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value;
    const file = $('file').files[0];
    if (!text.trim()) return;
    $('text').value = '';
    const files = file ? [{ name: file.name, content: await file.text() }] : undefined;
    $('file').value = '';
    await send(files ? { text, files } : { text }, text + (file ? ` 📎 ${file.name}` : ''));
  });

  async function start() {
    const methods = await fetch('/auth/methods').then(
      (r) => r.json(),
      () => ({ oidc: false }),
    );
    $('sign-in-sso').hidden = !methods.oidc;
    if (token) {
      loadDashboard()
        .then(() => api('GET', '/auth/session'))
        .then(
          (who) => showDesk('signed in with an API token', who),
          () => undefined,
        );
      return;
    }
    const res = await fetch('/auth/session', { credentials: 'same-origin' }).catch(() => undefined);
    if (!res || !res.ok) return;
    const session = await res.json();
    if (session.kind !== 'person') return;
    csrf = session.csrfToken;
    await loadDashboard();
    showDesk(`${session.name || session.email} · ${session.role} · ${session.partner}`, session);
  }
  start();
})();
