import type { BotContext, StaffRole } from '../bot/bot-command.js';
import { handleCardSubmission, handleMessage } from '../bot/handle-message.js';
import { toConsoleMessage, toOutgoingMessages, type OutgoingMessage } from '../bot/outgoing.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { problem } from '../domain/problems.js';
import { createConsoleCustomerRoutes } from './console-customer-routes.js';
import { invoiceSeller } from '../config.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import { contract, createRouter } from './openapi.js';
import {
  auditPageSchema,
  auditQuerySchema,
  consoleDashboardSchema,
  consoleInboxSchema,
  consoleMessageSchema,
  consoleRepliesSchema,
  consoleSubscriberPrecheckAnswerSchema,
  consoleSubscriberPrecheckSchema,
  inboxQuerySchema,
} from '../contracts/index.js';

/** A console user signs in with an API token; its scopes decide the chat role. */
export function roleOfScopes(scopes: readonly string[]): StaffRole {
  if (scopes.includes('wholesale-desk:admin') && scopes.includes('wholesale-desk:compliance_decide')) return 'admin';
  if (scopes.some((s) => s.endsWith('_write'))) return 'operator';
  return 'viewer';
}

/** The web console's chat: the same pipeline as Webex, answered in the request. */
const sendConsoleMessageRoute = contract({
  method: 'post',
  path: '/messages',
  operationId: 'sendConsoleMessage',
  tag: 'Console',
  auth: 'bearer',
  summary: "The web console's chat: a command (or a submitted card) in, the bot's replies out",
  body: consoleMessageSchema,
  status: 200,
  response: consoleRepliesSchema,
});

const readConsoleInboxRoute = contract({
  method: 'get',
  path: '/inbox',
  operationId: 'readConsoleInbox',
  tag: 'Console',
  auth: 'bearer',
  summary: 'Messages the bot posted to this console session on its own (digests)',
  query: inboxQuerySchema,
  status: 200,
  response: consoleInboxSchema,
});

const validateConsoleSubscriberChangeRoute = contract({
  method: 'post',
  path: '/subscribers/precheck',
  operationId: 'validateConsoleSubscriberChange',
  tag: 'Console',
  summary: 'Checks adding, changing or removing a user as the chat does before it asks to confirm (nothing is written)',
  scope: 'spark-admin:wholesale_subscribers_write',
  body: consoleSubscriberPrecheckSchema,
  errors: [409, 502],
  status: 200,
  response: consoleSubscriberPrecheckAnswerSchema,
});

const getConsoleDashboardRoute = contract({
  method: 'get',
  path: '/dashboard',
  operationId: 'getConsoleDashboard',
  tag: 'Console',
  auth: 'bearer',
  summary: "Customers by status, the review queue and this month's charges so far",
  status: 200,
  response: consoleDashboardSchema,
});

const listConsoleAuditRoute = contract({
  method: 'get',
  path: '/audit',
  operationId: 'listConsoleAudit',
  tag: 'Console',
  summary: "The partner's audit log, newest first: filter by actor, entity and time (paged, Link rel=next)",
  scope: 'wholesale-desk:admin',
  query: auditQuerySchema,
  status: 200,
  response: auditPageSchema,
});

export function createConsoleRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(sendConsoleMessageRoute, async (c) => {
    const body = c.req.valid('json');
    const auth = c.get('auth');
    const replies: OutgoingMessage[] = [];
    const started = performance.now();
    const ctx: BotContext = {
      useCases: deps.useCases,
      actor: { partner: auth.partner, label: auth.actorLabel, role: auth.staffRole ?? roleOfScopes(auth.scopes), scopes: auth.scopes },
      spaceId: auth.consoleSpaceId,
      deps: useCaseDeps(deps),
      progress: async (markdown) => void replies.push({ markdown }),
      elapsedMs: () => performance.now() - started,
      upstream: deps.upstream,
      invoicing: { seller: invoiceSeller(deps.config), numberPrefix: deps.config.INVOICE_NUMBER_PREFIX },
    };
    const input = body;
    // The console session is a space of the token's partner: digests can be subscribed to it.
    await deps.useCases.bindChatSpace({
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
    return c.json({ replies: replies.map(toConsoleMessage) }, 200);
  });
  app.operation(readConsoleInboxRoute, async (c) => {
    const query = c.req.valid('query');
    const auth = c.get('auth');
    return c.json({ items: await deps.useCases.readConsoleInbox(auth.consoleSpaceId, query.after) }, 200);
  });
  app.route('/customers', createConsoleCustomerRoutes(deps));
  // Checked before the page asks to confirm, by the rules the chat checks before it proposes.
  app.operation(validateConsoleSubscriberChangeRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const input = body;
    const ucDeps = useCaseDeps(deps);
    const checked =
      input.action === 'add'
        ? await deps.useCases.precheckSubscriber(actor.value, input, ucDeps, deps.upstream)
        : input.action === 'change'
          ? await deps.useCases.validateSubscriberUpdate(actor.value, input.subscriberId, { packages: input.packages }, ucDeps)
          : await deps.useCases.validateSubscriberRemoval(actor.value, input.subscriberId, undefined, ucDeps);
    return c.json(
      {
        ok: checked.ok,
        problems: checked.ok ? [] : checked.problems.map((p) => ({ field: p.field ?? null, message: p.message })),
      },
      200,
    );
  });
  app.operation(getConsoleDashboardRoute, async (c) => {
    const auth = c.get('auth');
    // Parsed by its contract: the documented shape is the served one (a drift fails here, not in a browser).
    return c.json(
      consoleDashboardSchema.parse(
        await deps.useCases.loadDashboard(auth.partner, deps.clock.now(), { screeningRequired: deps.config.SCREENING_REQUIRED }),
      ),
      200,
    );
  });
  app.operation(listConsoleAuditRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 50, limit: 200 });
    if (!page.ok) return respondProblems(c, page.problems);
    const from = toInstant(q.from, 0);
    const to = toInstant(q.to, DAY_MS);
    for (const [name, at] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (at && Number.isNaN(at.getTime())) return respondProblems(c, [problem('invalid_request', `${name} is not a calendar date`, name)]);
    if (from && to && from >= to) return respondProblems(c, [problem('invalid_request', 'from must be before to', 'from')]);
    const entries = await deps.useCases.searchAudit(c.get('auth').partner, {
      actor: q.actor || undefined,
      entityType: q.entityType || undefined,
      entityId: q.entityId || undefined,
      from,
      to,
      ...page.value,
    });
    const items = respondPage(c, entries, page.value, deps.config.PUBLIC_URL);
    // Names beside the ids (a token's name, the customer's): added fields, the ids stay as they were.
    const names = await deps.useCases.nameAuditEntries(c.get('auth').partner, items);
    return c.json({ items: items.map(({ id, at, actor, ...rest }, i) => ({ id, at, actor, ...names[i]!, ...rest })) }, 200);
  });
  return app;
}

const DAY_MS = 86_400_000;

/** A query instant; a bare date is that UTC day's start, or (`dayOffsetMs`) the next day's start for an inclusive end. */
function toInstant(value: string | undefined, dayOffsetMs: number): Date | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + dayOffsetMs);
  return new Date(value);
}
