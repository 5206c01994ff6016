import { Hono } from 'hono';
import type { BotContext, StaffRole } from '../bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../bot/handle-message.js';
import { toConsoleMessage, toOutgoingMessages, type OutgoingMessage } from '../bot/outgoing.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, readJsonBody } from './read-body.js';
import { consoleMessageSchema, inboxQuerySchema } from '../contracts/console.js';
import { readConsoleInbox } from '../use-cases/console-inbox.js';
import { loadDashboard } from '../use-cases/dashboard.js';
import { bindChatSpace } from '../use-cases/chat-actors.js';
import { createConsoleCustomerRoutes } from './console-customer-routes.js';

/** A console user signs in with an API token; its scopes decide the chat role. */
export function roleOfScopes(scopes: readonly string[]): StaffRole {
  if (scopes.includes('wholesale-desk:admin') && scopes.includes('wholesale-desk:compliance_decide')) return 'admin';
  if (scopes.some((s) => s.endsWith('_write'))) return 'operator';
  return 'viewer';
}

/** The web console's chat: the same pipeline as Webex, answered in the request. */
export function createConsoleRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.post('/messages', async (c) => {
    const body = await readJsonBody(c, consoleMessageSchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const auth = c.get('auth');
    const replies: OutgoingMessage[] = [];
    const started = performance.now();
    const ctx: BotContext = {
      db: deps.db,
      actor: { partner: auth.partner, label: auth.actorLabel, role: auth.staffRole ?? roleOfScopes(auth.scopes), scopes: auth.scopes },
      spaceId: auth.consoleSpaceId,
      deps: useCaseDeps(deps),
      progress: async (markdown) => void replies.push({ markdown }),
      elapsedMs: () => performance.now() - started,
      upstream: deps.upstream,
    };
    const input = body.value;
    // The console session is a space of the token's partner: digests can be subscribed to it.
    await bindChatSpace(deps.db, {
      spaceId: ctx.spaceId,
      partnerId: auth.partner.id,
      title: 'web console',
      boundBy: ctx.actor.label,
      now: deps.clock.now(),
    });
    const reply =
      'cardInputs' in input
        ? await handleCardSubmission(ctx, input.cardInputs, c.get('log'))
        : await handleMessage(
            { ...ctx, files: input.files?.map((f) => ({ name: f.name, content: new TextEncoder().encode(f.content) })) },
            input.text,
            c.get('log'),
          );
    replies.push(...toOutgoingMessages(reply));
    return c.json({ replies: replies.map(toConsoleMessage) });
  });
  app.get('/inbox', async (c) => {
    const query = parseQuery(c, inboxQuerySchema);
    if (!query.ok) return respondProblems(c, query.problems);
    const auth = c.get('auth');
    const rows = await readConsoleInbox(deps.db, auth.consoleSpaceId, query.value.after);
    return c.json({ items: rows.map((r) => ({ id: Number(r.id), message: r.message, createdAt: new Date(r.created_at).toISOString() })) });
  });
  app.route('/customers', createConsoleCustomerRoutes(deps));
  app.get('/dashboard', async (c) => {
    const auth = c.get('auth');
    return c.json(await loadDashboard(deps.db, auth.partner, deps.clock.now()));
  });
  return app;
}
