import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxWriter } from '../../src/webhooks/inbox-writer.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { EVENTS_SECRET, postEvent } from '../support/signed-events.js';

/** `{"x": [[[…]]]}` nested `depth` levels in all. */
const deepRaw = (envelope: Record<string, unknown>, depth: number) => {
  const body = JSON.stringify({ ...envelope, data: { ...(envelope.data as object), x: '@' } });
  return body.replace('"@"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
};

describe(`hostile JSON nesting on ${testDbKind()}`, () => {
  let h: TestHarness;
  const storedIds = async (prefix: string) =>
    (await h.db.selectFrom('inbound_events').select('id').where('id', 'like', `${prefix}%`).execute()).map((r) => r.id).sort();

  beforeAll(async () => {
    h = await createTestHarness({ env: { EVENTS_SECRETS: EVENTS_SECRET } });
  });
  afterAll(() => h.close());

  it('a signed 5,000-level event answers 400 (json_too_deep) and the 30 events sent with it are all stored once', async () => {
    const at = h.clock.now().toISOString();
    const normal = Array.from({ length: 30 }, (_, i) => ({
      id: `deep-n-${String(i).padStart(2, '0')}`,
      type: 'customer.delete',
      occurredAt: at,
      data: { customerExternalId: `cust-${i}` },
    }));
    const bad = { id: 'deep-bad', type: 'customer.delete', occurredAt: at, data: { customerExternalId: 'cust-bad' } };
    const responses = await Promise.all([
      ...normal.slice(0, 15).map((e) => postEvent(h, e)),
      postEvent(h, bad, { raw: deepRaw(bad, 5000) }),
      ...normal.slice(15).map((e) => postEvent(h, e)),
    ]);
    const badRes = responses[15] as Response;
    expect(badRes.status).toBe(400);
    const body = (await badRes.json()) as { errors: { errorCode: number; description: string }[] };
    expect(body.errors[0]).toMatchObject({ errorCode: 4003 });
    expect(body.errors[0]?.description).toMatch(/deeper than 32/);
    const others = responses.filter((_, i) => i !== 15);
    expect(others.map((r) => r.status)).toEqual(others.map(() => 202));
    expect(await storedIds('deep-')).toEqual(normal.map((e) => e.id));
  });

  it('exactly 32 levels is accepted, 33 refused', async () => {
    const at = h.clock.now().toISOString();
    const e = (id: string) => ({ id, type: 'customer.delete', occurredAt: at, data: { customerExternalId: id } });
    // The envelope and data objects are two levels: 30 more reach 32.
    expect((await postEvent(h, e('lvl-32'), { raw: deepRaw(e('lvl-32'), 30) })).status).toBe(202);
    expect((await postEvent(h, e('lvl-33'), { raw: deepRaw(e('lvl-33'), 31) })).status).toBe(400);
  });

  it('a JSON API body nested too deep answers 400, not 500', async () => {
    const raw = `{"customerInfo":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await h.app.request('/v1/wholesale/customers', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { errorCode: number }[] }).errors[0]?.errorCode).toBe(4003);
  });

  it('one event the database refuses fails alone: its group-commit neighbours are stored once and acknowledged', async () => {
    const writer = createInboxWriter(h.useCases);
    const at = h.clock.now();
    const event = (id: string, data: Record<string, unknown>) => ({
      id,
      type: 'customer.delete' as const,
      occurredAt: at,
      data,
      orderingKey: `customer:${id}`,
      partnerId: h.partnerId,
      receivedAt: at,
    });
    const ids = Array.from({ length: 30 }, (_, i) => `group-${String(i).padStart(2, '0')}`);
    // PostgreSQL cannot store NUL in jsonb: the multi-row INSERT holding it fails as a whole.
    const outcomes = await Promise.allSettled([
      ...ids.slice(0, 10).map((id) => writer.write(event(id, { customerExternalId: id }))),
      writer.write(event('group-bad', { customerExternalId: 'x\u0000y' })),
      ...ids.slice(10).map((id) => writer.write(event(id, { customerExternalId: id }))),
      writer.write(event('group-00', { customerExternalId: 'group-00' })),
    ]);
    expect(outcomes[10]?.status).toBe('rejected');
    const rest = outcomes.filter((_, i) => i !== 10);
    expect(rest.map((o) => (o.status === 'fulfilled' ? o.value : o.reason))).toEqual([...ids.map(() => true), false]);
    expect(await storedIds('group-')).toEqual(ids);
  });
});
