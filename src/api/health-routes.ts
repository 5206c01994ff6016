import { Hono } from 'hono';
import { summaryOf } from '../use-cases/upstream-health.js';
import type { AppDeps, AppEnv } from './app-env.js';

export function createHealthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (deps.isShuttingDown?.()) return c.json({ status: 'shutting_down' }, 503, { 'Retry-After': '5' });
    const ready = await deps.useCases.isStoreReachable();
    // Which mode the desk runs in: whether what it provisions reaches Webex (upstream) or not (standalone).
    const mode = deps.upstream ? 'upstream' : 'standalone';
    // Webex's state is said, not judged: the desk itself is ready (it accepts and holds work) whatever Webex does.
    const s = deps.upstream?.status();
    const upstream = s ? { upstream: s.state ?? 'ok', upstreamSummary: summaryOf(s) } : {};
    // Screening is not a reason to take the instance out of rotation, but a missing list is said here.
    const screening = ready ? await deps.useCases.describeScreening(deps.config.SCREENING_REQUIRED).catch(() => undefined) : undefined;
    return ready
      ? c.json({ status: 'ready', database: 'ok', mode, ...upstream, ...(screening ? { screening } : {}) })
      : c.json({ status: 'unavailable', database: 'unreachable', mode, ...upstream }, 503, { 'Retry-After': '5' });
  });
  return app;
}
