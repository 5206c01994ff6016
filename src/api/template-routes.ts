import { useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { contract, createRouter } from './openapi.js';
import { createTemplateBodySchema, listOf, templateResponseSchema } from '../contracts/index.js';

/** Onboarding templates (ours: Webex keeps them in Partner Hub); a sub-partner also sees its parent's. */
const listOnboardingTemplatesRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listOnboardingTemplates',
  tag: 'Partner setup',
  summary: 'List onboarding templates',
  scope: 'spark-admin:wholesale_customers_read',
  status: 200,
  response: listOf(templateResponseSchema),
});

const createOnboardingTemplateRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createOnboardingTemplate',
  tag: 'Partner setup',
  summary: 'Create an onboarding template',
  scope: 'wholesale-desk:admin',
  body: createTemplateBodySchema,
  errors: [409],
  status: 201,
  response: templateResponseSchema,
});

export function createTemplateRoutes(deps: AppDeps) {
  const app = createRouter();
  app.operation(listOnboardingTemplatesRoute, async (c) => {
    const items = await deps.useCases.listUsableTemplates(c.get('auth').partner);
    return c.json({ items }, 200);
  });
  app.operation(createOnboardingTemplateRoute, async (c) => {
    const body = c.req.valid('json');
    const auth = c.get('auth');
    const result = await deps.useCases.createTemplate({ partner: auth.partner, label: auth.actorLabel }, body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const url = `${deps.config.PUBLIC_URL}/v1/wholesale/onboardingTemplates/${result.value.provisioningId}`;
    return c.json(result.value, 201, { Location: url });
  });
  return app;
}
