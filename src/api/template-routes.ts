import { listUsableTemplates } from '../use-cases/partner-listings.js';
import type { TemplateRow } from '../use-cases/records.js';
import { createTemplate } from '../use-cases/onboarding-templates.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { validated } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import { createTemplateBodySchema } from '../contracts/index.js';

export const toTemplateResponse = (t: TemplateRow) => ({
  provisioningId: t.id,
  name: t.name,
  country: t.country,
  language: t.language,
  authMode: t.auth_mode,
  ...(t.idp_entity_id ? { idpEntityId: t.idp_entity_id } : {}),
  brandName: t.brand_name,
  ...(t.pstn_provider ? { pstnProvider: t.pstn_provider } : {}),
  allowAdminInviteEmails: t.allow_admin_invite_emails,
  disableWebexCalling1to1: t.disable_webex_calling_1to1,
  created: t.created_at.toISOString(),
});

/** Onboarding templates (ours: Webex keeps them in Partner Hub); a sub-partner also sees its parent's. */
const listOnboardingTemplatesRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listOnboardingTemplates',
  tag: 'Partner setup',
  summary: 'List onboarding templates',
  scope: 'spark-admin:wholesale_customers_read',
  status: 200,
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
});

export function createTemplateRoutes(deps: AppDeps) {
  const app = createRouter();
  app.openapi(listOnboardingTemplatesRoute, async (c) => {
    const rows = await listUsableTemplates(deps.db, c.get('auth').partner);
    return c.json({ items: rows.map(toTemplateResponse) });
  });
  app.openapi(createOnboardingTemplateRoute, async (c) => {
    const body = validated(c.req.valid('json'));
    const auth = c.get('auth');
    const result = await createTemplate(deps.db, { partner: auth.partner, label: auth.actorLabel }, body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const url = `${deps.config.PUBLIC_URL}/v1/wholesale/onboardingTemplates/${result.value.id}`;
    return c.json(toTemplateResponse(result.value), 201, { Location: url });
  });
  return app;
}
