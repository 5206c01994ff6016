import type { AccessActor } from '../use-cases/partner-access.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import type { Context } from 'hono';
import { contract, createRouter } from './openapi.js';
import {
  createTokenBodySchema,
  setStaffBodySchema,
  staffListSchema,
  staffSavedSchema,
  tokenCreatedSchema,
  tokenListSchema,
} from '../contracts/index.js';

const actorOf = (c: Context<AppEnv>): AccessActor => {
  const auth = c.get('auth');
  return {
    partner: auth.partner,
    label: auth.actorLabel,
    scopes: auth.scopes,
    staffEmail: auth.actorLabel.startsWith('staff:') ? auth.actorLabel.slice('staff:'.length) : undefined,
  };
};

/**
 * The console's Staff & tokens page: the partner's staff (who signs in, with which role) and API
 * tokens, for its admins (`wholesale-desk:admin`, the scope that administers tokens on the API). The
 * same use-cases as the operator CLI's `staff` and `token` commands, for the caller's own partner.
 */
const listConsoleStaffRoute = contract({
  method: 'get',
  path: '/staff',
  operationId: 'listConsoleStaff',
  tag: 'Console',
  summary: "The console's Staff & tokens page: who of the partner signs in to the console, with which role",
  scope: 'wholesale-desk:admin',
  status: 200,
  response: staffListSchema,
});

const putConsoleStaffRoute = contract({
  method: 'put',
  path: '/staff',
  operationId: 'putConsoleStaff',
  tag: 'Console',
  summary: "Add a person to the partner's staff, or change their role (as `npm run cli -- staff add`)",
  scope: 'wholesale-desk:admin',
  body: setStaffBodySchema,
  status: 200,
  response: staffSavedSchema,
});

const deleteConsoleStaffRoute = contract({
  method: 'delete',
  path: '/staff/{id}',
  operationId: 'deleteConsoleStaff',
  tag: 'Console',
  summary: 'Remove a staff entry of the partner (their console sessions end); never your own (409, errorCode 4203)',
  scope: 'wholesale-desk:admin',
  // Removing oneself (staff_self_removal).
  errors: [409],
  status: 204,
});

const listConsoleTokensRoute = contract({
  method: 'get',
  path: '/tokens',
  operationId: 'listConsoleTokens',
  tag: 'Console',
  summary: "The partner's API tokens (prefix, scopes, state; never the token) and the scopes the caller may grant",
  scope: 'wholesale-desk:admin',
  status: 200,
  response: tokenListSchema,
});

const createConsoleTokenRoute = contract({
  method: 'post',
  path: '/tokens',
  operationId: 'createConsoleToken',
  tag: 'Console',
  summary: "A new API token of the partner with at most the caller's own scopes (403, errorCode 4201); the token is in this answer only",
  scope: 'wholesale-desk:admin',
  body: createTokenBodySchema,
  status: 201,
  response: tokenCreatedSchema,
});

const deleteConsoleTokenRoute = contract({
  method: 'delete',
  path: '/tokens/{id}',
  operationId: 'deleteConsoleToken',
  tag: 'Console',
  summary: 'Revoke an active API token of the partner (404, errorCode 4200, when it has none with this id)',
  scope: 'wholesale-desk:admin',
  status: 204,
});

export function createConsoleAccessRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(listConsoleStaffRoute, async (c) => {
    return c.json({ items: await deps.useCases.listPartnerStaff(actorOf(c)) }, 200);
  });
  app.operation(putConsoleStaffRoute, async (c) => {
    const body = c.req.valid('json');
    const saved = await deps.useCases.setPartnerStaff(actorOf(c), body, { now: deps.clock.now(), ids: deps.ids });
    if (!saved.ok) return respondProblems(c, saved.problems);
    return c.json(saved.value, 200);
  });
  app.operation(deleteConsoleStaffRoute, async (c) => {
    const removed = await deps.useCases.removePartnerStaff(actorOf(c), c.req.param('id'), deps.clock.now());
    if (!removed.ok) return respondProblems(c, removed.problems);
    return c.body(null, 204);
  });
  app.operation(listConsoleTokensRoute, async (c) => {
    return c.json({ items: await deps.useCases.listPartnerTokens(actorOf(c)), grantable: [...actorOf(c).scopes] }, 200);
  });
  app.operation(createConsoleTokenRoute, async (c) => {
    const body = c.req.valid('json');
    const created = await deps.useCases.createPartnerToken(actorOf(c), body, { now: deps.clock.now(), ids: deps.ids });
    if (!created.ok) return respondProblems(c, created.problems);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...created.value, scopes: [...created.value.scopes] }, 201);
  });
  app.operation(deleteConsoleTokenRoute, async (c) => {
    const revoked = await deps.useCases.revokePartnerToken(actorOf(c), c.req.param('id'), deps.clock.now());
    if (!revoked.ok) return respondProblems(c, revoked.problems);
    return c.body(null, 204);
  });
  return app;
}
