import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { DELIVERY_LEASE_MS, type DeliveryAttempt, type OutboundDelivery } from '../../src/use-cases/run-delivery-batch.js';
import { DELIVERY_TIMEOUT_MS } from '../../src/webhooks/post-delivery.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { startReceiver } from '../support/receiver.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** A plain POST with a long timeout: the black hole below must stay pending for the whole test. */
async function postLong(d: OutboundDelivery): Promise<DeliveryAttempt> {
  try {
    const res = await fetch(d.url, { method: 'POST', body: d.payload, signal: AbortSignal.timeout(120_000) });
    await res.arrayBuffer();
    return { statusCode: res.status, error: res.ok ? null : `receiver answered ${res.status}`, retryAfter: null };
  } catch (e) {
    return { statusCode: null, error: String(e), retryAfter: null };
  }
}

const waitFor = (what: string, check: () => boolean | Promise<boolean>, deadlineMs = 10_000): Promise<void> =>
  vi.waitFor(
    async () => {
      if (!(await check())) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: deadlineMs, interval: 25 },
  );

/** Outbound lanes (issue 14, finding 5): a slow receiver holds only its own lane; deleted subscriptions stop. */
describe(`webhook delivery lanes on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  beforeAll(async () => {
    // The receivers here listen on 127.0.0.1, which webhooks may reach only when the operator allows it.
    h = await createTestHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  const subscribe = async (url: string) => {
    const res = await h.call('POST', '/v1/webhooks', { url, eventTypes: ['customer.status_changed'] });
    expect(res.status).toBe(201);
    return (await res.json()) as Body;
  };
  const newCustomer = () =>
    h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, { externalId: `ln-${++seq}`, customerInfo: { name: `Lane ${seq}`, primaryEmail: `l${seq}@ln.example` } }),
    );
  const deliveriesOf = async (subscriptionId: string, status = '') =>
    (await (await h.call('GET', `/v1/webhooks/deliveries?subscriptionId=${subscriptionId}&status=${status}`)).json()).items as Body[];
  const dispatcherWith = (send: (d: OutboundDelivery, at: Date) => Promise<DeliveryAttempt>) =>
    createWebhookDispatcher({
      useCases: h.useCases,
      logger: pino({ level: 'silent' }),
      clock: h.clock,
      pollMs: 50,
      random: () => 0.5,
      send,
    });

  it("a black-hole receiver does not hold back another receiver's deliveries", async () => {
    // Accepts the connection and the request, and never answers.
    const held: IncomingMessage[] = [];
    const blackHole = createServer((req) => held.push(req));
    blackHole.listen(0, '127.0.0.1');
    await once(blackHole, 'listening');
    const good = await startReceiver(() => ({ status: 204 }));
    const dispatcher = dispatcherWith(postLong);
    const subscriptions: string[] = [];
    try {
      const hole = await subscribe(`http://127.0.0.1:${(blackHole.address() as { port: number }).port}/hooks`);
      const other = await subscribe(good.url);
      subscriptions.push(hole.id, other.id);
      expect((await newCustomer()).status).toBe(202);
      dispatcher.start();
      await waitFor('the first delivery to the good receiver', () => good.received.length === 1);
      await waitFor('the black hole to hold a request', () => held.length === 1);
      // New events arrive while the black hole holds its delivery: the good receiver gets them anyway.
      await h.worker.drain();
      await waitFor(
        'the second delivery to the good receiver',
        async () => (await deliveriesOf(other.id)).filter((d) => d.status === 'delivered').length === 2,
      );
      expect(good.received).toHaveLength(2);
      // The black hole's lane: one in flight (no attempt recorded yet), the next not even claimed.
      const [first, second] = await deliveriesOf(hole.id);
      expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: null });
      expect(second).toMatchObject({ status: 'pending', attempts: 0 });
      expect(held).toHaveLength(1);
    } finally {
      for (const id of subscriptions) await h.call('DELETE', `/v1/webhooks/${id}`);
      blackHole.closeAllConnections();
      blackHole.close();
      await dispatcher.stop();
      await good.close();
    }
  });

  it('deleting a subscription cancels its pending deliveries: nothing more is sent', async () => {
    const receiver = await startReceiver(() => ({ status: 500 }));
    const sub = await subscribe(receiver.url);
    try {
      await newCustomer();
      await h.worker.drain();
      const dispatcher = dispatcherWith(postLong);
      await dispatcher.drain();
      expect(receiver.received).toHaveLength(2);
      expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['pending', 'pending']);

      expect((await h.call('DELETE', `/v1/webhooks/${sub.id}`)).status).toBe(204);
      expect((await deliveriesOf(sub.id)).map((d) => [d.status, d.lastError])).toEqual([
        ['cancelled', 'subscription deleted'],
        ['cancelled', 'subscription deleted'],
      ]);
      expect(await deliveriesOf(sub.id, 'cancelled')).toHaveLength(2);
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(2 * 60 * 60_000);
        expect(await dispatcher.drain()).toBe(0);
      }
      // Even a delivery left pending for a deleted subscription (as before this fix) is never claimed.
      await sql`update webhook_deliveries set status = 'pending' where subscription_id = ${sub.id}`.execute(h.db);
      expect(await dispatcher.drain()).toBe(0);
      expect(receiver.received).toHaveLength(2);
    } finally {
      await h.call('DELETE', `/v1/webhooks/${sub.id}`);
      await receiver.close();
    }
  });

  it('the lease covers the batch: one delivery per receiver is claimed, and it starts at once', async () => {
    const sub = await subscribe('http://127.0.0.1:9/never-reached');
    await newCustomer();
    await newCustomer();
    await h.worker.drain();
    expect(await deliveriesOf(sub.id)).toHaveLength(4);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const sent: number[] = [];
    const dispatcher = dispatcherWith(async (d) => {
      sent.push(d.id);
      await gate;
      return { statusCode: 204, error: null, retryAfter: null };
    });
    try {
      dispatcher.start();
      await waitFor('the first send', () => sent.length === 1);
      const leased = await sql<{ n: number | string }>`
        select count(*) as n from webhook_deliveries where subscription_id = ${sub.id} and locked_until is not null`.execute(h.db);
      // Nothing waits under a lease behind a slow delivery: the three others are unclaimed.
      expect(Number(leased.rows[0]!.n)).toBe(1);
      expect((await deliveriesOf(sub.id)).map((d) => d.attempts)).toEqual([1, 0, 0, 0]);
    } finally {
      release();
      await dispatcher.stop();
    }
    await dispatcher.drain();
    expect(sent).toHaveLength(4);
    // In order, one at a time.
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    await h.call('DELETE', `/v1/webhooks/${sub.id}`);
    // So the one claimed delivery ends (the sender's timeout) long before its lease does.
    expect(DELIVERY_TIMEOUT_MS).toBeLessThan(DELIVERY_LEASE_MS / 2);
  });
});
