import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';

/** The Webex Wholesale connection as this instance sees it: mode, circuit, calls in flight, last error. */
export function createUpstreamRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.get('/status', requireScope('spark-admin:wholesale_customers_read'), (c) =>
    c.json(deps.upstream ? deps.upstream.status() : { mode: 'standalone' as const }),
  );
  return app;
}
