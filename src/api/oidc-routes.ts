import { Hono, type Context } from 'hono';
import type { ConsoleSession } from '../contracts/console-session.js';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as oidc from 'openid-client';
import { isLoopbackHost } from '../config.js';
import { safeReturnPath } from '../domain/console-sessions.js';
import { PACKAGE_IDS, PACKAGES } from '../domain/packages.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, bearerToken, sessionCookieName } from './auth.js';
import { CONSOLE_SECURITY_HEADERS } from './console-page-routes.js';
import { clientAddress } from './rate-limit.js';

/** The catalogue's names by package id: the console's pages show names, never raw ids. */
const PACKAGE_NAMES = Object.fromEntries(PACKAGE_IDS.map((id) => [id, PACKAGES[id].label]));

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** A plain page for the moments a person lands here outside the console (a refused or failed sign-in). */
function signInPage(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Wholesale Desk</title><link rel="stylesheet" href="/console/console.css"></head>
<body><main class="notice"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the console</a></p></main></body></html>`;
  return c.body(html, status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...CONSOLE_SECURITY_HEADERS });
}

/**
 * Per-person console sign-in through the SP's OpenID provider: authorization code with PKCE, state and
 * nonce kept server-side and used once, the ID token checked by openid-client. A session cookie
 * (HttpOnly, SameSite=Strict, Secure and `__Host-` under https) with idle and absolute expiry follows;
 * sign-out ends it server-side.
 */
export function createOidcRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret, PUBLIC_URL } = deps.config;
  const cookieName = sessionCookieName(PUBLIC_URL);
  const secure = PUBLIC_URL.startsWith('https:');
  const redirectUri = `${PUBLIC_URL}/auth/callback`;
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    if (!issuer || !clientId || !clientSecret) throw new Error('OpenID Connect is not configured');
    // Plain http is allowed by the configuration for a loopback issuer only (a test's provider).
    const insecure = isLoopbackHost(new URL(issuer).hostname) ? { execute: [oidc.allowInsecureRequests] } : undefined;
    discovered ??= oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, insecure).catch((error: unknown) => {
      discovered = undefined; // an identity provider that was down is asked again next time
      throw error;
    });
    return discovered;
  };

  /** Which sign-ins the console offers: always an API token, and the identity provider when configured. */
  app.get('/methods', (c) => c.json({ token: true, oidc: Boolean(issuer) }, 200, { 'Cache-Control': 'no-store' }));

  app.get('/login', async (c) => {
    if (!issuer)
      return signInPage(c, 404, 'Sign-in is not set up', 'This desk has no identity provider configured: sign in with an API token.');
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      c.get('log').warn({ err: error, issuer }, 'identity provider unreachable');
      return signInPage(c, 503, 'Sign-in is unavailable', 'The identity provider cannot be reached right now. Try again in a minute.');
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await deps.useCases.beginOidcSignIn({
      state,
      codeVerifier,
      nonce,
      returnTo: c.req.query('returnTo'),
      client: clientAddress(c, deps.config.TRUST_PROXY),
      now: deps.clock.now(),
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/callback', async (c) => {
    if (!issuer) return signInPage(c, 404, 'Sign-in is not set up', 'This desk has no identity provider configured.');
    const query = new URL(c.req.url).search;
    const state = c.req.query('state');
    const refused = c.req.query('error');
    if (refused) {
      const detail = c.req.query('error_description') ?? refused;
      return signInPage(c, 400, 'You were not signed in', `The identity provider ended the sign-in: ${detail}.`);
    }
    if (!state) return signInPage(c, 400, 'You were not signed in', 'This address is only for the identity provider to send you back to.');
    const now = deps.clock.now();
    const taken = await deps.useCases.takeSignInState(state, now);
    if (!taken.ok) return signInPage(c, 400, 'You were not signed in', taken.problems[0]!.message);
    let claims: { email?: unknown; email_verified?: unknown; name?: unknown; sub: string };
    try {
      const config = await configuration();
      // The redirect URI as registered: behind a proxy, the request's own URL is not what the provider knows.
      const tokens = await oidc.authorizationCodeGrant(
        config,
        new URL(`${redirectUri}${query}`),
        { pkceCodeVerifier: taken.value.codeVerifier, expectedState: state, expectedNonce: taken.value.nonce, idTokenExpected: true },
        { redirect_uri: redirectUri },
      );
      const idClaims = tokens.claims()!;
      claims = idClaims.email ? idClaims : { ...(await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)), sub: idClaims.sub };
    } catch (error) {
      c.get('log').warn({ err: error, issuer }, 'sign-in could not be completed');
      return signInPage(
        c,
        400,
        'You were not signed in',
        'The identity provider’s answer could not be verified. Start again from the console.',
      );
    }
    const opened = await deps.useCases.openConsoleSession({
      email: typeof claims.email === 'string' ? claims.email : undefined,
      emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
      allowMissingEmailVerified: deps.config.OIDC_ALLOW_MISSING_EMAIL_VERIFIED,
      name: typeof claims.name === 'string' ? claims.name : undefined,
      subject: claims.sub,
      issuer,
      now,
    });
    if (!opened.ok) return signInPage(c, 403, 'This desk does not know you yet', opened.problems[0]!.message);
    setCookie(c, cookieName, opened.value.cookieValue, {
      httpOnly: true,
      secure,
      sameSite: 'Strict',
      path: '/',
      maxAge: deps.config.SESSION_MAX_HOURS * 3_600,
    });
    // Checked again on the way out: a sign-in begun before a stricter check landed still holds its old path.
    return c.redirect(safeReturnPath(taken.value.returnTo), 303);
  });

  /** Who is signed in, their role and the CSRF token the console sends with every change. */
  // Asked by the console on every load: someone with no credential at all is simply signed out (200),
  // not an error; a credential that no longer works is still a 401.
  app.get('/session', async (c, next) => {
    if (bearerToken(c) || getCookie(c, cookieName)) return next();
    return c.json({ kind: 'none' } satisfies ConsoleSession, 200, { 'Cache-Control': 'no-store' });
  });
  app.get('/session', authenticate(deps), (c) => {
    const auth = c.get('auth');
    const session = auth.session;
    return c.json(
      (session
        ? {
            kind: 'person',
            email: session.staff.email,
            name: session.staff.displayName,
            role: session.staff.role,
            partner: auth.partner.name,
            csrfToken: session.session.csrfToken,
            scopes: auth.scopes,
            packages: PACKAGE_NAMES,
          }
        : { kind: 'token', partner: auth.partner.name, scopes: auth.scopes, packages: PACKAGE_NAMES }) satisfies ConsoleSession,
      200,
      { 'Cache-Control': 'no-store' },
    );
  });

  /** Signs out: the session ends on the server (the cookie no longer works anywhere) and the cookie is cleared. */
  app.post('/logout', authenticate(deps), async (c) => {
    const session = c.get('auth').session;
    if (session) await deps.useCases.closeConsoleSession(session, deps.clock.now());
    deleteCookie(c, cookieName, { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
    return c.json({ signedOut: true }, 200, { 'Cache-Control': 'no-store' });
  });
  return app;
}
