import { readFileSync } from 'node:fs';
import type { TestHarness } from './test-app.js';

const customerFixture = JSON.parse(readFileSync(new URL('../fixtures/customer-request.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

export type Body = Record<string, any>;

/** A real-shaped customer POST body with the harness's template, overridable per test. */
export function customerBody(provisioningId: string, overrides: Body = {}): Body {
  return { ...structuredClone(customerFixture), provisioningId, ...overrides };
}

export async function defaultTemplateId(h: TestHarness): Promise<string> {
  const res = await h.call('GET', '/v1/wholesale/onboardingTemplates');
  return (await res.json()).items[0].provisioningId;
}

/** POSTs a customer, runs the worker, returns the provisioned customer. */
export async function provisionCustomer(h: TestHarness, body: Body, query = ''): Promise<Body> {
  const res = await h.call('POST', `/v1/wholesale/customers${query}`, body);
  if (res.status !== 202) throw new Error(`customer POST answered ${res.status}: ${await res.text()}`);
  await h.worker.drain();
  const location = res.headers.get('location')!;
  const got = await h.call('GET', `${new URL(location).pathname}${query}`);
  return got.json();
}

let nextExtension = 1000;

export async function addSubscriber(
  h: TestHarness,
  customerId: string,
  email: string,
  pkg: string,
  extra: Body = {},
  query = '',
): Promise<Body> {
  const res = await h.call('POST', `/v1/wholesale/subscribers${query}`, {
    customerId,
    email,
    packages: [pkg],
    // Extensions are unique within a customer: a counter, never a random draw that could repeat.
    provisioningParameters: { firstName: 'Test', lastName: 'User', extension: String(nextExtension++) },
    ...extra,
  });
  if (res.status !== 200) throw new Error(`subscriber POST answered ${res.status}: ${await res.text()}`);
  await h.worker.drain();
  return res.json();
}

export async function countRows(
  h: TestHarness,
  table: 'customers' | 'subscribers' | 'locations' | 'package_events' | 'tasks',
): Promise<number> {
  const r = await h.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
