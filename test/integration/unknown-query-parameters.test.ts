import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDocumentedQueryRoutes } from '../../src/api/v1-routes.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const body = async (res: Response) => (await res.json()) as { message: string; errors: { errorCode: number; description: string }[] };

describe(`a query parameter the desk does not know, on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ env: { METRICS_TOKEN: 'metrics-token-0123456789abcdef' } });
  });
  afterAll(() => h.close());

  it('is refused with 400 naming it and the accepted ones, on every documented /v1 route', async () => {
    const routes = listDocumentedQueryRoutes();
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) {
      const path = `/v1${route.path.replace(/\{\w+\}/g, 'x')}?bogusParam=1`;
      const res = await h.call(route.method.toUpperCase(), path, route.method === 'get' || route.method === 'delete' ? undefined : {});
      const where = `${route.method} ${route.path}`;
      expect(res.status, where).toBe(400);
      const { errors } = await body(res);
      expect(errors[0]?.errorCode, where).toBe(1000);
      expect(errors[0]?.description, where).toContain('"bogusParam"');
      for (const name of route.query) expect(errors[0]?.description, where).toContain(name);
    }
  });

  it('is refused on the list a real Webex client filtered by, instead of answering the whole list', async () => {
    const res = await h.call('GET', '/v1/wholesale/subscribers?personID=abc');
    expect(res.status).toBe(400);
    expect((await body(res)).errors[0]?.description).toMatch(/unknown query parameter "personID": this route accepts .*personId/);
  });

  it('is refused on the routes outside /v1, which keep their own parameters', async () => {
    for (const path of ['/healthz', '/readyz', '/', '/docs', '/auth/methods', '/auth/session', '/console/app.js']) {
      const res = await h.app.request(`${path}?bogusParam=1`);
      expect(res.status, path).toBe(400);
      expect((await body(res)).errors[0]?.description, path).toContain('"bogusParam"');
    }
    const metrics = await h.app.request('/metrics?bogusParam=1', { headers: { Authorization: 'Bearer metrics-token-0123456789abcdef' } });
    expect(metrics.status).toBe(400);
    expect((await h.app.request('/healthz')).status).toBe(200);
    expect((await h.app.request('/console/app.js?v=stale')).status).toBe(200);
    // No identity provider here: 404 "not set up", not a refused parameter.
    expect((await h.app.request('/auth/login?returnTo=%2F')).status).toBe(404);
    // The identity provider chooses the callback's parameters (RFC 6749 §4.1.2: ignore unknown ones).
    expect((await h.app.request('/auth/callback?code=c&state=s&iss=x&session_state=y')).status).not.toBe(400);
  });

  it('a parameter given twice is refused unless it is a list', async () => {
    const twice = await h.call('GET', '/v1/wholesale/customers?externalId=a&externalId=b');
    expect(twice.status).toBe(400);
    expect((await body(twice)).errors[0]?.description).toBe('externalId: was given 2 times; give it once');
    expect((await h.call('GET', '/v1/wholesale/customers?status=provisioned&status=error')).status).toBe(200);
  });

  it('the documented ones still work, the download link and paging included', async () => {
    expect((await h.call('GET', '/v1/wholesale/customers?max=5&offset=0&status=provisioned')).status).toBe(200);
    const download = await h.app.request('/v1/downloads/billing-reports/x?expires=1&signature=00');
    expect(download.status).not.toBe(400);
  });
});
