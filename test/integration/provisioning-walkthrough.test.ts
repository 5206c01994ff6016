import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPackageEvents } from '../../src/db/repositories/package-events.js';
import { listAudit } from '../../src/db/repositories/audit-log.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';

/** The back-office walk of the issue, through app.request on a real database. */
describe(`provisioning walk-through on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  beforeAll(async () => {
    h = await createTestHarness();
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  it('creates, provisions, adds subscribers, changes, removes and deletes', async () => {
    // 1. create: 202, {url}, Location; the customer is `provisioning` until the worker runs.
    const created = await h.call('POST', '/v1/wholesale/customers', customerBody(templateId));
    expect(created.status).toBe(202);
    const { url } = await created.json();
    expect(created.headers.get('location')).toBe(url);
    expect(url).toMatch(/^http:\/\/desk\.test\/v1\/wholesale\/customers\/[A-Za-z0-9+/]+$/);
    const path = new URL(url).pathname;
    const customerId = decodeURIComponent(path.split('/').pop()!);
    expect(Buffer.from(customerId, 'base64').toString()).toMatch(/^ciscospark:\/\/us\/WHOLESALE_CUSTOMER\/[0-9a-f-]{36}$/);

    const pending = await (await h.call('GET', path)).json();
    expect(pending).toMatchObject({
      id: customerId,
      status: 'provisioning',
      externalId: 'crm-1001',
      packages: ['webex_calling', 'webex_meetings'],
    });
    expect(pending.orgId).toBeUndefined();

    // 2. poll until provisioned.
    h.clock.advance(1_000);
    await h.worker.drain();
    const customer = await (await h.call('GET', path)).json();
    expect(customer).toMatchObject({
      status: 'provisioned',
      customerInfo: { name: 'Alder Dental Group', primaryEmail: 'it-admin@alder-dental.example', language: 'en_US' },
      meetingsLocale: 'en_US',
      orgCountry: 'US',
      meetingsCallInNumber: '+1',
      resourceDetails: {
        packages: [
          { name: 'webex_calling', status: 'provisioned' },
          { name: 'webex_meetings', status: 'provisioned' },
        ],
      },
      errors: [],
    });
    expect(Buffer.from(customer.orgId, 'base64').toString()).toMatch(/ORGANIZATION/);

    // 3. subscribers: the first becomes admin, the second does not.
    const ann = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: 'Ann.Lee@alder-dental.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Lee', primaryPhoneNumber: '+14085550101', extension: '1001' },
    });
    expect(ann.status).toBe(200);
    const annBody = await ann.json();
    // Into a provisioned customer a subscriber is complete at once (Webex answers this call with 200).
    expect(annBody).toMatchObject({
      email: 'ann.lee@alder-dental.example',
      package: 'webex_calling',
      packages: ['webex_calling'],
      status: 'provisioned',
      isAdmin: true,
      externalCustomerId: 'crm-1001',
    });
    expect(annBody.locationId).toBeTruthy();
    h.clock.advance(1_000);
    const bob = await (
      await h.call('POST', '/v1/wholesale/subscribers', {
        customerId,
        email: 'bob@alder-dental.example',
        package: 'webex_meetings',
        provisioningParameters: { firstName: 'Bob', lastName: 'Ray' },
      })
    ).json();
    expect(bob.isAdmin).toBe(false);
    await h.worker.drain();
    const annNow = await (await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(annBody.id)}`)).json();
    expect(annNow.status).toBe('provisioned');
    expect(Buffer.from(annNow.personId, 'base64').toString()).toMatch(/PEOPLE/);

    const listed = await (await h.call('GET', `/v1/wholesale/subscribers?customerId=${encodeURIComponent(customerId)}`)).json();
    expect(listed.items.map((s: { email: string }) => s.email)).toEqual(['ann.lee@alder-dental.example', 'bob@alder-dental.example']);

    // 4. change a package.
    h.clock.advance(3_600_000);
    const changed = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`, {
      packages: ['webex_calling'],
      provisioningParameters: { extension: '1002' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ package: 'webex_calling', extension: '1002' });

    // 5. remove a subscriber: 204, then 404; billing for it stops at that instant.
    h.clock.advance(3_600_000);
    const removedAt = h.clock.now();
    expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`)).status).toBe(204);
    expect((await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`)).status).toBe(404);
    const bobEvents = await listPackageEvents(h.db, bob.id);
    expect(bobEvents.map((e) => [e.package, e.effective_at.toISOString()])).toEqual([
      ['webex_meetings', '2026-06-15T12:00:02.000Z'],
      ['webex_calling', '2026-06-15T13:00:02.000Z'],
      [null, removedAt.toISOString()],
    ]);

    // 6. update the customer's packages: webex_meetings is no longer held, so it may go.
    const updated = await h.call('PUT', path, { packages: ['webex_calling'] });
    expect(updated.status).toBe(202);
    expect(updated.headers.get('location')).toBe(url);
    expect((await (await h.call('GET', path)).json()).status).toBe('updating');
    await h.worker.drain();
    expect(await (await h.call('GET', path)).json()).toMatchObject({ status: 'provisioned', packages: ['webex_calling'] });

    // 7. delete: 202, `deleting`, then 404; the remaining subscriber's billing stops too.
    const deleted = await h.call('DELETE', path);
    expect(deleted.status).toBe(202);
    expect((await (await h.call('GET', path)).json()).status).toBe('deleting');
    await h.worker.drain();
    expect((await h.call('GET', path)).status).toBe(404);
    expect((await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(annBody.id)}`)).status).toBe(404);
    const annEvents = await listPackageEvents(h.db, annBody.id);
    expect(annEvents.at(-1)).toMatchObject({ package: null, cause: 'customer.delete' });

    // Every step is in the audit log, with its actor.
    const audit = await listAudit(h.db, { entityType: 'customer', entityId: customerId });
    expect(audit.map((a) => a.action)).toEqual([
      'customer.create',
      'screening.clear',
      'customer.provisioned',
      'customer.update',
      'customer.updated',
      'customer.delete',
      'customer.deleted',
    ]);
    expect(audit[0]!.actor).toMatch(/^token:/);
    expect(audit[3]!.before).toMatchObject({ packages: ['webex_calling', 'webex_meetings'] });
    expect(audit[3]!.after).toMatchObject({ packages: ['webex_calling'] });

    // The externalId is free again once the customer is gone.
    const again = await h.call('POST', '/v1/wholesale/customers', customerBody(templateId));
    expect(again.status).toBe(202);
    expect(again.headers.get('location')).not.toBe(url);
  });
});
