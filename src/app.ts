import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './api/app-env.js';
import { createHealthRoutes } from './api/health-routes.js';
import { createConsolePageRoutes } from './api/console-page-routes.js';
import { createDocsRoutes } from './api/docs-routes.js';
import { createOidcRoutes } from './api/oidc-routes.js';
import { createV1Routes } from './api/v1-routes.js';
import { respondProblems } from './api/problem-responses.js';
import { problem, retryLater } from './domain/problems.js';
import { isDatabaseUnavailable } from './db/is-database-unavailable.js';
import { WEBEX_EVENTS_PATH } from './webex/webex-events-path.js';
import { createMetricsRoutes } from './api/metrics-routes.js';
import { createMetrics } from './platform/metrics.js';
import { createFailedAuthenticationLimit, createSignInLimit } from './api/rate-limit.js';
import { refuseUndocumentedQuery, type DocumentedRoute } from './api/query-parameters.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The query parameters of the routes outside /v1 (the /v1 router checks its own against the OpenAPI
 * document): each takes exactly these, and an unknown one is refused rather than ignored. Not listed on
 * purpose: /auth/callback, where the identity provider chooses the parameters (code, state, iss,
 * session_state, …) and OAuth 2.0 (RFC 6749 §4.1.2) requires the client to ignore the ones it does not know.
 */
const OUTSIDE_V1_QUERY: readonly DocumentedRoute[] = [
  { method: 'get', path: '/healthz', query: [] },
  { method: 'get', path: '/readyz', query: [] },
  { method: 'get', path: '/metrics', query: [] },
  { method: 'get', path: '/', query: [] },
  { method: 'get', path: '/favicon.ico', query: [] },
  { method: 'get', path: '/console/*', query: ['v'] },
  { method: 'get', path: '/docs', query: [] },
  { method: 'get', path: '/docs/assets/*', query: [] },
  { method: 'get', path: '/auth/methods', query: [] },
  { method: 'get', path: '/auth/login', query: ['returnTo'] },
  { method: 'get', path: '/auth/session', query: [] },
  { method: 'post', path: '/auth/logout', query: [] },
  { method: 'post', path: WEBEX_EVENTS_PATH, query: [] },
];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Builds the HTTP app; no side effects, so tests call it with their own dependencies. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const metricsToken = deps.config.METRICS_TOKEN;
  const metrics = metricsToken ? (deps.metrics ?? createMetrics()) : undefined;

  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : deps.ids.uuid();
    const log = deps.logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    c.header('TrackingID', requestId);
    const elapsed = performance.now() - started;
    const ms = Math.round(elapsed * 10) / 10;
    if (metrics) {
      // The matched route pattern (ids stay out of the labels); a request no route matched counts under '*'.
      const route = c.req.routePath;
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
      metrics.httpDuration.observe({ method, route }, elapsed / 1000);
    }
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms };
    if (c.res.status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  });

  // Credentials are tried at /v1, /auth and /metrics: one count of failed authentications per address for all three.
  const failedAuthentications = createFailedAuthenticationLimit(deps.config);
  if (failedAuthentications) for (const path of ['/auth/*', '/metrics']) app.use(path, failedAuthentications);
  const signIns = createSignInLimit(deps.config);
  if (signIns) app.use('/auth/*', signIns);

  app.use(
    '*',
    refuseUndocumentedQuery(() => OUTSIDE_V1_QUERY, ''),
  );
  app.route('/', createHealthRoutes(deps));
  if (metrics && metricsToken) app.route('/', createMetricsRoutes(deps, metrics, metricsToken));
  app.route('/', createConsolePageRoutes());
  app.route('/', createDocsRoutes());
  app.route('/auth', createOidcRoutes(deps));
  if (deps.webexRoutes) app.route(WEBEX_EVENTS_PATH, deps.webexRoutes);
  app.route('/v1', createV1Routes(deps, { failedAuthentications }));

  app.notFound((c) => respondProblems(c, [problem('not_found', `no route for ${c.req.method} ${c.req.path}`)]));
  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) {
      (c.get('log') ?? deps.logger).warn({ err: error, path: c.req.path }, 'database unavailable');
      return respondProblems(c, [
        retryLater(problem('database_unavailable', 'the database is unavailable; nothing was changed, retry shortly'), 5),
      ]);
    }
    (c.get('log') ?? deps.logger).error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
    return respondProblems(c, [problem('internal_error', 'internal error; quote the trackingId when reporting it')]);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
