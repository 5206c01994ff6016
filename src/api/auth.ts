import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { isSessionCsrfToken } from '../use-cases/console-sessions.js';
import { scopesOfStaffRole } from '../domain/staff-roles.js';
import { problem } from '../domain/problems.js';
import type { Scope } from '../domain/scopes.js';
import type { AppDeps, AppEnv, AuthContext } from './app-env.js';
import { respondProblems } from './problem-responses.js';

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export const bearerToken = (c: Pick<Context, 'req'>): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** The console session cookie: `__Host-` (pinned to this host, Secure, path /) where the desk is served over https. */
export const sessionCookieName = (publicUrl: string) => (publicUrl.startsWith('https:') ? '__Host-wd_session' : 'wd_session');

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/**
 * Bearer API tokens (automation, and the console without an identity provider), looked up by hash; or
 * a person's console session cookie. The owning partner and scopes go on the context. A cookie is sent
 * by the browser on its own, so a state-changing request with one must also carry the session's CSRF
 * token in `X-CSRF-Token` and, when the browser names its origin, come from the desk's own.
 */
export function authenticate(deps: Pick<AppDeps, 'useCases' | 'config' | 'clock'>): MiddlewareHandler<AppEnv> {
  const cookieName = sessionCookieName(deps.config.PUBLIC_URL);
  const ownOrigin = new URL(deps.config.PUBLIC_URL).origin;
  const policy = {
    idleMs: deps.config.SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: deps.config.SESSION_MAX_HOURS * 3_600_000,
  };
  return async (c, next) => {
    const token = bearerToken(c);
    const cookie = token ? undefined : getCookie(c, cookieName);
    let auth: AuthContext;
    if (token) {
      const found = await deps.useCases.findTokenHolder(token);
      if (!found) {
        return respondProblems(c, [
          problem('token_invalid', 'the bearer token is unknown or revoked; create one with `npm run cli -- token create`'),
        ]);
      }
      auth = {
        tokenId: found.token.id,
        actorLabel: `token:${found.token.id}`,
        consoleSpaceId: `console:${found.token.id}`,
        partner: found.partner,
        scopes: found.token.scopes,
      };
    } else if (cookie) {
      const resumed = await deps.useCases.resumeConsoleSession(cookie, deps.clock.now(), policy);
      if (!resumed.ok) return respondProblems(c, resumed.problems);
      const session = resumed.value;
      if (!SAFE_METHODS.includes(c.req.method)) {
        const origin = c.req.header('origin');
        if ((origin && origin !== ownOrigin) || !isSessionCsrfToken(session, c.req.header('x-csrf-token'))) {
          return respondProblems(c, [
            problem('csrf_rejected', 'this change must come from the console itself: send the session CSRF token in X-CSRF-Token'),
          ]);
        }
      }
      auth = {
        tokenId: undefined,
        actorLabel: `staff:${session.staff.email}`,
        consoleSpaceId: `console:staff:${session.staff.id}`,
        partner: session.partner,
        scopes: scopesOfStaffRole(session.staff.role, { isRoot: session.partner.parentId === null }),
        staffRole: session.staff.role,
        session,
      };
    } else {
      return respondProblems(c, [
        problem('unauthenticated', 'missing bearer token: send "Authorization: Bearer <API token>", or sign in to the console'),
      ]);
    }
    // A suspended sub-partner may read and delete, nothing else, whatever the route and the token's scopes.
    if (auth.partner.provisioningState === 'suspended' && !['GET', 'HEAD', 'DELETE'].includes(c.req.method)) {
      return respondProblems(c, [
        problem('sub_partner_suspended', `partner ${auth.partner.name} is suspended and may only read and delete`),
      ]);
    }
    c.set('auth', auth);
    c.set('log', c.get('log').child({ actor: auth.actorLabel, partnerId: auth.partner.id }));
    await next();
  };
}

export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('auth').scopes.includes(scope)) {
      return respondProblems(c, [{ code: 'missing_scope', message: `this call needs the scope ${scope}, which the token lacks` }]);
    }
    await next();
  };
}
