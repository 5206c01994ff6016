import { Hono } from 'hono';
import {
  createTokenBodySchema,
  setStaffBodySchema,
  type StaffEntryResponse,
  type TokenEntryResponse,
} from '../contracts/console-access.js';
import type { AccessActor } from '../use-cases/partner-access.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { readJsonBody } from './read-body.js';
import type { Context } from 'hono';

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
export function createConsoleAccessRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps), requireScope('wholesale-desk:admin'));
  app.get('/staff', async (c) => {
    const rows = await deps.useCases.listPartnerStaff(actorOf(c));
    const items: StaffEntryResponse[] = rows.map((s) => ({ id: s.id, email: s.email, role: s.role, displayName: s.display_name }));
    return c.json({ items });
  });
  app.put('/staff', async (c) => {
    const body = await readJsonBody(c, setStaffBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const saved = await deps.useCases.setPartnerStaff(actorOf(c), body.value, { now: deps.clock.now(), ids: deps.ids });
    if (!saved.ok) return respondProblems(c, saved.problems);
    return c.json(saved.value);
  });
  app.delete('/staff/:id', async (c) => {
    const removed = await deps.useCases.removePartnerStaff(actorOf(c), c.req.param('id'), deps.clock.now());
    if (!removed.ok) return respondProblems(c, removed.problems);
    return c.body(null, 204);
  });
  app.get('/tokens', async (c) => {
    const rows = await deps.useCases.listPartnerTokens(actorOf(c));
    const items: TokenEntryResponse[] = rows.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.token_prefix,
      scopes: t.scopes,
      created: t.created_at.toISOString(),
      revoked: t.revoked_at?.toISOString() ?? null,
    }));
    return c.json({ items, grantable: actorOf(c).scopes });
  });
  app.post('/tokens', async (c) => {
    const body = await readJsonBody(c, createTokenBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const created = await deps.useCases.createPartnerToken(actorOf(c), body.value, { now: deps.clock.now(), ids: deps.ids });
    if (!created.ok) return respondProblems(c, created.problems);
    c.header('Cache-Control', 'no-store');
    return c.json(created.value, 201);
  });
  app.delete('/tokens/:id', async (c) => {
    const revoked = await deps.useCases.revokePartnerToken(actorOf(c), c.req.param('id'), deps.clock.now());
    if (!revoked.ok) return respondProblems(c, revoked.problems);
    return c.body(null, 204);
  });
  return app;
}
