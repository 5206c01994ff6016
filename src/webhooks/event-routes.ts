import { Hono } from 'hono';
import { authenticate, requireScope } from '../api/auth.js';
import type { AppDeps, AppEnv } from '../api/app-env.js';
import { issuesToProblems, respondPage, toPage } from '../api/read-body.js';
import { respondError, respondProblems } from '../api/problem-responses.js';
import { listFailedInboundEvents, replayInboundEvent } from '../db/repositories/inbound-events.js';
import { createInboxWriter } from './inbox-writer.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { problem } from '../domain/problems.js';
import { envelopeSchema, EVENT_DATA_SCHEMAS, orderingKey } from './event-envelope.js';
import { verifyEventSignature } from './verify-signature.js';
import { readRawBody } from './read-raw-body.js';

export const MAX_EVENT_BYTES = 256 * 1024;

/**
 * Inbound events from the SP's systems: size checked, signature verified over the raw bytes, envelope
 * and data validated, stored (a known id is a no-op), then acknowledged. Nothing is acknowledged
 * unless it is stored: a database failure answers 503 with Retry-After.
 */
export function createEventRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let rootPartnerId: string | undefined;
  const inbox = createInboxWriter(deps.db);

  app.post('/', async (c) => {
    const secrets = deps.config.EVENTS_SECRETS;
    if (!secrets?.length) return respondError(c, 403, 'inbound events are off: set EVENTS_SECRETS on the server to accept them', 4031);
    const length = c.req.header('content-length');
    if (length === undefined || !/^\d+$/.test(length)) return respondError(c, 411, 'send the event with a Content-Length header', 4110);
    if (Number(length) > MAX_EVENT_BYTES) return respondError(c, 413, `the event is larger than ${MAX_EVENT_BYTES} bytes`, 4130);
    const raw = await readRawBody(c, MAX_EVENT_BYTES);
    if (raw.byteLength > MAX_EVENT_BYTES) return respondError(c, 413, `the event is larger than ${MAX_EVENT_BYTES} bytes`, 4130);

    const check = verifyEventSignature(raw, c.req.header('webhook-signature'), secrets, Math.floor(deps.clock.now().getTime() / 1000));
    if (!check.ok) {
      const why = {
        missing: 'the Webhook-Signature header is missing',
        malformed: 'the Webhook-Signature header is not "t=<unix seconds>,v1=<hex HMAC-SHA256>"',
        mismatch: 'the signature does not match the body (wrong secret, or the body changed in transit)',
        stale: 'the signature timestamp is more than 5 minutes old; sign at send time',
        future: 'the signature timestamp is more than 5 minutes in the future; check the sender clock',
      }[check.reason];
      c.get('log').warn({ reason: check.reason }, 'inbound event refused');
      return respondError(c, 401, why, 4011);
    }

    let json: unknown;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
      if (/\\u0000/i.test(text)) return respondProblems(c, [problem('invalid_request', 'strings may not contain the NUL character (\\u0000)')]);
      json = JSON.parse(text);
    } catch (error) {
      return respondProblems(c, [problem('invalid_request', `the body is not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`)]);
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return respondProblems(c, issuesToProblems(envelope.error));
    const { id, type, occurredAt, data } = envelope.data;
    const checked = EVENT_DATA_SCHEMAS[type].safeParse(data);
    if (!checked.success) return respondProblems(c, issuesToProblems(checked.error, 'data'));

    rootPartnerId ??= (await findRootPartner(deps.db))?.id;
    if (!rootPartnerId) return respondError(c, 503, 'the service has no partner yet; retry shortly', 5031, { 'Retry-After': '5' });
    const stored = await inbox.write({
      id,
      type,
      occurredAt: new Date(occurredAt),
      data,
      orderingKey: orderingKey(type, data),
      partnerId: rootPartnerId,
      receivedAt: deps.clock.now(),
    });
    if (stored) deps.onEventQueued?.();
    return c.json({ id, status: stored ? 'accepted' : 'duplicate' }, stored ? 202 : 200);
  });

  const admin = new Hono<AppEnv>();
  admin.use('*', authenticate(deps), requireScope('wholesale-desk:admin'));
  admin.get('/failed', async (c) => {
    const page = toPage({ offset: c.req.query('offset'), max: c.req.query('max') }, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await listFailedInboundEvents(deps.db, c.get('auth').partner.id, page.value.offset, page.value.max);
    return c.json({
      items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL).map((e) => ({
        id: e.id,
        type: e.type,
        occurredAt: e.occurred_at.toISOString(),
        receivedAt: e.received_at.toISOString(),
        attempts: e.attempts,
        error: e.last_error,
        data: e.data,
      })),
    });
  });
  admin.get('/stats', async (c) => {
    const rows = await deps.db
      .selectFrom('inbound_events')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('partner_id', '=', c.get('auth').partner.id)
      .groupBy('status')
      .execute();
    const counts = { pending: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return c.json(counts);
  });
  admin.post('/:id/replay', async (c) => {
    const outcome = await replayInboundEvent(deps.db, c.get('auth').partner.id, c.req.param('id'), deps.clock.now());
    if (outcome === 'not_found') return respondProblems(c, [problem('not_found', `no inbound event ${c.req.param('id')}`)]);
    if (outcome === 'not_failed') return respondError(c, 409, 'only a failed event can be replayed; this one is pending or done', 4091);
    deps.onEventQueued?.();
    return c.json({ id: c.req.param('id'), status: 'pending' }, 202);
  });
  app.route('/', admin);
  return app;
}

/**
 * The raw bytes, straight from Node's request when served by @hono/node-server (skipping the web
 * stream the generic path builds: this is the hot path of event intake), else through the Request.
 */
