import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { createCustomerRoutes } from './customer-routes.js';
import { documentedQueryRoutes, openApiDocumentOf } from './openapi.js';
import { loadConfig } from '../config.js';
import { refuseUndocumentedQuery } from './query-parameters.js';
import { respondProblems } from './problem-responses.js';
import { problem } from '../domain/problems.js';
import { createSubPartnerRoutes } from './sub-partner-routes.js';
import { createSubscriberRoutes } from './subscriber-routes.js';
import { createWorkspaceRoutes } from './workspace-routes.js';
import { createTemplateRoutes } from './template-routes.js';
import { createBillingReportRoutes, createReportDownloadRoutes } from './billing-report-routes.js';
import { createBillingRoutes } from './billing-routes.js';
import { createEventRoutes } from './event-routes.js';
import { createWebhookSubscriptionRoutes } from './webhook-subscription-routes.js';
import { createComplianceRoutes } from './compliance-routes.js';
import { createConsoleRoutes } from './console-routes.js';
import { createDigestRoutes } from './digest-routes.js';
import { createRateLimits } from './rate-limit.js';
import { createReconciliationRoutes } from './reconciliation-routes.js';
import { createUpstreamRoutes } from './upstream-routes.js';
import { createTaskRoutes } from './task-routes.js';
import { createConsoleUpstreamRoutes } from './console-upstream-routes.js';
import { createConsoleAccessRoutes } from './console-access-routes.js';
import { createDataNoticeRoutes } from './data-notice-routes.js';

const MAX_BODY_BYTES = 256 * 1024;
/**
 * The console chat carries an attached file (`import users`, a reconciliation) of up to 2 MB inside its
 * JSON: escaped quotes and line breaks, and text outside ASCII, make the body larger than the file, so
 * its route allows three times that; the schema still holds the file itself to 2 MB.
 */
const MAX_CONSOLE_MESSAGE_BYTES = 6 * 1024 * 1024;

export function createV1Routes(deps: AppDeps, shared: Parameters<typeof createRateLimits>[1] = {}) {
  // Every router mounted here registers its operations with their contracts (openapi.ts: `contract()`);
  // mounting copies them into this router's registry, which the document and the query refusal read.
  const app = new OpenAPIHono<AppEnv>();
  // Tenant data must not sit in a shared cache, and a CSV or JSON answer must never be sniffed into HTML.
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  for (const limit of createRateLimits(deps.config, shared)) app.use('*', limit);
  // PostgreSQL cannot hold NUL in text: an id or a query value with %00 is bad input, not a 500 later.
  app.use('*', async (c, next) => {
    if (/%00/i.test(c.req.url))
      return respondProblems(c, [problem('invalid_request', 'ids and query parameters may not contain the NUL character (%00)')]);
    await next();
  });
  // Every documented route takes exactly the query parameters its documentation names; anything else is a 400.
  app.use(
    '*',
    refuseUndocumentedQuery(() => documentedQueryRoutes(app), '/v1'),
  );
  let openApi: string | undefined;
  // The document itself: no operation of its own (hidden), served as built once from the registry.
  app.openapi(
    createRoute({ method: 'get', path: '/openapi.json', hide: true, responses: { 200: { description: 'This document' } } }),
    (c) =>
      c.body((openApi ??= JSON.stringify(openApiDocumentOf(app, deps.config.PUBLIC_URL))), 200, { 'Content-Type': 'application/json' }),
  );

  // Inbound events check their own size before reading (the hot path skips the stream wrapper).
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => respondProblems(c, [problem('body_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`)]),
  });
  // Cisco's billing report is a large streamed CSV: mounted before the JSON body limit, it caps its own size.
  app.route('/billing/reconciliations', createReconciliationRoutes(deps));
  const consoleMessageLimit = bodyLimit({
    maxSize: MAX_CONSOLE_MESSAGE_BYTES,
    onError: (c) =>
      respondProblems(c, [
        problem('body_too_large', `the message is larger than ${MAX_CONSOLE_MESSAGE_BYTES} bytes; an attached file holds at most 2 MB`),
      ]),
  });
  for (const prefix of ['/wholesale/*', '/billing/*', '/webhooks/*', '/events/*', '/digests/*']) app.use(prefix, limit);
  app.use('/console/*', (c, next) =>
    (c.req.method === 'POST' && /\/console\/messages\/?$/.test(c.req.path) ? consoleMessageLimit : limit)(c, next),
  );
  app.route('/downloads', createReportDownloadRoutes(deps));
  app.route('/events', createEventRoutes(deps));
  app.route('/webhooks', createWebhookSubscriptionRoutes(deps));
  app.route('/data-notices', createDataNoticeRoutes(deps));
  app.use('/wholesale/*', authenticate(deps));
  app.use('/billing/*', authenticate(deps));
  app.route('/wholesale/customers', createCustomerRoutes(deps));
  app.route('/wholesale/subscribers', createSubscriberRoutes(deps));
  app.route('/wholesale/workspaces', createWorkspaceRoutes(deps));
  app.route('/wholesale/subPartners', createSubPartnerRoutes(deps));
  app.route('/wholesale/onboardingTemplates', createTemplateRoutes(deps));
  app.route('/wholesale/billing/reports', createBillingReportRoutes(deps));
  app.route('/billing', createBillingRoutes(deps));
  app.route('/compliance', createComplianceRoutes(deps));
  app.route('/console/upstream', createConsoleUpstreamRoutes(deps));
  app.route('/console/access', createConsoleAccessRoutes(deps));
  app.route('/console', createConsoleRoutes(deps));
  app.route('/digests', createDigestRoutes(deps));
  app.route('/upstream', createUpstreamRoutes(deps));
  app.route('/tasks', createTaskRoutes(deps));
  return app;
}

/** The routers' document without serving it (tests, `npm run lint:openapi`): building the routes touches neither database nor network. */
export function buildOpenApiDocument(serverUrl: string) {
  const config = loadConfig({ PUBLIC_URL: serverUrl, LOG_LEVEL: 'silent' });
  return openApiDocumentOf(createV1Routes({ config } as AppDeps), serverUrl);
}

/** Each /v1 operation with the query parameters it accepts (the routes' contracts). */
export function listDocumentedQueryRoutes(serverUrl = 'http://localhost') {
  const config = loadConfig({ PUBLIC_URL: serverUrl, LOG_LEVEL: 'silent' });
  return documentedQueryRoutes(createV1Routes({ config } as AppDeps));
}
