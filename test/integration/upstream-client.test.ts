import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/platform/secret-box.js';
import { UpstreamError, type WebexWholesalePort } from '../../src/ports.js';
import { createRefreshTokenStore, WEBEX_REFRESH_TOKEN_SECRET } from '../../src/use-cases/upstream-credentials.js';
import { createWholesaleClient, type WholesaleClientOptions } from '../../src/webex/wholesale-client.js';
import { createFixedToken, createOAuthTokens } from '../../src/webex/wholesale-tokens.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/** The Webex Wholesale adapter against the fake: Cisco's shapes, waits, retries, refreshes, the circuit. */
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
let fake: FakeWebexWholesale | undefined;
let harness: TestHarness | undefined;

afterEach(async () => {
  await fake?.close();
  await harness?.close();
  fake = undefined;
  harness = undefined;
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

function clientFor(f: FakeWebexWholesale, over: Partial<WholesaleClientOptions> = {}): WebexWholesalePort {
  return createWholesaleClient({
    apiUrl: f.apiUrl,
    tokens: createFixedToken(TOKEN),
    logger: pino({ level: 'silent' }),
    timeoutMs: 2_000,
    concurrency: 4,
    backoff: { baseMs: 10, capMs: 50 },
    random: () => 0.5,
    ...over,
  });
}

const customer = (externalId: string) => ({
  provisioningId: 'prov-1',
  externalId,
  packages: ['webex_calling', 'webex_meetings'],
  address: { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
  customerInfo: { name: 'Acme', primaryEmail: `${externalId}@example.com` },
});

const until = async <T>(fn: () => Promise<T | undefined>, ms = 5_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Webex Wholesale client', () => {
  it('creates and polls a customer on the configured base (never the host in the 202 url), valid against Cisco’s document', async () => {
    fake = await startFakeWebexWholesale({ settleMs: 50 });
    const client = clientFor(fake);
    const { customerId } = await client.createCustomer(customer('crm-1'));
    expect(fake.customers.has(customerId)).toBe(true);
    const settled = await until(async () => {
      const c = await client.getCustomer(customerId);
      return c?.status === 'provisioned' ? c : undefined;
    });
    expect(settled.orgId).toEqual(expect.any(String));
    expect(settled.resourceDetails?.packages?.map((p) => p.status)).toEqual(['provisioned', 'provisioned']);
    expect((await client.findCustomerByExternalId('crm-1'))?.id).toBe(customerId);
    expect(await client.findCustomerByExternalId('crm-none')).toBeUndefined();
    expect(await client.getCustomer('no-such-id')).toBeUndefined();
    fake.assertValid();
  });

  it('creates subscribers: 200 provisioned, 202 pending_user_migration; finds them by email; resends the consent email; carries onBehalfOfSubPartnerOrgId', async () => {
    fake = await startFakeWebexWholesale();
    const client = clientFor(fake);
    const sub = fake.seedCustomer({ externalId: 'crm-sp', subPartnerOrgId: 'sub-org-1' });
    fake.addFreeUser('free@example.com');
    const o = { subPartnerOrgId: 'sub-org-1' };
    const body = (email: string) => ({
      customerId: sub.id,
      email,
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Lee', extension: '1001' },
    });
    const a = await client.createSubscriber(body('ann@example.com'), o);
    expect([a.status, a.subscriber.status]).toEqual([200, 'provisioned']);
    const b = await client.createSubscriber(body('free@example.com'), o);
    expect([b.status, b.subscriber.status]).toEqual([202, 'pending_user_migration']);
    await client.resendConsentEmail(b.subscriber.id, o);
    expect(fake.subscribers.get(b.subscriber.id)?.consentEmailsSent).toBe(2);
    expect((await client.findSubscriberByEmail('ANN@example.com', o))?.id).toBe(a.subscriber.id);
    // Without the sub-partner's org id, Webex does not show its customers.
    expect(await client.findSubscriberByEmail('ann@example.com')).toBeUndefined();
    expect(fake.requests.filter((r) => r.method === 'POST').every((r) => r.query.onBehalfOfSubPartnerOrgId === 'sub-org-1')).toBe(true);
    fake.assertValid();
  });

  it('follows Link rel="next" through every page, staying on the configured base', async () => {
    fake = await startFakeWebexWholesale();
    for (let i = 0; i < 250; i++) fake.seedCustomer({ externalId: `crm-${i}` });
    const client = clientFor(fake);
    const seen: string[] = [];
    for await (const page of client.listCustomers()) seen.push(...page.map((c) => c.externalId ?? ''));
    expect(new Set(seen).size).toBe(250);
    expect(fake.requests.filter((r) => r.path === '/wholesale/customers')).toHaveLength(3);
    fake.assertValid();
  });

  it.each([429, 423] as const)(
    'waits for Retry-After on %i, then succeeds (POST included: the request was not applied)',
    async (status) => {
      fake = await startFakeWebexWholesale();
      const clock = new TestClock();
      const client = clientFor(fake, { clock });
      fake.inject({ kind: 'status', status, retryAfterSeconds: 1, method: 'POST', path: '/wholesale/customers' });
      const t0 = clock.now().getTime();
      await clock.run(client.createCustomer(customer('crm-w')));
      expect(clock.now().getTime() - t0).toBeGreaterThanOrEqual(950);
      expect(fake.customers.size).toBe(1);
      fake.assertValid();
    },
  );

  it('retries an idempotent call after 5xx, a timeout and a dropped connection, with backoff', async () => {
    fake = await startFakeWebexWholesale();
    const client = clientFor(fake, { timeoutMs: 200 });
    const c = fake.seedCustomer({ externalId: 'crm-r' });
    fake.inject({ kind: 'status', status: 503, method: 'GET' });
    fake.inject({ kind: 'delay', ms: 400, method: 'GET' });
    fake.inject({ kind: 'drop-before-apply', method: 'GET' });
    expect((await client.getCustomer(c.id))?.id).toBe(c.id);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
    fake.assertValid();
  });

  it('does not repeat a POST whose answer was lost: it reports the failure as ambiguous', async () => {
    fake = await startFakeWebexWholesale();
    const client = clientFor(fake);
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/customers' });
    const error = await client.createCustomer(customer('crm-lost')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'unavailable', details: { ambiguous: true } });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(fake.customers.size).toBe(1);
    fake.inject({ kind: 'status', status: 500, method: 'POST' });
    await expect(client.createCustomer(customer('crm-500'))).rejects.toMatchObject({ details: { status: 500, ambiguous: true } });
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('reports a refusal with Webex’s errors and trackingId, as rejected', async () => {
    fake = await startFakeWebexWholesale();
    const client = clientFor(fake);
    await client.createCustomer(customer('crm-dup'));
    const error = (await client.createCustomer(customer('crm-dup')).catch((e: unknown) => e)) as UpstreamError;
    expect(error).toMatchObject({ kind: 'rejected', details: { status: 409, errors: [{ errorCode: 10010 }] } });
    expect(error.details.trackingId).toMatch(/^FAKE_WHOLESALE_/);
    fake.assertValid();
  });

  it('opens the circuit after repeated failures, fails fast while open, and shows it in status()', async () => {
    fake = await startFakeWebexWholesale();
    const clock = new TestClock();
    const client = clientFor(fake, { maxAttempts: 1, circuit: { threshold: 3, openMs: 300 }, clock });
    const c = fake.seedCustomer({ externalId: 'crm-c' });
    fake.inject({ kind: 'status', status: 503, times: 3 });
    for (let i = 0; i < 3; i++) await expect(client.getCustomer(c.id)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(client.status().circuit?.state).toBe('open');
    const sent = fake.requests.length;
    await expect(client.getCustomer(c.id)).rejects.toThrow(/circuit is open/);
    expect(fake.requests.length).toBe(sent);
    clock.advance(320);
    expect((await client.getCustomer(c.id))?.id).toBe(c.id);
    expect(client.status().circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(client.status().lastError?.message).toMatch(/503/);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    // Webex takes 100 ms per answer (on the test clock): six calls two at a time take three rounds.
    const clock = new TestClock();
    let inFlight = 0;
    let most = 0;
    const client = createWholesaleClient({
      apiUrl: 'http://127.0.0.1:9/v1',
      tokens: createFixedToken(TOKEN),
      logger: pino({ level: 'silent' }),
      timeoutMs: 5_000,
      concurrency: 2,
      clock,
      fetch: async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await clock.sleep(100);
        inFlight -= 1;
        return new Response(JSON.stringify({ items: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const t0 = clock.now().getTime();
    await clock.run(Promise.all(Array.from({ length: 6 }, () => client.findCustomerByExternalId('x'))));
    expect(clock.now().getTime() - t0).toBeGreaterThanOrEqual(290);
    expect(most).toBe(2);
  });

  it('paces calls at ratePerSecond as they leave, even when several waited on a busy slot (no burst when slots free)', async () => {
    // Two slow answers hold both slots past the next pace slots; the calls waiting behind them must
    // still leave 1/ratePerSecond apart, since a burst is what Webex counts and answers 429.
    const sentAt: number[] = [];
    const clock = new TestClock();
    const client = createWholesaleClient({
      apiUrl: 'http://127.0.0.1:9/v1',
      tokens: createFixedToken(TOKEN),
      logger: pino({ level: 'silent' }),
      timeoutMs: 5_000,
      concurrency: 2,
      ratePerSecond: 10,
      clock,
      fetch: async () => {
        sentAt.push(clock.now().getTime());
        if (sentAt.length <= 2) await clock.sleep(500);
        return new Response(null, { status: 404 });
      },
    });
    await clock.run(Promise.all(Array.from({ length: 6 }, (_, i) => client.getSubscriber(`s${i}`))));
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(85);
  });

  it('logs every call with Webex’s trackingId', async () => {
    fake = await startFakeWebexWholesale();
    const { lines, logger } = capture();
    const client = clientFor(fake, { logger });
    await client.findCustomerByExternalId('a');
    await client.getCustomer('missing');
    const calls = lines.filter((l) => l.msg === 'Webex Wholesale call');
    expect(calls.map((l) => [l.method, l.status])).toEqual([
      ['GET', 200],
      ['GET', 404],
    ]);
    for (const l of calls) expect(l.trackingId).toMatch(/^FAKE_WHOLESALE_/);
  });

  it('refuses an answer that does not have Webex’s shape (zod at the boundary)', async () => {
    const client = createWholesaleClient({
      apiUrl: 'http://127.0.0.1:9/v1',
      tokens: createFixedToken(TOKEN),
      logger: pino({ level: 'silent' }),
      timeoutMs: 1_000,
      concurrency: 1,
      fetch: async () => new Response(JSON.stringify({ id: 'c1' }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    await expect(client.getCustomer('c1')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/unexpected answer/),
    });
  });
});

describe('OAuth integration tokens', () => {
  it('refreshes before the first call and after a 401, and stores the newest refresh token sealed under SECRETS_KEY', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    harness = await createTestHarness({ env: { SECRETS_KEY: key } });
    fake = await startFakeWebexWholesale({
      oauth: { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'configured-refresh-token-000000' },
    });
    const box = createSecretBox({ current: key });
    const stored = createRefreshTokenStore(harness.db, box, 'configured-refresh-token-000000', new TestClock());
    const tokens = createOAuthTokens({
      apiUrl: fake.apiUrl,
      clientId: 'cid',
      clientSecret: 'csecret',
      loadRefreshToken: stored.load,
      saveRefreshToken: stored.save,
      timeoutMs: 1_000,
      logger: pino({ level: 'silent' }),
    });
    const client = clientFor(fake, { tokens });
    await client.findCustomerByExternalId('x');
    const first = fake.currentRefreshToken()!;
    expect(await stored.load()).toBe(first);
    const row = await harness.db
      .selectFrom('app_secrets')
      .select('value')
      .where('name', '=', WEBEX_REFRESH_TOKEN_SECRET)
      .executeTakeFirstOrThrow();
    expect(row.value).toMatch(/^enc:v1:/);
    expect(row.value).not.toContain(first);

    fake.expireAccessToken();
    await client.findCustomerByExternalId('x');
    expect(fake.requests.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(fake.currentRefreshToken()).not.toBe(first);
    expect(await stored.load()).toBe(fake.currentRefreshToken());
    fake.assertValid();
  });

  it('refreshes ahead of expiry: a token with less than five minutes left is replaced before use', async () => {
    fake = await startFakeWebexWholesale({
      oauth: { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'configured-refresh-token-000000', accessTokenLifetimeSeconds: 240 },
    });
    let saved = 'configured-refresh-token-000000';
    let refreshes = 0;
    const tokens = createOAuthTokens({
      apiUrl: fake.apiUrl,
      clientId: 'cid',
      clientSecret: 'csecret',
      loadRefreshToken: async () => saved,
      saveRefreshToken: async (t) => {
        refreshes += 1;
        saved = t;
      },
      timeoutMs: 1_000,
      logger: pino({ level: 'silent' }),
    });
    const client = clientFor(fake, { tokens });
    await client.findCustomerByExternalId('x');
    await client.findCustomerByExternalId('x');
    expect(refreshes).toBe(2);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('mode in /readyz and GET /v1/upstream/status', () => {
  it('standalone: says so, never calls Webex, and answers the consent-email resend with a typed error', async () => {
    harness = await createTestHarness();
    expect(await (await harness.call('GET', '/readyz')).json()).toMatchObject({ status: 'ready', mode: 'standalone' });
    expect(await (await harness.call('GET', '/v1/upstream/status')).json()).toEqual({ mode: 'standalone' });
    const resend = await harness.call('POST', '/v1/wholesale/subscribers/anything/emails/consentMove');
    expect(resend.status).toBe(409);
    expect((await resend.json()).errors[0]).toMatchObject({ errorCode: 2100, description: expect.stringContaining('standalone') });
    // Sync and drift have no Webex to read either: the same typed refusal, not an empty result.
    for (const [method, path] of [
      ['POST', '/v1/upstream/sync'],
      ['POST', '/v1/upstream/drift/anything/adopt'],
    ] as const) {
      const res = await harness.call(method, path);
      expect(res.status, path).toBe(409);
      expect((await res.json()).errors[0], path).toMatchObject({ errorCode: 2100, description: expect.stringContaining('standalone') });
    }
  });

  it('upstream: the circuit, calls and last error of the connection', async () => {
    fake = await startFakeWebexWholesale();
    harness = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });
    expect(await (await harness.call('GET', '/readyz')).json()).toMatchObject({ mode: 'upstream' });
    const res = await harness.call('GET', '/v1/upstream/status');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mode: 'upstream', api: fake.apiUrl, auth: 'token', circuit: { state: 'closed' }, calls: 0 });
    expect((await harness.call('GET', '/v1/upstream/status', undefined, { token: null })).status).toBe(401);
  });
});
