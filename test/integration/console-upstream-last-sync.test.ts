import { afterEach, describe, expect, it } from 'vitest';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createApiToken } from '../../src/use-cases/operator-admin.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { syncAndWait } from '../support/upstream-sync-run.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

/** The console's Upstream page reads the latest sync run through GET /v1/console/upstream/last-sync. */
let fake: FakeWebexWholesale | undefined;
let h: TestHarness | undefined;

afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function tokenWith(scopes: string[]): Promise<string> {
  const root = toActingPartner(await h!.db.selectFrom('partners').selectAll().where('id', '=', h!.partnerId).executeTakeFirstOrThrow());
  const t = await createApiToken(h!.db, root, { name: scopes.join(' '), scopes }, { now: h!.clock.now(), ids: nodeIds });
  if (!t.ok) throw new Error('token not created');
  return t.value.token;
}

describe('GET /v1/console/upstream/last-sync', () => {
  it('is null before the first sync, then names the latest run with its summary; needs the customers read scope', async () => {
    fake = await startFakeWebexWholesale({ settleMs: 10 });
    fake.seedCustomer({ externalId: 'crm-last-sync-1' });
    h = await createTestHarness({
      env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: 'fake-wholesale-partner-admin-token-0001' },
    });
    const viewer = await tokenWith(['spark-admin:wholesale_customers_read']);
    const billingOnly = await tokenWith(['spark-admin:wholesale_billing_reports_read']);

    const before = await h.call('GET', '/v1/console/upstream/last-sync', undefined, { token: viewer });
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ lastSync: null });

    await syncAndWait(h);
    h.clock.advance(60_000);
    await syncAndWait(h);

    const after = await (await h.call('GET', '/v1/console/upstream/last-sync', undefined, { token: viewer })).json();
    expect(after.lastSync).toMatchObject({
      mode: 'drift',
      started: h.clock.now().toISOString(),
      summary: { mode: 'drift', webexCustomers: 1, openDrift: 0 },
    });
    expect(after.lastSync.startedBy).toEqual(expect.any(String));

    expect((await h.call('GET', '/v1/console/upstream/last-sync', undefined, { token: billingOnly })).status).toBe(403);
  });
});
