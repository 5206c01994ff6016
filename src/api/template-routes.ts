import { Hono } from 'hono';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { readJsonBody } from './read-body.js';
import { createTemplateBodySchema } from '../contracts/index.js';

/** Onboarding templates (ours: Webex keeps them in Partner Hub); a sub-partner also sees its parent's. */
export function createTemplateRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const items = await deps.useCases.listUsableTemplates(c.get('auth').partner);
    return c.json({ items });
  });
  app.post('/', requireScope('wholesale-desk:admin'), async (c) => {
    const body = await readJsonBody(c, createTemplateBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const auth = c.get('auth');
    const result = await deps.useCases.createTemplate({ partner: auth.partner, label: auth.actorLabel }, body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const url = `${deps.config.PUBLIC_URL}/v1/wholesale/onboardingTemplates/${result.value.provisioningId}`;
    return c.json(result.value, 201, { Location: url });
  });
  return app;
}
