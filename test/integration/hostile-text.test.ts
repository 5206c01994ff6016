import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** Names and identifiers with control or bidi-override characters are refused before anything is stored. */
describe(`hostile characters in names and identifiers on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  beforeAll(async () => {
    h = await createTestHarness();
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  it.each([
    [
      'a customer name with U+202E',
      { customerInfo: { name: 'Invoice\u202Eexe.pdf', primaryEmail: 'a@hostile.example' } },
      'customerInfo.name',
    ],
    [
      'a customer name with a zero-width space (U+200B)',
      { customerInfo: { name: 'Acme\u200BTelecom', primaryEmail: 'a@hostile.example' } },
      'customerInfo.name',
    ],
    [
      'a customer name with a byte-order mark inside (U+FEFF)',
      { customerInfo: { name: 'Acme\uFEFFTelecom', primaryEmail: 'a@hostile.example' } },
      'customerInfo.name',
    ],
    ['an externalId with a word joiner (U+2060)', { externalId: 'crm\u20601001' }, 'externalId'],
    ['an externalId with ESC', { externalId: 'crm-\u001b[2J' }, 'externalId'],
    [
      'an address line with a bidi isolate',
      { address: { addressLine1: '1 Main\u2066 St', city: 'Springfield', stateOrProvince: 'IL', zipOrPostalCode: '62701', country: 'US' } },
      'address.addressLine1',
    ],
  ])('POST /customers refuses %s with 400 naming the field, and stores nothing', async (_what, override, field) => {
    const res = await h.call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId: 'hostile-1', ...override }));
    const body = await res.json();
    expect(res.status).toBe(400);
    expect(body.errors.map((e: { description: string }) => e.description)).toContainEqual(
      expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}: must not contain control characters`)),
    );
    const list = await (await h.call('GET', '/v1/wholesale/customers')).json();
    expect(list.items).toEqual([]);
  });
});
