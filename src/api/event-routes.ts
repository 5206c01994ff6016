import { authenticate } from './auth.js';
import type { AppDeps } from './app-env.js';
import { issuesToProblems, respondPage, toPage } from './read-body.js';
import { respondProblems } from './problem-responses.js';
import { EVENT_DATA_SCHEMAS, orderingKey } from '../contracts/events.js';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../domain/json-depth.js';
import { problem, retryLater } from '../domain/problems.js';
import { createInboxWriter } from '../webhooks/inbox-writer.js';
import { readRawBody } from '../webhooks/read-raw-body.js';
import { signatureFailure, verifyEventRequest } from '../webhooks/verify-signature.js';
import { contract, createRouter } from './openapi.js';
import {
  envelopeSchema,
  inboundEventAcceptedSchema,
  inboundEventDuplicateSchema,
  inboundEventStatsSchema,
  listOf,
  pageQuerySchema,
  parkedInboundEventSchema,
  replayAcceptedSchema,
} from '../contracts/index.js';

export const MAX_EVENT_BYTES = 256 * 1024;
const eventTooLarge = problem('body_too_large', `the event is larger than ${MAX_EVENT_BYTES} bytes`);

/**
 * Inbound events from the SP's systems: size checked, signature verified over the raw bytes, envelope
 * and data validated, stored (a known id is a no-op), then acknowledged. Nothing is acknowledged
 * unless it is stored: a database failure answers 503 with Retry-After.
 */
const receiveEventRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'receiveEvent',
  tag: 'Inbound events',
  auth: 'signature',
  summary: 'Inbound event from a back-office system (signed with Webhook-Signature; no bearer token)',
  bodyReadByHandler: envelopeSchema,
  // Inbound events off (no EVENTS_SECRETS: 403), and no Content-Length (411): the size is checked before reading.
  errors: [403, 411],
  status: 202,
  response: inboundEventAcceptedSchema,
  alsoSucceeds: [
    {
      status: 200,
      description: 'An event with this id was received before: nothing more is done (a retried post is safe)',
      response: inboundEventDuplicateSchema,
    },
  ],
});

const listFailedEventsRoute = contract({
  method: 'get',
  path: '/failed',
  operationId: 'listFailedEvents',
  tag: 'Inbound events',
  summary: 'Inbound events parked after failing',
  scope: 'wholesale-desk:admin',
  query: pageQuerySchema,
  status: 200,
  response: listOf(parkedInboundEventSchema),
});

const getEventStatsRoute = contract({
  method: 'get',
  path: '/stats',
  operationId: 'getEventStats',
  tag: 'Inbound events',
  summary: 'Inbound events by state',
  scope: 'wholesale-desk:admin',
  status: 200,
  response: inboundEventStatsSchema,
});

const replayEventRoute = contract({
  method: 'post',
  path: '/{id}/replay',
  operationId: 'replayEvent',
  tag: 'Inbound events',
  summary: 'Queue a parked inbound event again',
  scope: 'wholesale-desk:admin',
  errors: [409],
  status: 202,
  response: replayAcceptedSchema,
});

export function createEventRoutes(deps: AppDeps) {
  const app = createRouter();
  let rootPartnerId: string | undefined;
  const inbox = createInboxWriter(deps.useCases);

  app.operation(receiveEventRoute, async (c) => {
    const secrets = deps.config.EVENTS_SECRETS;
    if (!secrets?.length)
      return respondProblems(c, [problem('events_off', 'inbound events are off: set EVENTS_SECRETS on the server to accept them')]);
    const length = c.req.header('content-length');
    if (length === undefined || !/^\d+$/.test(length))
      return respondProblems(c, [problem('length_required', 'send the event with a Content-Length header')]);
    if (Number(length) > MAX_EVENT_BYTES) return respondProblems(c, [eventTooLarge]);
    const raw = await readRawBody(c, MAX_EVENT_BYTES);
    if (raw.byteLength > MAX_EVENT_BYTES) return respondProblems(c, [eventTooLarge]);

    const check = verifyEventRequest({
      signature: c.req.header('webhook-signature'),
      body: raw,
      secrets,
      now: Math.floor(deps.clock.now().getTime() / 1000),
    });
    if (!check.ok) {
      c.get('log').warn({ reason: signatureFailure(check.problems) }, 'inbound event refused');
      return respondProblems(c, check.problems);
    }

    let json: unknown;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      if (/\\u0000/i.test(text))
        return respondProblems(c, [problem('invalid_request', 'strings may not contain the NUL character (\\u0000)')]);
      // Before any recursive work (JSON.parse, zod, the jsonb insert): 5,000 levels overflowed the stack.
      if (exceedsJsonDepth(text)) return respondProblems(c, [problem('json_too_deep', jsonTooDeepMessage())]);
      json = JSON.parse(text);
    } catch (error) {
      return respondProblems(c, [
        problem('invalid_request', `the body is not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`),
      ]);
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return respondProblems(c, issuesToProblems(envelope.error));
    const { id, type, occurredAt, data } = envelope.data;
    const checked = EVENT_DATA_SCHEMAS[type].safeParse(data);
    if (!checked.success) return respondProblems(c, issuesToProblems(checked.error, 'data'));

    rootPartnerId ??= await deps.useCases.findEventIntakePartnerId();
    if (!rootPartnerId)
      return respondProblems(c, [retryLater(problem('no_partner_yet', 'the service has no partner yet; retry shortly'), 5)]);
    const stored = await inbox.write({
      id,
      type,
      occurredAt: new Date(occurredAt),
      data,
      orderingKey: orderingKey(type, data),
      partnerId: rootPartnerId,
      receivedAt: deps.clock.now(),
    });
    if (!stored) return c.json({ id, status: 'duplicate' as const }, 200);
    deps.onEventQueued?.();
    return c.json({ id, status: 'accepted' as const }, 202);
  });

  const admin = createRouter();
  admin.use('*', authenticate(deps));
  admin.operation(listFailedEventsRoute, async (c) => {
    const page = toPage({ offset: c.req.query('offset'), max: c.req.query('max') }, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const events = await deps.useCases.listParkedInboundEvents(c.get('auth').partner, page.value);
    return c.json({ items: respondPage(c, events, page.value, deps.config.PUBLIC_URL) }, 200);
  });
  admin.operation(getEventStatsRoute, async (c) => c.json(await deps.useCases.countInboundEvents(c.get('auth').partner), 200));
  admin.operation(replayEventRoute, async (c) => {
    const replayed = await deps.useCases.replayFailedInboundEvent(c.get('auth').partner, c.req.param('id'), deps.clock.now());
    if (!replayed.ok) return respondProblems(c, replayed.problems);
    deps.onEventQueued?.();
    return c.json({ id: c.req.param('id'), status: 'pending' as const }, 202);
  });
  app.route('/', admin);
  return app;
}
