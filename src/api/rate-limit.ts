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

type RateLimitConfig = Pick<Config, 'RATE_LIMIT_PER_TOKEN' | 'RATE_LIMIT_PER_ADDRESS' | 'RATE_LIMIT_EVENTS' | 'TRUST_PROXY' | 'PUBLIC_URL'>;

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

/**
 * The /v1 rate limits, fixed one-minute windows counted in this process's memory (MemoryStore): with
 * several instances each counts its own share. In order: failed authentications per client address
 * (a token guesser is stopped before its guesses reach the database), signed inbound events per
 * address, then every request per API token (keyed on the token's hash, never the token).
 */
export function createRateLimits(config: RateLimitConfig): MiddlewareHandler<AppEnv>[] {
  const limits: MiddlewareHandler<AppEnv>[] = [];
  const address = (c: Context) => clientAddress(c, config.TRUST_PROXY);
  const refuse = (what: string, property: string) => (c: Context<AppEnv>) => {
    const reset = (c.get(property as never) as { resetTime?: Date } | undefined)?.resetTime;
    const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : WINDOW_MS / 1000;
    c.header('Retry-After', String(seconds));
    return respondProblems(c, [problem('rate_limited', `too many ${what}; retry after ${seconds} s`)]);
  };
  if (config.RATE_LIMIT_PER_ADDRESS > 0) {
    limits.push(
      rateLimiter<AppEnv>({
        windowMs: WINDOW_MS,
        limit: config.RATE_LIMIT_PER_ADDRESS,
        standardHeaders: false,
        store: new MemoryStore(),
        requestPropertyName: 'rateLimitAddress',
        keyGenerator: (c) => `address:${address(c)}`,
        // Only refused credentials count: a busy integration behind one address is never slowed.
        skipSuccessfulRequests: true,
        requestWasSuccessful: (c) => c.res.status !== 401,
        handler: refuse('failed authentications from this address', 'rateLimitAddress'),
      }),
    );
  }
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
