import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { countRows, customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { EVENTS_SECRET, OLD_EVENTS_SECRET, postEvent } from '../support/signed-events.js';

describe(`inbound events on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let n = 0;
  const envelope = (type: string, data: Body, occurredAt = h.clock.now().toISOString(), id = `evt-${++n}`) => ({
    id,
    type,
    occurredAt,
    data,
  });
  /** What a refused event must not leave behind: a stored event, or queued work. */
  const stored = async () => ({
    events: Number(
      (
        await h.db
          .selectFrom('inbound_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    tasks: await countRows(h, 'tasks'),
  });

  beforeAll(async () => {
    h = await createTestHarness({ env: { EVENTS_SECRETS: `${EVENTS_SECRET},${OLD_EVENTS_SECRET}` } });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  it('stores a signed event, answers 202, and the inbox applies it', async () => {
    const res = await postEvent(
      h,
      envelope(
        'customer.provision',
        customerBody(templateId, { externalId: 'evt-cust-1', customerInfo: { name: 'Event Co', primaryEmail: 'a@event.example' } }),
      ),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'accepted' });
    expect(await h.inbox.drain()).toBe(1);
    await h.worker.drain();
    const list = await (await h.call('GET', '/v1/wholesale/customers?externalId=evt-cust-1')).json();
    expect(list.items[0]).toMatchObject({ status: 'provisioned' });
    const audit = await h.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'customer.create')
      .where('entity_id', '=', list.items[0].id)
      .execute();
    expect(audit.map((a) => a.actor)).toEqual([`evt-${n}`].map((id) => `event:${id}`));
  });

  it('accepts the previous secret during rotation', async () => {
    const res = await postEvent(h, envelope('customer.delete', { customerExternalId: 'nobody' }), { secret: OLD_EVENTS_SECRET });
    expect(res.status).toBe(202);
  });

  it.each<[string, (e: Body) => Parameters<typeof postEvent>[2], number]>([
    ['a wrong secret', () => ({ secret: 'not-the-secret-0123456789' }), 401],
    ['no signature', () => ({ header: null }), 401],
    ['a malformed signature header', () => ({ header: 'sha256=deadbeef' }), 401],
    ['a stale signature', () => ({ at: Math.floor(h.clock.now().getTime() / 1000) - 301 }), 401],
    ['a signature from the future', () => ({ at: Math.floor(h.clock.now().getTime() / 1000) + 301 }), 401],
    ['malformed JSON', () => ({ raw: '{"id": "x",' }), 400],
    [
      'an unknown event type',
      () => ({ raw: JSON.stringify({ id: 'x1', type: 'customer.explode', occurredAt: '2026-06-15T12:00:00Z', data: {} }) }),
      400,
    ],
    [
      'data that does not match the type',
      () => ({
        raw: JSON.stringify({ id: 'x2', type: 'subscriber.provision', occurredAt: '2026-06-15T12:00:00Z', data: { email: 'nope' } }),
      }),
      400,
    ],
    [
      'a NUL character in a string',
      () => ({
        raw: JSON.stringify({ id: 'x5', type: 'customer.delete', occurredAt: '2026-06-15T12:00:00Z', data: { customerId: 'a\u0000b' } }),
      }),
      400,
    ],
    ['a missing occurredAt', () => ({ raw: JSON.stringify({ id: 'x3', type: 'customer.delete', data: { customerId: 'c' } }) }), 400],
    [
      'an oversize body',
      () => ({
        raw: JSON.stringify({
          id: 'x4',
          type: 'customer.delete',
          occurredAt: '2026-06-15T12:00:00Z',
          data: { customerId: 'x'.repeat(300_000) },
        }),
      }),
      413,
    ],
  ])('refuses %s and stores nothing', async (_name, opts, status) => {
    const before = await stored();
    const res = await postEvent(h, envelope('customer.delete', { customerId: 'abc' }), opts({}));
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.errors[0].description).toBeTruthy();
    expect(await stored()).toEqual(before);
  });

  it('applies an event delivered three times exactly once', async () => {
    const e = envelope(
      'customer.provision',
      customerBody(templateId, { externalId: 'thrice', customerInfo: { name: 'Thrice', primaryEmail: 't@thrice.example' } }),
    );
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postEvent(h, e)).status);
    expect(statuses).toEqual([202, 200, 200]);
    await h.inbox.drain();
    const rows = await h.db.selectFrom('customers').select('id').where('external_id', '=', 'thrice').execute();
    expect(rows).toHaveLength(1);
    const creates = await h.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'customer.create')
      .where('entity_id', '=', rows[0]!.id)
      .execute();
    expect(creates).toHaveLength(1);
  });

  it("applies one customer's events in occurredAt order, and waits for a customer that does not exist yet", async () => {
    const t0 = h.clock.now().getTime();
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    // The update (t+3) and the creation (t+1) arrive together, the update first.
    await postEvent(
      h,
      envelope('customer.update', { customerExternalId: 'ordered', packages: ['webex_calling', 'webex_meetings', 'webex_suite'] }, at(3)),
    );
    await postEvent(
      h,
      envelope(
        'customer.provision',
        customerBody(templateId, { externalId: 'ordered', customerInfo: { name: 'Ordered', primaryEmail: 'o@ordered.example' } }),
        at(1),
      ),
    );
    // A subscriber for the customer comes before the customer is provisioned.
    await postEvent(
      h,
      envelope(
        'subscriber.provision',
        {
          customerExternalId: 'ordered',
          email: 'early@ordered.example',
          packages: ['webex_meetings'],
          provisioningParameters: { firstName: 'Early', lastName: 'Bird' },
        },
        at(2),
      ),
    );
    for (let i = 0; i < 12; i += 1) {
      await h.inbox.drain();
      await h.worker.drain();
      h.clock.advance(30_000);
    }
    const events = await h.db
      .selectFrom('inbound_events')
      .select(['type', 'status', 'last_error'])
      .where('ordering_key', '=', 'customer:ordered')
      .orderBy('occurred_at')
      .execute();
    expect(events.map((e) => [e.type, e.status])).toEqual([
      ['customer.provision', 'done'],
      ['subscriber.provision', 'done'],
      ['customer.update', 'done'],
    ]);
    const c = (await (await h.call('GET', '/v1/wholesale/customers?externalId=ordered')).json()).items[0];
    expect(c).toMatchObject({ status: 'provisioned', packages: ['webex_calling', 'webex_meetings', 'webex_suite'] });
    const subs = await (await h.call('GET', `/v1/wholesale/subscribers?customerId=${encodeURIComponent(c.id)}`)).json();
    expect(subs.items.map((s: Body) => [s.email, s.status, s.isAdmin])).toEqual([['early@ordered.example', 'provisioned', true]]);
  });

  it('parks a failing event with its error, lists it, and replays it once fixed', async () => {
    await postEvent(
      h,
      envelope(
        'subscriber.update',
        { email: 'later@parked.example', packages: ['webex_meetings'] },
        h.clock.now().toISOString(),
        'evt-parked',
      ),
    );
    await postEvent(
      h,
      envelope(
        'customer.provision',
        customerBody('no-such-template', { externalId: 'bad-template' }),
        h.clock.now().toISOString(),
        'evt-bad',
      ),
    );
    for (let i = 0; i < 10; i += 1) {
      await h.inbox.drain();
      h.clock.advance(11 * 60_000);
    }
    const failed = await (await h.call('GET', '/v1/events/failed')).json();
    const byId = Object.fromEntries(failed.items.map((e: Body) => [e.id, e]));
    expect(byId['evt-bad'].error).toMatch(/template_not_found/);
    expect(byId['evt-bad'].attempts).toBe(1);
    expect(byId['evt-parked'].error).toMatch(/subscriber_not_found/);
    expect(byId['evt-parked'].attempts).toBe(8);
    expect((await h.call('GET', '/v1/events/failed', undefined, { token: null })).status).toBe(401);

    // The subscriber now exists; replay the parked event.
    const c = (await (await h.call('GET', '/v1/wholesale/customers?externalId=ordered')).json()).items[0];
    expect(
      (
        await h.call('POST', '/v1/wholesale/subscribers', {
          customerId: c.id,
          email: 'later@parked.example',
          packages: ['webex_calling'],
          provisioningParameters: { firstName: 'Later', lastName: 'Parked', extension: '4444' },
        })
      ).status,
    ).toBe(200);
    expect((await h.call('POST', '/v1/events/evt-parked/replay')).status).toBe(202);
    expect((await h.call('POST', '/v1/events/evt-parked/replay')).status).toBe(409);
    expect((await h.call('POST', '/v1/events/nope/replay')).status).toBe(404);
    await h.inbox.drain();
    const sub = await (await h.call('GET', '/v1/wholesale/subscribers?email=later@parked.example')).json();
    expect(sub.items[0].package).toBe('webex_meetings');
    const ev = await h.db.selectFrom('inbound_events').select(['status']).where('id', '=', 'evt-parked').executeTakeFirstOrThrow();
    expect(ev.status).toBe('done');
  });

  it('answers 403 with a hint when EVENTS_SECRETS is not set', async () => {
    const plain = await createTestHarness({ sharingDatabaseOf: h }); // the same database, without EVENTS_SECRETS
    try {
      const res = await postEvent(plain, {
        id: 'e',
        type: 'customer.delete',
        occurredAt: '2026-06-15T12:00:00Z',
        data: { customerId: 'x' },
      });
      expect(res.status).toBe(403);
      expect((await res.json()).message).toContain('EVENTS_SECRETS');
    } finally {
      await plain.close();
    }
  });

  it('answers 503 with Retry-After and acknowledges nothing when the database is down', async () => {
    const down = await createTestHarness({ env: { EVENTS_SECRETS: EVENTS_SECRET } });
    await down.db.destroy();
    const res = await postEvent(down, {
      id: 'while-down',
      type: 'customer.delete',
      occurredAt: '2026-06-15T12:00:00Z',
      data: { customerId: 'x' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    await down.testDb.dispose();
  });
});
