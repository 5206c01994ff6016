import type { Context, MiddlewareHandler } from 'hono';
import { problem, type Problem } from '../domain/problems.js';
import type { AppEnv } from './app-env.js';
import { respondProblems } from './problem-responses.js';

/**
 * A query parameter the desk does not know is refused, never silently dropped: a client that filters by
 * a parameter the desk ignores would otherwise get the unfiltered list and take it for the answer.
 */
export function unknownQueryProblem(unknown: readonly string[], accepted: readonly string[]): Problem {
  const names = unknown.map((n) => `"${n}"`).join(', ');
  const takes = accepted.length ? `this route accepts ${[...accepted].sort().join(', ')}` : 'this route takes no query parameters';
  return problem(
    'invalid_request',
    `unknown query parameter${unknown.length === 1 ? '' : 's'} ${names}: ${takes}`,
    unknown.length === 1 ? unknown[0] : undefined,
  );
}

/** The query's parameter names that are not in `accepted`. */
export function unknownQueryNames(c: Context<AppEnv>, accepted: readonly string[]): string[] {
  return Object.keys(c.req.queries()).filter((name) => !accepted.includes(name));
}

/** Middleware: refuses a request carrying a query parameter outside `accepted`. */
export function refuseUnknownQuery(accepted: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const unknown = unknownQueryNames(c, accepted);
    if (unknown.length) return respondProblems(c, [unknownQueryProblem(unknown, accepted)]);
    await next();
  };
}

export interface DocumentedRoute {
  method: string;
  /** OpenAPI path template, `{id}` for a path segment; a trailing `*` for any rest of the path. */
  path: string;
  query: readonly string[];
}

/**
 * Middleware for a router whose routes are all documented: a request matching a documented route may carry
 * exactly the query parameters its documentation names (the OpenAPI document and the refusal agree by
 * construction). A request matching no documented route passes on (it ends in 404 or an undocumented route).
 */
export function refuseUndocumentedQuery(routesOf: () => readonly DocumentedRoute[], prefix: string): MiddlewareHandler<AppEnv> {
  // Compiled on the first request: the routers register their routes after this middleware.
  let compiled: ReturnType<typeof compile> | undefined;
  return async (c, next) => {
    compiled ??= compile(routesOf());
    const path = c.req.path.startsWith(prefix) ? c.req.path.slice(prefix.length) : c.req.path;
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    const route = compiled.find((r) => r.method === method && r.pattern.test(path));
    if (route) {
      const unknown = unknownQueryNames(c, route.query);
      if (unknown.length) return respondProblems(c, [unknownQueryProblem(unknown, route.query)]);
    }
    await next();
  };
}

function compile(routes: readonly DocumentedRoute[]) {
  const compiled = routes.map((r) => ({
    method: r.method.toUpperCase(),
    // A literal segment wins over a `{param}` one (/customers/validate before /customers/{customerId}).
    literal: !r.path.includes('{'),
    pattern: new RegExp(
      `^${r.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{\w+\}/g, '[^/]+')
        .replace(/\\\*$/, '.+')}/?$`,
    ),
    query: r.query,
  }));
  compiled.sort((a, b) => Number(b.literal) - Number(a.literal));
  return compiled;
}
