import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/v1-routes.js';
import { type Answer, operationOf, operationsOf, recordAnswers, takeAnswers, undeclaredAnswers } from '../support/answered-statuses.js';

/** The check the database projects run after each file (test/support/declared-statuses-guard.ts), on planted answers. */
describe('answered statuses against the document (test/support/answered-statuses.ts)', () => {
  const operations = operationsOf(buildOpenApiDocument('http://desk.test') as Parameters<typeof operationsOf>[0]);

  it('finds the operation a request reached, a literal path before a templated one', () => {
    expect(operationOf(operations, 'GET', '/v1/events/failed')?.operationId).toBe('listFailedEvents');
    expect(operationOf(operations, 'POST', '/v1/events/e1/replay')?.operationId).toBe('replayEvent');
    expect(operationOf(operations, 'POST', '/v1/events')?.operationId).toBe('receiveEvent');
    expect(operationOf(operations, 'GET', '/v1/wholesale/customers/c1')?.operationId).toBe('getCustomer');
    expect(operationOf(operations, 'POST', '/v1/wholesale/customers/validate')?.operationId).toBe('validateCustomer');
    expect(operationOf(operations, 'PATCH', '/v1/wholesale/customers/c1')).toBeUndefined();
    // The router is strict: a trailing slash or an empty path parameter reaches no operation (404 of no operation).
    expect(operationOf(operations, 'GET', '/v1/billing/reconciliations/')).toBeUndefined();
    expect(operationOf(operations, 'POST', '/v1/tasks//retry')).toBeUndefined();
  });

  it('reports a status the operation does not declare, naming the operation and what it declares', () => {
    const answers: Answer[] = [
      { method: 'POST', path: '/v1/events', status: 202 },
      { method: 'POST', path: '/v1/events', status: 200 },
      { method: 'GET', path: '/v1/wholesale/onboardingTemplates', status: 409 },
      { method: 'GET', path: '/v1/wholesale/onboardingTemplates', status: 409 },
    ];
    expect(undeclaredAnswers(answers, operations)).toEqual([
      {
        operationId: 'listOnboardingTemplates',
        method: 'GET',
        path: '/v1/wholesale/onboardingTemplates',
        status: 409,
        declared: ['200', '400', '401', '403', '429', '503'],
      },
    ]);
  });

  it('leaves out what no operation serves and unexpected errors (500)', () => {
    const answers: Answer[] = [
      { method: 'GET', path: '/healthz', status: 418 },
      { method: 'GET', path: '/v1/openapi.json', status: 200 },
      { method: 'GET', path: '/v1/no-such-thing', status: 404 },
      { method: 'GET', path: '/v1/wholesale/subPartners', status: 500 },
    ];
    expect(undeclaredAnswers(answers, operations)).toEqual([]);
  });

  it('records each answer of the app, whether asked through app.request() or app.fetch()', async () => {
    takeAnswers();
    const app = recordAnswers(new Hono().delete('/v1/webhooks/:id', (c) => c.body(null, 204)));
    await app.request('/v1/webhooks/w1', { method: 'DELETE' });
    await app.fetch(new Request('http://desk.test/v1/nothing'));
    expect(takeAnswers()).toEqual([
      { method: 'DELETE', path: '/v1/webhooks/w1', status: 204 },
      { method: 'GET', path: '/v1/nothing', status: 404 },
    ]);
  });
});
