import type { Context, MiddlewareHandler } from 'hono';
import { findTokenHolder } from '../use-cases/authenticate-token.js';
import { problem } from '../domain/problems.js';
import type { Scope } from '../domain/scopes.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { respondError, respondProblems } from './problem-responses.js';

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export const bearerToken = (c: Pick<Context, 'req'>): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Bearer API tokens, looked up by hash; the owning partner and scopes go on the context. */
export function authenticate(deps: Pick<AppDeps, 'db'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) {
      return respondError(c, 401, 'missing bearer token: send "Authorization: Bearer <API token>"', 4001, { 'WWW-Authenticate': 'Bearer' });
    }
    const found = await findTokenHolder(deps.db, token);
    if (!found) {
      return respondError(c, 401, 'the bearer token is unknown or revoked; create one with `npm run cli -- token create`', 4001, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    // A suspended sub-partner may read and delete, nothing else, whatever the route and the token's scopes.
    if (found.partner.provisioning_state === 'suspended' && !['GET', 'HEAD', 'DELETE'].includes(c.req.method)) {
      return respondProblems(c, [
        problem('sub_partner_suspended', `partner ${found.partner.name} is suspended and may only read and delete`),
      ]);
    }
    c.set('auth', { tokenId: found.token.id, partner: found.partner, scopes: found.token.scopes });
    c.set('log', c.get('log').child({ tokenId: found.token.id, partnerId: found.partner.id }));
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
