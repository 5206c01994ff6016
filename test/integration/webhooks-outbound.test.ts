import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_EVENT_SCHEMAS, type OutboundEventType } from '../../src/contracts/webhook-subscriptions.js';
import { verifyEventRequest } from '../../src/webhooks/verify-signature.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { startReceiver } from '../support/receiver.js';

/** A posted body matches the contract of its type (the OpenAPI `webhooks` section is built from it). */
const contractProblems = (body: string) => {
  const payload = JSON.parse(body) as { type: OutboundEventType };
  return OUTBOUND_EVENT_SCHEMAS[payload.type].safeParse(payload).error?.issues;
};

describe(`outbound webhooks on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  beforeAll(async () => {
    // The receivers here listen on 127.0.0.1, which webhooks may reach only when the operator allows it.
    h = await createTestHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  async function subscribe(url: string, eventTypes: string[] = ['customer.status_changed']) {
    const res = await h.call('POST', '/v1/webhooks', { url, eventTypes });
    expect(res.status).toBe(201);
    return res.json();
  }
  const newCustomer = () =>
    h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, { externalId: `out-${++seq}`, customerInfo: { name: `Out ${seq}`, primaryEmail: `o${seq}@out.example` } }),
    );
  const deliveriesOf = async (subscriptionId: string) =>
    (await (await h.call('GET', `/v1/webhooks/deliveries?subscriptionId=${subscriptionId}`)).json()).items as Body[];

  it('validates subscriptions', async () => {
    for (const body of [
      { url: 'ftp://x.example', eventTypes: ['customer.status_changed'] },
      { url: 'http://x.example', eventTypes: ['customer.exploded'] },
      { url: 'http://x.example', eventTypes: [] },
      { url: 'http://x.example', eventTypes: ['customer.status_changed'], secret: 'short' },
    ]) {
      expect((await h.call('POST', '/v1/webhooks', body)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('delivers signed status changes written with the change itself', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const sub = await subscribe(receiver.url);
      // A refused request changes nothing, so it queues nothing.
      expect((await h.call('POST', '/v1/wholesale/customers', customerBody(templateId, { packages: ['nope'] }))).status).toBe(400);
      expect(await deliveriesOf(sub.id)).toEqual([]);
      expect((await newCustomer()).status).toBe(202);
      await h.worker.drain();
      expect(await h.dispatcher.drain()).toBe(2);
      expect(receiver.received).toHaveLength(2);
      const events = receiver.received.map((r) => JSON.parse(r.body));
      expect(events.map((e) => [e.type, e.data.previousStatus, e.data.status])).toEqual([
        ['customer.status_changed', null, 'provisioning'],
        ['customer.status_changed', 'provisioning', 'provisioned'],
      ]);
      for (const r of receiver.received) {
        expect(
          verifyEventRequest({
            signature: r.headers['webhook-signature'] as string,
            body: Buffer.from(r.body),
            secrets: [sub.secret],
            now: Math.floor(h.clock.now().getTime() / 1000),
          }),
        ).toEqual({ ok: true });
        expect(r.headers['webhook-id']).toBe(JSON.parse(r.body).id);
        expect(contractProblems(r.body)).toBeUndefined();
      }
      expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
      expect((await h.call('DELETE', `/v1/webhooks/${sub.id}`)).status).toBe(204);
    } finally {
      await receiver.close();
    }
  });

  it('retries a receiver that fails twice (honouring Retry-After), then succeeds', async () => {
    const receiver = await startReceiver((_r, n) =>
      n === 1 ? { status: 500 } : n === 2 ? { status: 503, headers: { 'retry-after': '7' } } : { status: 200, body: 'ok' },
    );
    try {
      const sub = await subscribe(receiver.url);
      await newCustomer();
      await h.dispatcher.drain();
      let [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
      // Backoff after attempt 1 with equal jitter (random 0.5): 5 s × 0.75 = 3.75 s.
      expect(new Date(d!.nextAttemptAt).getTime() - h.clock.now().getTime()).toBe(3_750);
      h.clock.advance(3_750);
      await h.dispatcher.drain();
      [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: 503 });
      expect(new Date(d!.nextAttemptAt).getTime() - h.clock.now().getTime()).toBe(7_000);
      h.clock.advance(6_999);
      expect(await h.dispatcher.drain()).toBe(0);
      h.clock.advance(1);
      await h.dispatcher.drain();
      [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
      const log = await (await h.call('GET', `/v1/webhooks/deliveries/${d!.id}/attempts`)).json();
      expect(log.items.map((a: Body) => a.statusCode)).toEqual([500, 503, 200]);
      expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
      await h.call('DELETE', `/v1/webhooks/${sub.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('dead-letters a receiver that never succeeds, and a replay delivers once it is fixed', async () => {
    const receiver = await startReceiver(() => ({ status: 502 }));
    try {
      const sub = await subscribe(receiver.url);
      await newCustomer();
      for (let i = 0; i < 10; i += 1) {
        await h.dispatcher.drain();
        h.clock.advance(2 * 60 * 60_000);
      }
      let [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'dead', attempts: 8, lastStatusCode: 502 });
      expect(receiver.received).toHaveLength(8);
      const dead = await (await h.call('GET', '/v1/webhooks/deliveries?status=dead')).json();
      expect(dead.items.map((x: Body) => x.id)).toContain(d!.id);

      receiver.setResponder(() => ({ status: 200 }));
      expect((await h.call('POST', `/v1/webhooks/deliveries/${d!.id}/replay`)).status).toBe(202);
      expect((await h.call('POST', `/v1/webhooks/deliveries/${d!.id}/replay`)).status).toBe(409);
      await h.dispatcher.drain();
      [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(receiver.received).toHaveLength(9);
      await h.call('DELETE', `/v1/webhooks/${sub.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow redirects and reads at most 4 KB of an answer', async () => {
    const target = await startReceiver(() => ({ status: 200 }));
    const redirecting = await startReceiver(() => ({ status: 302, headers: { location: target.url } }));
    const chatty = await startReceiver(() => ({ status: 200, body: 'x'.repeat(5_000_000) }));
    try {
      const r1 = await subscribe(redirecting.url);
      const r2 = await subscribe(chatty.url);
      await newCustomer();
      await h.dispatcher.drain();
      const [d1] = await deliveriesOf(r1.id);
      expect(d1).toMatchObject({ status: 'pending', lastStatusCode: 302 });
      expect(d1!.lastError).toMatch(/redirect .* not followed/);
      expect(target.received).toHaveLength(0);
      const [d2] = await deliveriesOf(r2.id);
      expect(d2).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
      await h.call('DELETE', `/v1/webhooks/${r1.id}`);
      await h.call('DELETE', `/v1/webhooks/${r2.id}`);
    } finally {
      await Promise.all([target.close(), redirecting.close(), chatty.close()]);
    }
  });

  it('tells subscribers about subscribers and billing reports too', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    try {
      await subscribe(receiver.url, ['subscriber.status_changed', 'billing_report.completed']);
      const c = await provisionCustomer(
        h,
        customerBody(templateId, { externalId: `out-${++seq}`, customerInfo: { name: 'Subs', primaryEmail: `s${seq}@out.example` } }),
      );
      const sub = await (
        await h.call('POST', '/v1/wholesale/subscribers', {
          customerId: c.id,
          email: `u${seq}@out.example`,
          packages: ['webex_meetings'],
          provisioningParameters: { firstName: 'Test', lastName: 'User' },
        })
      ).json();
      expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`)).status).toBe(204);
      await h.call('POST', '/v1/wholesale/billing/reports', { billingStartDate: '2026-06-01', billingEndDate: '2026-06-14' });
      await h.worker.drain();
      await h.dispatcher.drain();
      const types = receiver.received.map((r) => JSON.parse(r.body)).map((e) => [e.type, e.data.status]);
      for (const r of receiver.received) expect(contractProblems(r.body)).toBeUndefined();
      expect(types).toEqual([
        ['subscriber.status_changed', 'provisioned'],
        ['subscriber.status_changed', 'deleted'],
        ['billing_report.completed', 'COMPLETED'],
      ]);
    } finally {
      await receiver.close();
    }
  });
});
