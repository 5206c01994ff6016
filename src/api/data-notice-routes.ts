import { Hono } from 'hono';
import type { DataNoticesResponse } from '../contracts/index.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';

/**
 * GET /v1/data-notices: what the caller's stored data holds that today's rules refuse (data an older
 * release accepted), each kind with its fix; webhook notices for those who manage webhooks (admin).
 */
export function createDataNoticeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.get('/', requireScope('spark-admin:wholesale_subscribers_read'), async (c) => {
    const auth = c.get('auth');
    const body: DataNoticesResponse = {
      items: await deps.useCases.listDataNotices(auth.partner.id, { webhooks: auth.scopes.includes('wholesale-desk:admin') }),
    };
    return c.json(body);
  });
  return app;
}
