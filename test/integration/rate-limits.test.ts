import { afterEach, describe, expect, it } from 'vitest';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createApiToken } from '../../src/use-cases/operator-admin.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runsOnceAcrossDatabases, testDbKind } from '../support/test-db.js';
import { EVENTS_SECRET, postEvent } from '../support/signed-events.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

/** Limits turned on low (the shared harness runs with them off); windows are one minute. */
describe.runIf(runsOnceAcrossDatabases())(`rate limits on ${testDbKind()}`, () => {
  let h: TestHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const expectRateLimited = async (res: Response) => {
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const body = (await res.json()) as { message: string; errors: { errorCode: number }[]; trackingId: string };
    expect(body.errors[0]?.errorCode).toBe(4290);
    expect(body.trackingId).toBeTruthy();
  };

  it('answers 429 with Retry-After to the request past the per-token limit; another token is unaffected', async () => {
    h = await createTestHarness({ env: { RATE_LIMIT_PER_TOKEN: '5' } });
    for (let i = 0; i < 5; i++) expect((await h.call('GET', '/v1/wholesale/customers')).status).toBe(200);
    await expectRateLimited(await h.call('GET', '/v1/wholesale/customers'));

    const root = toActingPartner(await h.db.selectFrom('partners').selectAll().where('id', '=', h.partnerId).executeTakeFirstOrThrow());
    const other = await createApiToken(
      h.db,
      root,
      { name: 'other', scopes: ['spark-admin:wholesale_customers_read'] },
      { now: h.clock.now(), ids: nodeIds },
    );
    if (!other.ok) throw new Error('token not created');
    expect((await h.call('GET', '/v1/wholesale/customers', undefined, { token: other.value.token })).status).toBe(200);
  });

  it('answers 429 to an address after too many failed authentications; other addresses are unaffected', async () => {
    h = await createTestHarness({ env: { RATE_LIMIT_PER_ADDRESS: '3', TRUST_PROXY: 'true' } });
    const from = (address: string, token: string) =>
      h?.call('GET', '/v1/wholesale/customers', undefined, { token, headers: { 'x-forwarded-for': `198.51.100.1, ${address}` } });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7', `wdk_guess_${i}`))?.status).toBe(401);
    await expectRateLimited((await from('203.0.113.7', 'wdk_guess_4')) as Response);
    // The rightmost entry is the address: the one the trusted proxy appended.
    expect((await from('203.0.113.8', 'wdk_guess_5'))?.status).toBe(401);
    expect((await from('203.0.113.8', 'wdk_test_admin_token_0123456789abcdef'))?.status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    h = await createTestHarness({ env: { RATE_LIMIT_PER_ADDRESS: '2' } });
    for (let i = 0; i < 2; i++)
      expect(
        (await h.call('GET', '/v1/wholesale/customers', undefined, { token: `bad${i}`, headers: { 'x-forwarded-for': `192.0.2.${i}` } }))
          .status,
      ).toBe(401);
    await expectRateLimited(
      await h.call('GET', '/v1/wholesale/customers', undefined, { token: 'bad', headers: { 'x-forwarded-for': '192.0.2.9' } }),
    );
  });

  it('limits signed inbound events per address with their own limit', async () => {
    h = await createTestHarness({
      env: { EVENTS_SECRETS: EVENTS_SECRET, RATE_LIMIT_EVENTS: '2', RATE_LIMIT_PER_ADDRESS: '1' },
    });
    const event = (id: string) => ({ id, type: 'customer.delete', occurredAt: h?.clock.now().toISOString(), data: { externalId: 'x' } });
    // Accepted events never count towards the failed-authentication limit of 1.
    for (const id of ['e1', 'e2']) expect((await postEvent(h, event(id))).status).not.toBe(429);
    await expectRateLimited(await postEvent(h, event('e3')));
  });

  it('counts failed authentications at /auth/session and /metrics with /v1’s, and stops them before the database', async () => {
    const metricsToken = 'metrics-token-0123456789abcdef';
    h = await createTestHarness({ env: { RATE_LIMIT_PER_ADDRESS: '4', TRUST_PROXY: 'true', METRICS_TOKEN: metricsToken } });
    const from = (address: string, path: string, token: string) =>
      h!.app.request(path, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });
    expect((await from('203.0.113.40', '/auth/session', 'wdk_guess_1')).status).toBe(401);
    expect((await from('203.0.113.40', '/auth/session', 'wdk_guess_2')).status).toBe(401);
    expect((await from('203.0.113.40', '/metrics', 'guess-3')).status).toBe(401);
    expect((await from('203.0.113.40', '/v1/wholesale/customers', 'wdk_guess_4')).status).toBe(401);
    await expectRateLimited(await from('203.0.113.40', '/auth/session', 'wdk_guess_5'));
    await expectRateLimited(await from('203.0.113.40', '/metrics', 'guess-6'));
    // A forged session cookie is a guess too.
    await expectRateLimited(
      await h.app.request('/auth/session', { headers: { cookie: 'wd_session=forged', 'x-forwarded-for': '203.0.113.40' } }),
    );
    // Another address still reaches both, with the right credentials.
    expect((await from('203.0.113.41', '/auth/session', 'wdk_test_admin_token_0123456789abcdef')).status).toBe(200);
    expect((await from('203.0.113.41', '/metrics', metricsToken)).status).toBe(200);
  });

  it('limits sign-ins begun per address (RATE_LIMIT_SIGN_INS)', async () => {
    h = await createTestHarness({
      env: {
        RATE_LIMIT_SIGN_INS: '3',
        TRUST_PROXY: 'true',
        OIDC_ISSUER: 'http://127.0.0.1:9/unreachable',
        OIDC_CLIENT_ID: 'desk',
        OIDC_CLIENT_SECRET: 'secret-0123456789',
      },
    });
    const login = (address: string) => h!.app.request('/auth/login', { headers: { 'x-forwarded-for': address } });
    // The provider is unreachable (503), but each attempt still counts: it asked the provider.
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.50')).status).not.toBe(429);
    await expectRateLimited(await login('203.0.113.50'));
    expect((await login('203.0.113.51')).status).not.toBe(429);
  });
});
