import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MAX_WEBEX_EVENT_BYTES, verifyWebexEvent, type WebexEvent } from '../../src/webex/verify-webex-event.js';
import { createWebexEventRoutes, type WebexRouteEnv } from '../../src/webex/webex-event-routes.js';
import { createWebexReceiver } from '../../src/webex/webex-receiver.js';

const SECRET = 'webhook-secret-0123456789';
const BOT_ID = 'BOT1';
const encode = (text: string) => new TextEncoder().encode(text);
const sign = (raw: Uint8Array | string, secret = SECRET) => createHmac('sha1', secret).update(raw).digest('hex');

function envelope(over: { id?: string; resource?: string; personId?: string } = {}) {
  const data: Record<string, unknown> = { id: over.id ?? 'MSG1', roomId: 'ROOM1' };
  if (over.personId !== undefined) data.personId = over.personId;
  return { id: 'HOOK1', name: 'desk', resource: over.resource ?? 'messages', event: 'created', data, extra: 'kept' };
}

function capturingLogger() {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

/** A receiver over an in-memory inbox that deduplicates by key, as the webex_inbox table does. */
function receiverWithInbox() {
  const inbox = new Map<string, { event: WebexEvent; own: boolean }>();
  const processed: WebexEvent[] = [];
  const receiver = createWebexReceiver({
    secret: SECRET,
    store: async (event, own) => {
      if (inbox.has(event.key)) return false;
      inbox.set(event.key, { event, own });
      return true;
    },
    botPersonId: () => BOT_ID,
    process: (event) => void processed.push(event),
  });
  return { inbox, processed, receiver };
}

describe('verifying a Webex delivery (no I/O)', () => {
  it('accepts the exact bytes signed with the secret and names the event by resource, event and data id', () => {
    const raw = encode(JSON.stringify(envelope({ personId: 'P1' })));
    const check = verifyWebexEvent(raw, sign(raw), SECRET);
    expect(check).toEqual({
      ok: true,
      value: { key: 'messages:created:MSG1', resource: 'messages', personId: 'P1', body: envelope({ personId: 'P1' }) },
    });
    expect(verifyWebexEvent(raw, sign(raw).toUpperCase(), SECRET).ok).toBe(true);
  });

  it('checks the signature over the bytes received, not over a re-serialisation', () => {
    const raw = encode(JSON.stringify(envelope(), null, 2));
    expect(verifyWebexEvent(raw, sign(JSON.stringify(envelope())), SECRET)).toMatchObject({
      ok: false,
      problems: [{ code: 'webex_signature_invalid', message: expect.stringContaining('X-Spark-Signature mismatch') }],
    });
    expect(verifyWebexEvent(raw, sign(raw), SECRET).ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['not-hex', 'malformed'],
    ['ab'.repeat(32), 'malformed'],
    [sign('{}', 'another-secret-0123456'), 'mismatch'],
  ])('refuses signature %j as %s (401, errorCode 4012 at the route)', (header, reason) => {
    const raw = encode(JSON.stringify(envelope()));
    expect(verifyWebexEvent(raw, header, SECRET)).toEqual({
      ok: false,
      problems: [
        { code: 'webex_signature_invalid', message: `X-Spark-Signature ${reason}: the webhook secret does not match WEBEX_WEBHOOK_SECRET` },
      ],
    });
  });

  it('refuses an oversized body before looking at its signature, then a signed body that is not a Webex envelope', () => {
    const big = new Uint8Array(MAX_WEBEX_EVENT_BYTES + 1);
    expect(verifyWebexEvent(big, undefined, SECRET)).toEqual({
      ok: false,
      problems: [{ code: 'body_too_large', message: `the event is larger than ${MAX_WEBEX_EVENT_BYTES} bytes` }],
    });
    const notUtf8 = new Uint8Array([0x7b, 0xff, 0x7d]);
    expect(verifyWebexEvent(notUtf8, sign(notUtf8), SECRET)).toEqual({
      ok: false,
      problems: [{ code: 'malformed_body', message: 'the body is not UTF-8 JSON' }],
    });
    const notEnvelope = encode(JSON.stringify({ id: 'x', resource: 'messages' }));
    expect(verifyWebexEvent(notEnvelope, sign(notEnvelope), SECRET)).toMatchObject({
      ok: false,
      problems: [{ code: 'malformed_body', message: 'not a Webex webhook envelope ({id, name, resource, event, data.id})' }],
    });
  });

  it('refuses a signed body nested deeper than 32 levels before parsing it (400, errorCode 4003 at the route)', () => {
    const deep = encode(JSON.stringify(envelope()).replace('"kept"', `${'['.repeat(5000)}${']'.repeat(5000)}`));
    expect(verifyWebexEvent(deep, sign(deep), SECRET)).toMatchObject({ ok: false, problems: [{ code: 'json_too_deep' }] });
  });
});

describe('the Webex receiver: verify, store, acknowledge', () => {
  it('stores a verified event, acknowledges it and hands it to processing', async () => {
    const { inbox, processed, receiver } = receiverWithInbox();
    const raw = encode(JSON.stringify(envelope({ personId: 'P1' })));
    expect(await receiver.receive({ raw, signature: sign(raw), log: pino({ level: 'silent' }) })).toEqual({ ok: true });
    expect([...inbox.keys()]).toEqual(['messages:created:MSG1']);
    expect(inbox.get('messages:created:MSG1')!.own).toBe(false);
    expect(processed.map((e) => e.key)).toEqual(['messages:created:MSG1']);
  });

  it('stores nothing and processes nothing for a bad signature, and logs why', async () => {
    const { inbox, processed, receiver } = receiverWithInbox();
    const { lines, log } = capturingLogger();
    const raw = encode(JSON.stringify(envelope()));
    const receipt = await receiver.receive({ raw, signature: sign(raw, 'not-the-secret-at-all'), log });
    expect(receipt).toMatchObject({ ok: false, problems: [{ code: 'webex_signature_invalid' }] });
    expect(inbox.size).toBe(0);
    expect(processed).toHaveLength(0);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, msg: 'webex webhook refused', reason: expect.stringContaining('X-Spark-Signature mismatch') }),
    ]);
  });

  it('acknowledges a redelivery but stores and processes the event once', async () => {
    const { inbox, processed, receiver } = receiverWithInbox();
    const raw = encode(JSON.stringify(envelope()));
    const log = pino({ level: 'silent' });
    const receipts = [
      await receiver.receive({ raw, signature: sign(raw), log }),
      await receiver.receive({ raw, signature: sign(raw), log }),
    ];
    expect(receipts).toEqual([{ ok: true }, { ok: true }]);
    expect(inbox.size).toBe(1);
    expect(processed).toHaveLength(1);
  });

  it("stores the bot's own messages as its own and processes none of them", async () => {
    const { inbox, processed, receiver } = receiverWithInbox();
    const raw = encode(JSON.stringify(envelope({ personId: BOT_ID })));
    expect(await receiver.receive({ raw, signature: sign(raw), log: pino({ level: 'silent' }) })).toEqual({ ok: true });
    expect(inbox.get('messages:created:MSG1')!.own).toBe(true);
    expect(processed).toHaveLength(0);
  });
});

