import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or replaces a person the provider can sign in (their login is their account id). */
  addPerson(login: string, claims: { email?: string; email_verified?: boolean; name?: string }): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (panva's oidc-provider, the certified implementation) on loopback, with its
 * development login and consent pages: a test signs a person in by posting those forms, as a browser would.
 */
export async function startLocalOidcProvider(opts: { redirectUris: string[] }): Promise<LocalOidcProvider> {
  const people = new Map<string, { email?: string; email_verified?: boolean; name?: string }>();
  const server: Server = createServer();
  // Longer than any pause between a test's requests: on a loaded machine a client may otherwise reuse a
  // kept-alive connection the server is just closing (ECONNRESET), which no real provider's load balancer does.
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'wholesale-desk';
  const clientSecret = 'local-provider-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['local-provider-cookie-key-0123456789'] },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...person }) };
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('local OpenID provider error', error));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    addPerson: (login, claims) => void people.set(login, claims),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Cookies per host, as a browser keeps them (enough for the provider's interaction cookies). */
class CookieJar {
  private cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Walks a browser through the provider from the authorization URL the desk redirected to: logs in as
 * `login`, consents, and returns the URL the provider sends the browser back to (the desk's callback).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let step = 0; step < 12; step++) {
    if (url.origin !== origin) return url; // back to the desk
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url);
      continue;
    }
    const page = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${page.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!prompt || !action) throw new Error(`unexpected provider page: ${page.slice(0, 300)}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
    const posted = await fetch(new URL(action.replaceAll('&amp;', '&'), url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    jar.store(posted);
    if (posted.status < 300 || posted.status >= 400) throw new Error(`provider refused the ${prompt} form: ${posted.status}`);
    url = new URL(posted.headers.get('location')!, url);
  }
  throw new Error('the provider never sent the browser back');
}
