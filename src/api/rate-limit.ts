import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import type { Config } from '../config.js';
import { problem } from '../domain/problems.js';
import { hashToken } from '../platform/token-hash.js';
import type { AppEnv } from './app-env.js';
import { bearerToken, sessionCookieName } from './auth.js';
import { respondProblems } from './problem-responses.js';

const WINDOW_MS = 60_000;

type RateLimitConfig = Pick<
  Config,
  'RATE_LIMIT_PER_TOKEN' | 'RATE_LIMIT_PER_ADDRESS' | 'RATE_LIMIT_EVENTS' | 'RATE_LIMIT_SIGN_INS' | 'TRUST_PROXY' | 'PUBLIC_URL'
>;

/**
 * The socket's remote address. Behind a reverse proxy (TRUST_PROXY) it is the rightmost
 * X-Forwarded-For entry: the one the proxy itself appended, which a client cannot forge. Without a
 * socket (app.request in tests) every request shares one key.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const refuse = (what: string, property: string) => (c: Context<AppEnv>) => {
  const reset = (c.get(property as never) as { resetTime?: Date } | undefined)?.resetTime;
  const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : WINDOW_MS / 1000;
  c.header('Retry-After', String(seconds));
  return respondProblems(c, [problem('rate_limited', `too many ${what}; retry after ${seconds} s`)]);
};

/** A sign-in the identity provider sent back that did not open a session counts as a failed authentication. */
const failedAuthentication = (c: Context<AppEnv>) => c.res.status === 401 || (c.req.path === '/auth/callback' && c.res.status >= 400);

/**
 * Failed authentications per client address (RATE_LIMIT_PER_ADDRESS), one count for every door a
 * credential is tried at: /v1, /auth/* (a forged session cookie or bearer token on /auth/session, a
 * sign-in the provider sent back that fails) and /metrics. Past the limit the address gets 429 before its
 * guesses reach the database. Undefined when the limit is off.
 */
export function createFailedAuthenticationLimit(config: RateLimitConfig): MiddlewareHandler<AppEnv> | undefined {
  if (config.RATE_LIMIT_PER_ADDRESS <= 0) return undefined;
  return rateLimiter<AppEnv>({
    windowMs: WINDOW_MS,
    limit: config.RATE_LIMIT_PER_ADDRESS,
    standardHeaders: false,
    store: new MemoryStore(),
    requestPropertyName: 'rateLimitAddress',
    keyGenerator: (c) => `address:${clientAddress(c, config.TRUST_PROXY)}`,
    // Only refused credentials count: a busy integration behind one address is never slowed.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (c) => !failedAuthentication(c),
    handler: refuse('failed authentications from this address', 'rateLimitAddress'),
  });
}

/**
 * Sign-ins begun (GET /auth/login) and returned (GET /auth/callback) per client address and minute
 * (RATE_LIMIT_SIGN_INS): each one writes a row and asks the identity provider, whoever sends it.
 */
export function createSignInLimit(config: RateLimitConfig): MiddlewareHandler<AppEnv> | undefined {
  if (config.RATE_LIMIT_SIGN_INS <= 0) return undefined;
  return rateLimiter<AppEnv>({
    windowMs: WINDOW_MS,
    limit: config.RATE_LIMIT_SIGN_INS,
    standardHeaders: false,
    store: new MemoryStore(),
    requestPropertyName: 'rateLimitSignIns',
    skip: (c) => !/^\/auth\/(login|callback)\/?$/.test(c.req.path),
    keyGenerator: (c) => `sign-in:${clientAddress(c, config.TRUST_PROXY)}`,
    handler: refuse('sign-ins from this address', 'rateLimitSignIns'),
  });
}

/**
 * The /v1 rate limits, fixed one-minute windows counted in this process's memory (MemoryStore): with
 * several instances each counts its own share. In order: failed authentications per client address
 * (a token guesser is stopped before its guesses reach the database; `failedAuthentications`, when
 * given, is the one the app shares with /auth and /metrics), signed inbound events per address, then
 * every request per API token (keyed on the token's hash, never the token).
 */
export function createRateLimits(
  config: RateLimitConfig,
  shared: { failedAuthentications?: MiddlewareHandler<AppEnv> | undefined } = {},
): MiddlewareHandler<AppEnv>[] {
  const limits: MiddlewareHandler<AppEnv>[] = [];
  const address = (c: Context) => clientAddress(c, config.TRUST_PROXY);
  const failed = 'failedAuthentications' in shared ? shared.failedAuthentications : createFailedAuthenticationLimit(config);
  if (failed) limits.push(failed);
  if (config.RATE_LIMIT_EVENTS > 0) {
    limits.push(
      rateLimiter<AppEnv>({
        windowMs: WINDOW_MS,
        limit: config.RATE_LIMIT_EVENTS,
        standardHeaders: false,
        store: new MemoryStore(),
        requestPropertyName: 'rateLimitEvents',
        skip: (c) => !(c.req.method === 'POST' && /^\/v1\/events\/?$/.test(c.req.path)),
        keyGenerator: (c) => `events:${address(c)}`,
        handler: refuse('inbound events from this address', 'rateLimitEvents'),
      }),
    );
  }
  const cookieName = sessionCookieName(config.PUBLIC_URL);
  const credentialOf = (c: Context<AppEnv>) => bearerToken(c) ?? getCookie(c, cookieName);
  if (config.RATE_LIMIT_PER_TOKEN > 0) {
    limits.push(
      rateLimiter<AppEnv>({
        windowMs: WINDOW_MS,
        limit: config.RATE_LIMIT_PER_TOKEN,
        standardHeaders: false,
        store: new MemoryStore(),
        requestPropertyName: 'rateLimitToken',
        // A person signed in to the console is limited per session, as a token is.
        skip: (c) => credentialOf(c) === undefined,
        keyGenerator: (c) => `token:${hashToken(credentialOf(c) ?? '')}`,
        handler: refuse('requests with this token', 'rateLimitToken'),
      }),
    );
  }
  return limits;
}
