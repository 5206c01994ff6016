import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/v1-routes.js';
import { operationOf, operationsOf } from '../support/answered-statuses.js';
import { EVENTS_SECRET } from '../support/signed-events.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Failures an operation's own handler or use-case reports, which its contract lists in `errors` (openapi.ts)
 * rather than derives from its shape: each is answered, and with a status the document declares for that
 * operation. (Every file's answers are also checked after it: test/support/declared-statuses-guard.ts.)
 */
describe(`the errors operations list are the ones they answer, on ${testDbKind()}`, () => {
  let h: TestHarness;
  const operations = operationsOf(buildOpenApiDocument('http://desk.test') as Parameters<typeof operationsOf>[0]);

  beforeAll(async () => {
    h = await createTestHarness({ env: { EVENTS_SECRETS: EVENTS_SECRET } });
  });
  afterAll(() => h.close());

  /** The answer's status, after checking it is `status` and that the operation `operationId` declares it. */
  async function expectDeclared(operationId: string, answered: Response | Promise<Response>, status: number, path: string, method: string) {
    const res = await answered;
    expect(res.status, `${operationId}: ${await res.clone().text()}`).toBe(status);
    const op = operationOf(operations, method, path);
    expect(op?.operationId).toBe(operationId);
    expect(op?.declared).toContain(String(status));
  }

  it('receiveEvent: an event without Content-Length is refused with 411 (its size is checked before reading)', async () => {
    const res = h.app.request('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-signature': 't=1,v1=00' },
      body: '{}',
    });
    await expectDeclared('receiveEvent', res, 411, '/v1/events', 'POST');
  });

  it('createBillingReport: a subPartnerOrgId in the body that is none of the partner’s is 404', async () => {
    const res = h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-01-01',
      billingEndDate: '2026-01-31',
      subPartnerOrgId: 'no-such-org',
    });
    await expectDeclared('createBillingReport', res, 404, '/v1/wholesale/billing/reports', 'POST');
  });

  it('issueInvoices: a month that has not ended is 409', async () => {
    const month = h.clock.now().toISOString().slice(0, 7);
    const res = h.call('POST', `/v1/billing/invoices/issue?month=${month}`);
    await expectDeclared('issueInvoices', res, 409, '/v1/billing/invoices/issue', 'POST');
  });

  it('createUpstreamSync: a standalone desk has no Webex to sync with, 409', async () => {
    await expectDeclared('createUpstreamSync', h.call('POST', '/v1/upstream/sync'), 409, '/v1/upstream/sync', 'POST');
  });

  it('loadScreeningList: a list that is not CSV is refused with 415', async () => {
    const res = h.call('POST', '/v1/compliance/screening-list', '{}', { headers: { 'content-type': 'application/json' } });
    await expectDeclared('loadScreeningList', res, 415, '/v1/compliance/screening-list', 'POST');
  });
});
