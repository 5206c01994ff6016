import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';

/** The fake's /organizations, /locations and /workspaces, every exchange checked against Cisco's document for them. */
let fake: FakeWebexWholesale;
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${fake.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
};

beforeAll(async () => {
  fake = await startFakeWebexWholesale();
});
afterAll(() => fake.close());

describe('the fake Webex: a customer org’s locations and workspaces', () => {
  it('names the org, creates a location and a Webex Calling workspace, lists, finds and deletes them, all valid against Cisco’s document', async () => {
    const cust = fake.seedCustomer({
      externalId: 'crm-org-1',
      packages: ['webex_calling', 'common_area_calling'],
      customerInfo: { name: 'Org One' },
    });
    const orgId = cust.orgId!;
    expect((await call('GET', `/organizations/${orgId}`)).body).toMatchObject({ id: orgId, displayName: 'Org One' });
    const address = { address1: '1 Elm St', city: 'Dallas', state: 'TX', postalCode: '75201', country: 'US' };
    const loc = await call('POST', `/locations?orgId=${encodeURIComponent(orgId)}`, {
      name: 'Branch',
      timeZone: 'America/Chicago',
      preferredLanguage: 'en_us',
      announcementLanguage: 'en_us',
      address,
    });
    expect(loc.status).toBe(201);
    expect((await call('GET', `/locations?orgId=${encodeURIComponent(orgId)}&name=branch`)).body.items).toHaveLength(1);
    const ws = await call('POST', '/workspaces', {
      orgId,
      displayName: 'Lobby',
      locationId: loc.body.id,
      calling: { type: 'webexCalling', webexCalling: { extension: '100', locationId: loc.body.id } },
    });
    expect(ws.status).toBe(201);
    // Names are unique in the org, as are extensions.
    expect((await call('POST', '/workspaces', { orgId, displayName: 'lobby' })).status).toBe(409);
    expect((await call('GET', `/workspaces?orgId=${encodeURIComponent(orgId)}&displayName=Lobby`)).body.items).toHaveLength(1);
    expect((await call('DELETE', `/workspaces/${ws.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/workspaces/${ws.body.id}`)).status).toBe(404);
    fake.assertValid();
  });

  it('refuses a Webex Calling workspace without Common Area Calling, and records a request that departs from Cisco’s document', async () => {
    const cust = fake.seedCustomer({ externalId: 'crm-org-2', packages: ['webex_calling'] });
    const refused = await call('POST', '/workspaces', {
      orgId: cust.orgId,
      displayName: 'Door',
      calling: { type: 'webexCalling', webexCalling: { extension: '101', locationId: 'nowhere' } },
    });
    expect(refused.status).toBe(400);
    fake.assertValid();
    await call('POST', '/workspaces', { orgId: cust.orgId });
    expect(fake.violations.some((v) => v.includes("must have required property 'displayName'"))).toBe(true);
  });
});
