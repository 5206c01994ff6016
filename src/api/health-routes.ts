import { Hono } from 'hono';
import { isStoreReachable } from '../use-cases/check-readiness.js';
import type { AppDeps, AppEnv } from './app-env.js';

export function createHealthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.isShuttingDown?.()) return c.json({ status: 'shutting_down' }, 503, { 'Retry-After': '5' });
    const ready = await isStoreReachable(deps.db);
    // Which mode the desk runs in: whether what it provisions reaches Webex (upstream) or not (standalone).
    const mode = deps.upstream ? 'upstream' : 'standalone';
    return ready
      ? c.json({ status: 'ready', database: 'ok', mode })
      : c.json({ status: 'unavailable', database: 'unreachable', mode }, 503, { 'Retry-After': '5' });
  });
  return app;
}