describe('the Webex events route', () => {
  function appWith(receiver: ReturnType<typeof createWebexReceiver>) {
    const app = new Hono<WebexRouteEnv>();
    app.use('*', async (c, next) => {
      c.set('requestId', 'req-1');
      c.set('log', pino({ level: 'silent' }));
      await next();
    });
    app.route('/webex/events', createWebexEventRoutes(receiver));
    return app;
  }

  it("answers OK once stored, the API's error body on a refusal, and 413 from Content-Length alone", async () => {
    const { inbox, receiver } = receiverWithInbox();
    const app = appWith(receiver);
    const body = JSON.stringify(envelope());
    const ok = await app.request('/webex/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': sign(body) },
      body,
    });
    expect([ok.status, await ok.text()]).toEqual([200, 'OK']);
    const refused = await app.request('/webex/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': sign(body, 'wrong-secret-0123456') },
      body,
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      message: 'X-Spark-Signature mismatch: the webhook secret does not match WEBEX_WEBHOOK_SECRET',
      errors: [{ description: 'X-Spark-Signature mismatch: the webhook secret does not match WEBEX_WEBHOOK_SECRET', errorCode: 4012 }],
      trackingId: 'req-1',
    });
    const tooLarge = await app.request('/webex/events', {
      method: 'POST',
      headers: { 'content-length': String(MAX_WEBEX_EVENT_BYTES + 1) },
      body: 'x',
    });
    expect(tooLarge.status).toBe(413);
    expect(inbox.size).toBe(1);
  });
});
