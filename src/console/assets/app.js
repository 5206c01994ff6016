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
        .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>')
        // _italic_ as the bot writes it, but not the underscores inside a word (webex_calling).
        .replace(/(^|[^\w])_([^_]+)_(?![\w])/g, '$1<em>$2</em>');
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

  // Icons are inline SVG: an emoji (📎, ⬇) is a box on a machine without an emoji font.
  const ICONS = {
    attach:
      'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z',
    download: 'M11 3h2v10.2l3.6-3.6L18 11l-6 6-6-6 1.4-1.4 3.6 3.6zM5 19h14v2H5z',
  };
  function icon(name) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICONS[name]);
    path.setAttribute('fill', 'currentColor');
    svg.appendChild(path);
    return svg;
  }

  // Cards' text is markdown too: rendered by the same escaping renderer (the card library warns without one).
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderMarkdown(text).replace(/<br>$/, '');
    result.didProcess = true;
  };

  const formCommandOf = (content) => (content.actions || []).map((x) => x.data && x.data._command).find(Boolean);

  /** Renders a card into `holder`; a submitted form that comes back with problems replaces itself there. */
  function renderCard(holder, content) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.SubmitAction) send({ cardInputs: action.data }, `[${action.title || 'Submit'}]`, holder);
    };
    card.parse(content);
    const rendered = card.render();
    if (rendered) holder.replaceChildren(rendered);
  }

  function addMessage(kind, message) {
    const el = document.createElement('div');
    el.className = `msg ${kind}`;
    if (kind === 'me') {
      el.textContent = message.markdown;
      if (message.attached) {
        const chip = Object.assign(document.createElement('span'), { className: 'attached', textContent: message.attached });
        chip.prepend(
          icon('attach'),
          Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: 'attached: ' }),
        );
        el.append(' ', chip);
      }
    } else if (!(message.files?.length && /^📎 /.test(message.markdown || ''))) {
      // A file's own message says only its name: the download link below names it already.
      el.innerHTML = renderMarkdown(message.markdown || '');
    }
    for (const a of message.attachments || []) {
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
      const holder = Object.assign(document.createElement('div'), { className: 'card-holder' });
      holder.dataset.command = formCommandOf(a.content) || '';
      el.appendChild(holder);
      renderCard(holder, a.content);
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
      link.append(icon('download'), ` ${f.name}`);
      el.appendChild(link);
    }
    $('messages').appendChild(el);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  async function send(body, shown, fromCard, attached) {
    addMessage('me', { markdown: shown, attached });
    try {
      const res = await api('POST', '/v1/console/messages', body);
      for (const r of res.replies) {
        // The same form back with its problems: shown in place of the one submitted, the reply only lists them.
        const form =
          fromCard && (r.attachments || []).find((a) => fromCard.dataset.command && formCommandOf(a.content) === fromCard.dataset.command);
        if (form) {
          renderCard(fromCard, form.content);
          addMessage('bot', { markdown: r.markdown.split('\nUsage:')[0] });
          fromCard.querySelector('input, select, textarea')?.focus();
        } else addMessage('bot', r);
      }
    } catch (e) {
      if (e.message !== 'unauthorised') addMessage('bot', { markdown: `Error: ${e.message}` });
    }
    await loadDashboard();
  }

  const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  /** Integer minor units as "1,234.50 USD" (two decimals, the currency after). */
  const formatMoney = (minor, currency) => `${moneyFormat.format(minor / 100)}${currency ? ` ${currency}` : ''}`;
  const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const utcMinute = (iso) => iso.slice(0, 16).replace('T', ' ');
  const words = (s) => s.replace(/_/g, ' ');

  function cell(content, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content;
    return td;
  }
  function row(...cells) {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }
  const customerLink = (id, name) =>
    Object.assign(document.createElement('a'), { href: `#/customers/${encodeURIComponent(id)}`, textContent: name });
  const emptyRow = (columns, text) => {
    const td = cell(text, 'empty');
    td.colSpan = columns;
    return row(td);
  };

  async function loadDashboard() {
    const d = await api('GET', '/v1/console/dashboard');
    const statuses = Object.entries(d.customersByStatus).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
    $('status-counts').replaceChildren(
      ...(statuses.length
        ? statuses.map(([s, n]) => {
            const li = document.createElement('li');
            li.append(
              Object.assign(document.createElement('span'), { className: 'stat-n', textContent: String(n) }),
              Object.assign(document.createElement('span'), { className: 'stat-label', textContent: words(s) }),
            );
            return li;
          })
        : [Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No customers yet.' })]),
    );

    const b = d.billingThisMonth;
    const period = b.provisional ? ` to date (provisional${b.through ? `, through ${b.through} UTC` : ', no day ended yet'})` : '';
    const nameOf = (id) => b.packageSummaries.find((p) => p.package === id)?.name ?? id;
    const unpriced = b.unpricedPackages.length ? ` Not in the price book yet: ${b.unpricedPackages.map(nameOf).join(', ')}.` : '';
    const total = b.currency ? formatMoney(b.totalMinor, b.currency) : 'nothing charged yet';
    $('billing').textContent = `${b.month}${period}: ${total}.${unpriced}`;
    $('billing-packages')
      .querySelector('tbody')
      .replaceChildren(
        ...(b.packageSummaries.length
          ? b.packageSummaries.map((p) =>
              row(
                cell(p.name),
                cell(oneDecimal.format(p.licenceDays), 'num'),
                cell(p.averageLicences === null ? '–' : oneDecimal.format(p.averageLicences), 'num'),
                cell(formatMoney(p.amountMinor, b.currency), 'num'),
              ),
            )
          : [emptyRow(4, 'No usage yet this month.')]),
      );

    // The five highest charges: the customers' invoices to date add up to the total above.
    const top = b.customers.filter((c) => c.amountMinor > 0).slice(0, 5);
    $('billing-customers-wrap').hidden = top.length === 0;
    $('billing-customers')
      .querySelector('tbody')
      .replaceChildren(
        ...top.map((c) =>
          row(cell(customerLink(c.customerId, c.name)), cell(c.externalId, 'id'), cell(formatMoney(c.amountMinor, b.currency), 'num')),
        ),
      );

    $('review-empty').hidden = d.reviewQueue.length > 0;
    $('review-queue').closest('.table-wrap').hidden = d.reviewQueue.length === 0;
    $('review-queue')
      .querySelector('tbody')
      .replaceChildren(
        ...d.reviewQueue.map((r) => {
          const deadline = document.createElement('span');
          deadline.textContent = utcMinute(r.deadlineAt);
          if (r.overdue)
            deadline.append(' ', Object.assign(document.createElement('strong'), { className: 'badge overdue', textContent: 'overdue' }));
          return row(cell(customerLink(r.customerId, r.name)), cell(words(r.kind)), cell(r.topMatch ?? '–'), cell(deadline));
        }),
      );

    $('recent-customers')
      .querySelector('tbody')
      .replaceChildren(
        ...(d.recentCustomers.length
          ? d.recentCustomers.map((c) =>
              row(cell(customerLink(c.id, c.name)), cell(c.externalId, 'id'), cell(words(c.status)), cell(utcMinute(c.createdAt))),
            )
          : [emptyRow(4, 'No customers yet: type provision customer in the chat.')]),
      );
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

  // The chat is a panel opened from the header; open or closed, the browser remembers it.
  const CHAT_KEY = 'wd-chat-open';
  function setChatOpen(open, remember) {
    $('chat-panel').hidden = !open;
    $('desk').classList.toggle('chat-open', open);
    $('chat-toggle').setAttribute('aria-expanded', String(open));
    if (remember) localStorage.setItem(CHAT_KEY, String(open));
  }

  function showDesk(label, who) {
    signedIn = who || { kind: 'token' };
    for (const listener of signInListeners) listener(signedIn);
    $('sign-in').hidden = true;
    $('desk').hidden = false;
    $('sign-out').hidden = false;
    $('chat-toggle').hidden = false;
    setChatOpen(localStorage.getItem(CHAT_KEY) === 'true', false);
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
    $('chat-toggle').hidden = true;
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
  $('chat-toggle').addEventListener('click', () => {
    const open = $('chat-panel').hidden;
    setChatOpen(open, true);
    if (open) $('text').focus();
  });
  $('chat-close').addEventListener('click', () => {
    setChatOpen(false, true);
    $('chat-toggle').focus();
  });
  $('chat-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value;
    const file = $('file').files[0];
    if (!text.trim()) return;
    $('text').value = '';
    const files = file ? [{ name: file.name, content: await file.text() }] : undefined;
    $('file').value = '';
    await send(files ? { text, files } : { text }, text, undefined, file?.name);
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
