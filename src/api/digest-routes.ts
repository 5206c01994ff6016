import { Hono } from 'hono';
import { digestBodySchema } from '../contracts/digests.js';
import { problem } from '../domain/problems.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { readJsonBody } from './read-body.js';

/** Digest subscriptions per chat space, the API twin of `digest daily at …` and `digest off`. */
export function createDigestRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.use('*', requireScope('wholesale-desk:admin'));
  app.get('/', async (c) => c.json({ items: await deps.useCases.listDigestSubscriptions(c.get('auth').partner) }));
  app.put('/:spaceId', async (c) => {
    const body = await readJsonBody(c, digestBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const auth = c.get('auth');
    const r = await deps.useCases.setDigestSubscription(auth.partner, {
      spaceId: c.req.param('spaceId'),
      ...body.value,
      by: auth.actorLabel,
      now: deps.clock.now(),
    });
    return r.ok ? c.json(r.value) : respondProblems(c, r.problems);
  });
  app.delete('/:spaceId', async (c) => {
    const removed = await deps.useCases.removeDigestSubscription(c.get('auth').partner, c.req.param('spaceId'));
    return removed
      ? c.body(null, 204)
      : respondProblems(c, [problem('not_found', `space ${c.req.param('spaceId')} has no digest subscription`)]);
  });
  return app;
}
