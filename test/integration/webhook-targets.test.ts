import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { createDeliverySender, type ResolvedAddress } from '../../src/webhooks/post-delivery.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { startReceiver } from '../support/receiver.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** Webhook targets (issue 14, finding 4): no loopback, private, link-local or metadata address, at registration or after DNS. */
describe(`webhook targets on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  beforeAll(async () => {
    // No WEBHOOK_ALLOWED_HOSTS: only public addresses may be subscribed.
    h = await createTestHarness();
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  const newCustomer = () =>
    h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, { externalId: `tg-${++seq}`, customerInfo: { name: `Target ${seq}`, primaryEmail: `t${seq}@tg.example` } }),
    );
  const deliveriesOf = async (subscriptionId: string) =>
    (await (await h.call('GET', `/v1/webhooks/deliveries?subscriptionId=${subscriptionId}`)).json()).items as Body[];

  it.each([
    'http://127.0.0.1:9/hook',
    'http://[::1]/hook',
    'http://0x7f000001/hook',
    'http://2130706433/hook',
    'http://localhost:3000/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://10.0.0.1/hook',
    'http://172.16.5.4/hook',
    'http://192.168.1.1/hook',
    'http://0.0.0.0/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'https://user:pass@hooks.example.com/hook',
  ])('refuses to register %s', async (url) => {
    const res = await h.call('POST', '/v1/webhooks', { url, eventTypes: ['customer.status_changed'] });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].errorCode).toBe(4020);
    expect(body.message).toMatch(/WEBHOOK_ALLOWED_HOSTS|credentials/);
  });

  it('registers a public host name (checked again at every delivery)', async () => {
    const res = await h.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/in', eventTypes: ['customer.status_changed'] });
    expect(res.status).toBe(201);
    await h.call('DELETE', `/v1/webhooks/${(await res.json()).id}`);
  });

  it('never shows credentials of a URL stored before they were refused', async () => {
    const res = await h.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/creds', eventTypes: ['customer.status_changed'] });
    const sub = await res.json();
    await sql`update webhook_subscriptions set url = 'https://alice:s3cret@hooks.example.com/creds' where id = ${sub.id}`.execute(h.db);
    await newCustomer();
    const listed = await (await h.call('GET', '/v1/webhooks')).json();
    const deliveries = await deliveriesOf(sub.id);
    expect(deliveries.length).toBeGreaterThan(0);
    const shown = JSON.stringify([listed, deliveries]);
    expect(shown).not.toContain('s3cret');
    expect(shown).not.toContain('alice');
    expect(shown).toContain('https://hooks.example.com/creds');
    await h.call('DELETE', `/v1/webhooks/${sub.id}`);
  });

  it('refuses at delivery a name that resolves to loopback, and parks it; the allow-list lets it through', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const port = new URL(receiver.url).port;
      // A public-looking name: accepted at registration, where no DNS is asked.
      const res = await h.call('POST', '/v1/webhooks', {
        url: `http://hooks.partner.invalid:${port}/hooks`,
        eventTypes: ['customer.status_changed'],
      });
      expect(res.status).toBe(201);
      const sub = await res.json();
      // …that now resolves to loopback (DNS rebinding, or a record changed since).
      const lookups: string[] = [];
      const resolve = async (host: string): Promise<ResolvedAddress[]> => {
        lookups.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      };
      const dispatcherWith = (allowedHosts: string[]) =>
        createWebhookDispatcher({
          useCases: h.useCases,
          logger: pino({ level: 'silent' }),
          clock: h.clock,
          pollMs: 50,
          random: () => 0.5,
          send: createDeliverySender({ allowedHosts, resolve }),
        });

      await newCustomer();
      await dispatcherWith([]).drain();
      let [d] = await deliveriesOf(sub.id);
      // Refused: recorded as a failed attempt with the reason, and parked rather than retried.
      expect(d).toMatchObject({ status: 'dead', attempts: 1, lastStatusCode: null });
      expect(d!.lastError).toMatch(
        /^refused: hooks\.partner\.invalid resolved to 127\.0\.0\.1, not a public address \(loopback\).*WEBHOOK_ALLOWED_HOSTS/,
      );
      const attempts = await (await h.call('GET', `/v1/webhooks/deliveries/${d!.id}/attempts`)).json();
      expect(attempts.items).toEqual([expect.objectContaining({ statusCode: null, error: d!.lastError })]);
      expect(receiver.received).toHaveLength(0);
      h.clock.advance(2 * 60 * 60_000);
      expect(await dispatcherWith([]).drain()).toBe(0);
      expect(receiver.received).toHaveLength(0);

      // The operator allows the address; a replay delivers, to the address that was checked.
      expect((await h.call('POST', `/v1/webhooks/deliveries/${d!.id}/replay`)).status).toBe(202);
      await dispatcherWith(['127.0.0.1']).drain();
      [d] = await deliveriesOf(sub.id);
      expect(d).toMatchObject({ status: 'delivered', lastStatusCode: 204 });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.headers.host).toBe(`hooks.partner.invalid:${port}`);
      // One lookup per attempt: the connection used the checked answer, not a second lookup.
      expect(lookups).toEqual(['hooks.partner.invalid', 'hooks.partner.invalid']);
      await h.call('DELETE', `/v1/webhooks/${sub.id}`);
    } finally {
      await receiver.close();
    }
  });

  it('refuses at delivery a stored subscription to a literal private address', async () => {
    const res = await h.call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/lit', eventTypes: ['customer.status_changed'] });
    const sub = await res.json();
    // Registered before the check existed.
    await sql`update webhook_subscriptions set url = 'http://169.254.169.254/latest/meta-data/' where id = ${sub.id}`.execute(h.db);
    await newCustomer();
    const resolve = async (): Promise<ResolvedAddress[]> => {
      throw new Error('no DNS for a literal address');
    };
    await createWebhookDispatcher({
      useCases: h.useCases,
      logger: pino({ level: 'silent' }),
      clock: h.clock,
      pollMs: 50,
      send: createDeliverySender({ resolve }),
    }).drain();
    const [d] = await deliveriesOf(sub.id);
    expect(d).toMatchObject({ status: 'dead', attempts: 1 });
    expect(d!.lastError).toMatch(/^refused: url host 169\.254\.169\.254 is not a public address \(linkLocal\)/);
    await h.call('DELETE', `/v1/webhooks/${sub.id}`);
  });
});
