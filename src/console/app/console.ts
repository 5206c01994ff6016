// The whole console as one component tree: the header, the sign-in, and the desk (navigation, the
// current page, the chat panel and the dashboard). The api module is made here and handed down by
// context with the session: no globals.
import { html } from 'htm/preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleSession, SignedInSession } from '../../contracts/console-session.js';
import { createApi, errorText } from './api.js';
import { Chat } from './chat.js';
import { ApiContext, SessionContext } from './context.js';
import { Dashboard } from './dashboard.js';
import { navigate, PAGES, routeOf, useHash } from './router.js';
import { useTableLabels } from './table-labels.js';

const TOKEN_KEY = 'wd-token';
// Open or closed, the browser remembers the chat.
const CHAT_KEY = 'wd-chat-open';

interface Desk {
  session: SignedInSession;
  label: string;
}

const personLabel = (s: Extract<SignedInSession, { kind: 'person' }>) => `${s.name || s.email} · ${s.role} · ${s.partner}`;

export function Console() {
  const signOutRef = useRef<(why?: string) => void>(() => undefined);
  const [api] = useState(() =>
    createApi({
      // Nobody was signed in: there is no one to sign out.
      onRefused: (c) =>
        c.kind !== 'none' &&
        signOutRef.current(c.kind === 'token' ? 'Your token was refused; sign in again.' : 'Your session has ended; sign in again.'),
    }),
  );
  const [desk, setDesk] = useState<Desk | null>(null);
  const [signInError, setSignInError] = useState('');
  const [oidc, setOidc] = useState(false);
  const [token, setToken] = useState('');
  const [chatOpen, setChatOpen] = useState(false);
  const [dashboardVersion, setDashboardVersion] = useState(0);
  const focusAfter = useRef<'text' | 'chat-toggle' | null>(null);

  const signOut = (why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    api.setCredential({ kind: 'none' });
    api.navigated();
    setDesk(null);
    setSignInError(why ?? '');
  };
  signOutRef.current = signOut;

  const showDesk = (session: SignedInSession, label: string) => {
    setDesk({ session, label });
    setChatOpen(localStorage.getItem(CHAT_KEY) === 'true');
  };

  useEffect(() => {
    void (async () => {
      const methods = await api.json<{ oidc: boolean }>('GET', '/auth/methods', { lifetime: 'desk' }).catch(() => ({ oidc: false }));
      setOidc(methods.oidc);
      const saved = sessionStorage.getItem(TOKEN_KEY);
      if (saved) api.setCredential({ kind: 'token', token: saved });
      const session = await api.json<ConsoleSession>('GET', '/auth/session', { lifetime: 'desk' }).catch(() => undefined);
      if (session?.kind === 'token') showDesk(session, 'signed in with an API token');
      else if (session?.kind === 'person') {
        api.setCredential({ kind: 'session', csrfToken: session.csrfToken });
        showDesk(session, personLabel(session));
      }
    })();
  }, []);

  async function signIn(event: Event) {
    event.preventDefault();
    const pasted = token.trim();
    api.setCredential({ kind: 'token', token: pasted });
    try {
      const session = await api.json<ConsoleSession>('GET', '/auth/session', { lifetime: 'desk' });
      if (session.kind === 'none') throw new Error('the token was not sent');
      sessionStorage.setItem(TOKEN_KEY, pasted);
      setToken('');
      setSignInError('');
      showDesk(session, 'signed in with an API token');
    } catch (error) {
      const words = errorText(error);
      if (words) setSignInError(`Could not sign in: ${words}`);
    }
  }

  async function signOutClicked() {
    // A person's session ends on the server too: the cookie stops working everywhere at once.
    if (api.credential().kind === 'session') await api.send('POST', '/auth/logout', { lifetime: 'desk' }).catch(() => undefined);
    signOut();
  }

  function setChat(open: boolean) {
    setChatOpen(open);
    localStorage.setItem(CHAT_KEY, String(open));
    focusAfter.current = open ? 'text' : 'chat-toggle';
  }
  // A layout effect, so typing straight after opening the chat lands in its box.
  useLayoutEffect(() => {
    if (focusAfter.current) document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  }, [chatOpen]);

  return html`<header>
      <h1>Wholesale Desk</h1>
      <span id="who">${desk?.label ?? ''}</span>
      <button id="chat-toggle" type="button" aria-expanded=${String(chatOpen && Boolean(desk))} aria-controls="chat-panel" hidden=${!desk} onClick=${() => setChat(!chatOpen)}>Chat</button>
      <button id="sign-out" hidden=${!desk} onClick=${signOutClicked}>Sign out</button>
    </header>

    <section id="sign-in" class="panel" hidden=${Boolean(desk)}>
      <h2>Sign in</h2>
      <p id="sign-in-sso" hidden=${!oidc}><a class="button" href="/auth/login">Sign in with your organisation account</a></p>
      <p>With an API token: paste the one printed at first start, or one from <code>npm run cli -- token create</code>.</p>
      <form id="sign-in-form" onSubmit=${signIn}>
        <input id="token" type="password" autocomplete="off" placeholder="wdk_…" aria-label="API token" required value=${token} onInput=${(e: Event) => setToken((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit">Sign in</button>
      </form>
      <p id="sign-in-error" class="error" role="alert">${signInError}</p>
    </section>

    <main id="desk" hidden=${!desk} class=${chatOpen ? 'chat-open' : ''}>
      ${
        desk &&
        html`<${ApiContext.Provider} value=${api}>
          <${SessionContext.Provider} value=${desk.session}>
            <${SignedInDesk}
              api=${api}
              chatOpen=${chatOpen}
              onCloseChat=${() => setChat(false)}
              dashboardVersion=${dashboardVersion}
              onChanged=${() => setDashboardVersion((v) => v + 1)}
            />
          <//>
        <//>`
      }
    </main>`;
}

function SignedInDesk({
  api,
  chatOpen,
  onCloseChat,
  dashboardVersion,
  onChanged,
}: {
  api: ReturnType<typeof createApi>;
  chatOpen: boolean;
  onCloseChat: () => void;
  dashboardVersion: number;
  onChanged: () => void;
}) {
  const leave = useCallback(() => api.navigated(), [api]);
  const hash = useHash(leave);
  const route = routeOf(hash);
  const pageRef = useRef<HTMLElement>(null);
  const dashboardRef = useRef<HTMLElement>(null);
  useTableLabels([pageRef, dashboardRef]);

  useEffect(() => {
    document.title = route ? `${route.page.title} · Wholesale Desk` : 'Wholesale Desk';
    if (route) pageRef.current?.focus();
  }, [hash]);

  const items = [{ path: '', title: 'Dashboard' }, ...PAGES.filter((p) => p.inNav !== false)];
  const current = route?.page.path ?? '';
  const Page = route?.page.component;
  return html`<nav id="pages-nav" aria-label="Pages"><ul>${items.map(
    (p) =>
      html`<li><a href=${`#/${p.path}`} data-path=${p.path} aria-current=${p.path === current ? 'page' : undefined}>${p.title}</a></li>`,
  )}</ul></nav>
    <section class="panel page" id="page" tabindex="-1" hidden=${!route} ref=${pageRef}>
      ${Page && route ? html`<${Page} key=${hash} params=${route.params} navigate=${navigate} />` : null}
    </section>
    <${Chat} open=${chatOpen} onClose=${onCloseChat} onChanged=${onChanged} />
    <${Dashboard} hidden=${Boolean(route)} version=${dashboardVersion} sectionRef=${dashboardRef} />`;
}
