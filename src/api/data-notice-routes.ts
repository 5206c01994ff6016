import type { DataNoticesResponse } from '../contracts/index.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { contract, createRouter } from './openapi.js';
import { dataNoticesResponseSchema } from '../contracts/index.js';

/**
 * GET /v1/data-notices: what the caller's stored data holds that today's rules refuse (data an older
 * release accepted), each kind with its fix; webhook notices for those who manage webhooks (admin).
 */
const listDataNoticesRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listDataNotices',
  tag: 'Data notices',
  summary:
    "Stored data today's rules refuse (made under an older release's rules; billed as before): each kind counted, with the request that fixes it; disabled webhook subscriptions for admins",
  scope: 'spark-admin:wholesale_subscribers_read',
  status: 200,
  response: dataNoticesResponseSchema,
});

export function createDataNoticeRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(listDataNoticesRoute, async (c) => {
    const auth = c.get('auth');
    const body: DataNoticesResponse = {
      items: await deps.useCases.listDataNotices(auth.partner.id, { webhooks: auth.scopes.includes('wholesale-desk:admin') }),
    };
    return c.json(body, 200);
  });
  return app;
}
