import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';

/** The fake Webex Wholesale server behaves as Cisco documents, and its checker catches what departs from the document. */
let fake: FakeWebexWholesale;
const TOKEN = 'fake-wholesale-partner-admin-token-0001';

const call = async (method: string, path: string, body?: unknown, token = TOKEN) => {
  const res = await fetch(`${fake.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

const customerBody = (externalId: string, primaryEmail = `${externalId}@example.com`) => ({
  provisioningId: 'prov-1',
  externalId,
  packages: ['webex_calling', 'webex_meetings'],
  address: { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
  customerInfo: { name: 'Acme', primaryEmail },
});

const until = (fn: () => Promise<boolean>) =>
  vi.waitFor(
    async () => {
      if (!(await fn())) throw new Error('never settled');
    },
    { timeout: 10_000, interval: 10 },
  );

beforeEach(async () => {
  fake = await startFakeWebexWholesale({
    settleMs: 1_000,
    oauth: { clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'refresh-1' },
  });
});
afterEach(async () => {
  await fake.close();
});

describe('fake Webex Wholesale server', () => {
  it('provisions a customer: 202 with a url on Cisco’s host, provisioning → provisioned with an orgId', async () => {
    const created = await call('POST', '/wholesale/customers', customerBody('crm-1'));
    expect(created.status).toBe(202);
    const url = String(created.body?.url);
    expect(url.startsWith('https://webexapis.com/v1/wholesale/customers/')).toBe(true);
    const id = url.split('/').pop()!;
    expect((await call('GET', `/wholesale/customers/${id}`)).body?.status).toBe('provisioning');
    await until(async () => (await call('GET', `/wholesale/customers/${id}`)).body?.status === 'provisioned');
    expect((await call('GET', `/wholesale/customers/${id}`)).body?.orgId).toEqual(expect.any(String));
    expect((await call('POST', '/wholesale/customers', customerBody('crm-1'))).status).toBe(409);
    fake.assertValid();
  });

  it('ends a customer whose admin email is taken in error 10022, and one on a denied-party hold in pending_rpl_review', async () => {
    fake.addExistingUser('taken@example.com');
    fake.holdForRplReview('crm-rpl');
    const a = String((await call('POST', '/wholesale/customers', customerBody('crm-2', 'taken@example.com'))).body?.url)
      .split('/')
      .pop()!;
    const b = String((await call('POST', '/wholesale/customers', customerBody('crm-rpl'))).body?.url)
      .split('/')
      .pop()!;
    await until(async () => (await call('GET', `/wholesale/customers/${a}`)).body?.status === 'error');
    expect((await call('GET', `/wholesale/customers/${a}`)).body?.errors).toEqual([
      { errorCode: 10022, description: 'The email is already associated with an existing user.' },
    ]);
    await until(async () => (await call('GET', `/wholesale/customers/${b}`)).body?.status === 'pending_rpl_review');
    fake.clearRplReview('crm-rpl', 'provisioned');
    expect((await call('GET', `/wholesale/customers/${b}`)).body?.status).toBe('provisioned');
    fake.assertValid();
  });

  it('answers a free Webex user’s subscriber 202 pending_user_migration and resends the consent email', async () => {
    const cust = fake.seedCustomer({ externalId: 'crm-3' });
    fake.addFreeUser('free@example.com');
    const sub = (email: string) => ({
      customerId: cust.id,
      email,
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'A', lastName: 'B', extension: '1001' },
    });
    const plain = await call('POST', '/wholesale/subscribers', sub('ann@example.com'));
    expect([plain.status, plain.body?.status]).toEqual([200, 'provisioned']);
    const pending = await call('POST', '/wholesale/subscribers', sub('free@example.com'));
    expect([pending.status, pending.body?.status]).toEqual([202, 'pending_user_migration']);
    expect((await call('POST', `/subscribers/${pending.body?.id}/emails/consentMove`)).status).toBe(204);
    expect(fake.subscribers.get(String(pending.body?.id))?.consentEmailsSent).toBe(2);
    fake.assertValid();
  });

  it('pages lists with Link rel="next" until the last page', async () => {
    for (let i = 0; i < 7; i++) fake.seedCustomer({ externalId: `crm-p${i}` });
    const seen: string[] = [];
    let next: string | undefined = `${fake.apiUrl}/wholesale/customers?max=3`;
    while (next) {
      const res: Response = await fetch(next, { headers: { authorization: `Bearer ${TOKEN}` } });
      const page = (await res.json()) as { items: { externalId: string }[] };
      seen.push(...page.items.map((c) => c.externalId));
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `crm-p${i}`).sort());
    fake.assertValid();
  });

  it('injects 429 with Retry-After, 503, slow answers, and limits the request rate', async () => {
    fake.inject({ kind: 'status', status: 429, retryAfterSeconds: 2, path: '/wholesale/customers' });
    const limited = await call('GET', '/wholesale/customers');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    fake.inject({ kind: 'status', status: 503 });
    expect((await call('GET', '/wholesale/customers')).status).toBe(503);
    fake.inject({ kind: 'delay', ms: 300 });
    const t0 = Date.now();
    expect((await call('GET', '/wholesale/customers')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await fake.close();
    fake = await startFakeWebexWholesale({ ratePerSecond: 5 });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => call('GET', '/wholesale/customers').then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    fake.assertValid();
  });

  it('expires the access token (401) and issues a new one, with a rotated refresh token, at /access_token', async () => {
    fake.expireAccessToken();
    expect((await call('GET', '/wholesale/customers')).status).toBe(401);
    const refresh = async (token: string) =>
      fetch(`${fake.apiUrl}/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'client-1', client_secret: 'secret-1', refresh_token: token }),
      });
    const res = await refresh('refresh-1');
    const tokens = (await res.json()) as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).toBe(fake.currentRefreshToken());
    expect((await call('GET', '/wholesale/customers', undefined, tokens.access_token)).status).toBe(200);
    expect((await refresh('refresh-1')).status).toBe(400);
    fake.assertValid();
  });

  it('drops the connection after applying the request: the client sees a network error, the customer exists', async () => {
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/customers' });
    await expect(call('POST', '/wholesale/customers', customerBody('crm-drop'))).rejects.toThrow();
    expect([...fake.customers.values()].map((c) => c.externalId)).toEqual(['crm-drop']);
  });

  it('records every departure from Cisco’s document: a request without a required field, an undeclared query parameter', async () => {
    const cust = fake.seedCustomer({ externalId: 'crm-bad' });
    await call('POST', '/wholesale/subscribers', { customerId: cust.id, email: 'x@example.com', packages: ['webex_calling'] });
    await call('GET', '/wholesale/customers?name=Acme');
    expect(fake.violations).toEqual([
      expect.stringContaining("must have required property 'provisioningParameters'"),
      "GET /wholesale/customers: query parameter 'name' is not declared",
    ]);
    expect(() => fake.assertValid()).toThrow(/departed/);
  });
});
