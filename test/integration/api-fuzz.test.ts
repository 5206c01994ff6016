import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/v1-routes.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Property: no request, however malformed, makes the API answer 5xx. Every operation of the OpenAPI
 * document (the routes are generated from the same contracts) gets generated path parameters, query
 * parameters (its own and hostile paging) and bodies: real ids and garbage, NUL, huge numbers,
 * control and bidi characters, invalid JSON, JSON of the wrong shape. FUZZ_RUNS raises the count.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const document = buildOpenApiDocument('http://desk.test') as {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
};
const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
    .map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
);

const hostile = fc.constantFrom(
  '%00',
  '\u0000',
  'a\u0000b',
  '99999999999999999999',
  '-1',
  '1.5',
  'abc',
  '',
  ' ',
  '../..',
  "'; drop table customers; --",
  '\u202e',
  'é',
  '日本',
  'x'.repeat(3000),
  'NaN',
  'Infinity',
  '0x10',
  '1e309',
  'true',
  'null',
  '[]',
  '{}',
);

describe(`API fuzz: no 5xx on ${testDbKind()}`, () => {
  let h: TestHarness;
  let realIds: string[];

  beforeAll(async () => {
    h = await createTestHarness();
    const templateId = await defaultTemplateId(h);
    const customer = await provisionCustomer(h, customerBody(templateId, { externalId: 'fuzz-1' }));
    const subscriber = await addSubscriber(h, customer.id, 'fuzz@fuzz.example', 'webex_meetings');
    realIds = [customer.id, subscriber.id, templateId];
  });
  afterAll(() => h.close());

  const value = () =>
    fc.oneof(
      hostile,
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.integer().map(String),
      fc.constantFrom(...realIds),
    );
  const encodePart = (v: string) => (v.includes('%00') ? v : encodeURIComponent(v));
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc
      .dictionary(
        fc.constantFrom(
          'customerId',
          'email',
          'packages',
          'externalId',
          'provisioningId',
          'customerInfo',
          'address',
          'url',
          'eventTypes',
          'effectiveAt',
          'text',
          'items',
        ),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    hostile,
  );

  it.each([
    '/wholesale/customers/abc%00def',
    '/wholesale/customers?externalId=a%00b',
    '/wholesale/subscribers?offset=99999999999999999999',
    '/wholesale/customers?offset=99999999999999999999',
    '/webhooks/deliveries?max=abc',
    '/webhooks/deliveries?offset=-1',
    '/webhooks/deliveries?offset=1.5',
    '/events/failed?max=abc',
    '/events/failed?offset=-1',
    '/events/failed?offset=1.5',
    '/wholesale/billing/reports?billingStartDate=%20',
  ])('GET /v1%s answers 400 with an errorCode', async (path) => {
    const res = await h.call('GET', `/v1${path}`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.errors[0].errorCode).toBe(1000);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}`, async () => {
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      await fc.assert(
        fc.asyncProperty(
          fc.array(value(), { minLength: params.length, maxLength: params.length }),
          fc.dictionary(fc.constantFrom(...op.query, 'offset', 'max', 'onBehalfOfSubPartnerOrgId'), value(), { maxKeys: 4 }),
          body,
          fc.constantFrom('application/json', 'text/csv', 'text/plain', ''),
          fc.boolean(),
          async (pathValues, query, payload, contentType, withToken) => {
            let i = 0;
            const path = op.path.replace(/\{\w+\}/g, () => encodePart(pathValues[i++] ?? ''));
            const search = Object.entries(query)
              .map(([k, v]) => `${k}=${encodePart(v)}`)
              .join('&');
            const headers: Record<string, string> = {};
            if (withToken) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
            if (contentType) headers['content-type'] = contentType;
            const hasBody = op.method === 'POST' || op.method === 'PUT';
            const res = await h.app.request(`/v1${path}${search ? `?${search}` : ''}`, {
              method: op.method,
              headers,
              ...(hasBody ? { body: payload } : {}),
            });
            expect(res.status, `${op.method} /v1${path}?${search} → ${res.status}: ${await res.clone().text()}`).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});
