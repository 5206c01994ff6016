import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { addSubscriber, countRows, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';

const NAMES = { firstName: 'Test', lastName: 'User' };
const US = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };

/** Each rule broken on purpose: the right status and errorCode, and no row left behind. */
describe(`provisioning rules on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  const nextExternalId = () => `ext-${++seq}`;

  beforeAll(async () => {
    h = await createTestHarness();
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  async function expectRefused(
    method: string,
    path: string,
    body: unknown,
    status: number,
    codes: number[],
    opts: { token?: string | null; headers?: Record<string, string> } = {},
  ) {
    const before = await Promise.all(
      (['customers', 'subscribers', 'locations', 'package_events', 'tasks'] as const).map((t) => countRows(h, t)),
    );
    const res = await h.call(method, path, body, opts);
    const text = await res.text();
    expect(res.status, text).toBe(status);
    const json = JSON.parse(text);
    expect(json.errors.map((e: { errorCode: number }) => e.errorCode)).toEqual(codes);
    expect(json.trackingId).toBe(res.headers.get('trackingid'));
    expect(typeof json.message).toBe('string');
    const after = await Promise.all(
      (['customers', 'subscribers', 'locations', 'package_events', 'tasks'] as const).map((t) => countRows(h, t)),
    );
    expect(after).toEqual(before);
    return json;
  }

  describe('customer creation', () => {
    const loc = (extra: Body = {}) => ({ calling: { location: { name: 'HQ', address: US, timezone: 'America/Chicago', ...extra } } });
    it.each<[string, (t: string) => Body, number, number[]]>([
      ['unknown package', (t) => customerBody(t, { packages: ['webex_teams'] }), 400, [1101]],
      [
        'add-on without its base',
        (t) => customerBody(t, { packages: ['webex_meetings', 'attendant_console'], provisioningParameters: loc() }),
        400,
        [1104],
      ],
      ['no packages', (t) => customerBody(t, { packages: [] }), 400, [1000]],
      [
        'unsupported language',
        (t) => customerBody(t, { customerInfo: { name: 'A', primaryEmail: 'a@a.example', language: 'he_IL' } }),
        400,
        [1201],
      ],
      ['address line over 50 characters', (t) => customerBody(t, { address: { ...US, addressLine1: 'x'.repeat(51) } }), 400, [1301]],
      [
        'US address without state and postal code',
        (t) => customerBody(t, { address: { addressLine1: '1 Main', city: 'Austin', country: 'US' } }),
        400,
        [1301, 1301],
      ],
      ['country that is not ISO alpha-2', (t) => customerBody(t, { address: { ...US, country: 'USA' } }), 400, [1302]],
      ['calling package without a location', (t) => customerBody(t, { provisioningParameters: undefined }), 400, [1108]],
      ['invalid location time zone', (t) => customerBody(t, { provisioningParameters: loc({ timezone: 'America/Gotham' }) }), 400, [1401]],
      [
        'location in a multi-zone country without a zone',
        (t) => customerBody(t, { provisioningParameters: loc({ timezone: undefined }) }),
        400,
        [1402],
      ],
      [
        'invalid Meetings time zone',
        (t) => customerBody(t, { provisioningParameters: { ...loc(), meetings: { timezone: 'Nowhere' } } }),
        400,
        [1401],
      ],
      [
        'limit for a package the customer lacks',
        (t) => customerBody(t, { provisioningParameters: { ...loc(), packages: { limits: { webex_suite: 5 } } } }),
        400,
        [1103],
      ],
      ['% in the name', (t) => customerBody(t, { customerInfo: { name: '100% Dental', primaryEmail: 'a@b.example' } }), 400, [1705]],
      ['new customer without customerInfo', (t) => customerBody(t, { customerInfo: undefined }), 400, [1706]],
      ['billingStartDate without the partner setting', (t) => customerBody(t, { billingStartDate: '2026-07-01' }), 403, [1502]],
      ['effectiveAt in the future', (t) => customerBody(t, { effectiveAt: '2026-06-16T00:00:00Z' }), 400, [1601]],
      ['unknown template', () => customerBody('no-such-template'), 404, [2003]],
      [
        'missing externalId and bad email',
        (t) => customerBody(t, { externalId: undefined, customerInfo: { name: 'A', primaryEmail: 'not-an-email' } }),
        400,
        [1000, 1000],
      ],
      [
        'several problems at once',
        (t) =>
          customerBody(t, {
            packages: ['nope'],
            address: { ...US, country: 'ZZ' },
            customerInfo: { name: 'A', primaryEmail: 'a@b.example', language: 'xx' },
          }),
        400,
        [1101, 1302, 1201],
      ],
    ])('%s', async (_name, make, status, codes) => {
      const body = make(templateId);
      if (body.externalId !== undefined) body.externalId = nextExternalId();
      await expectRefused('POST', '/v1/wholesale/customers', body, status, codes);
    });

    it('returns the same customer for a retried POST and 409 for a different body with the same externalId', async () => {
      const body = customerBody(templateId, {
        externalId: 'idem-1',
        customerInfo: { name: 'Idem Co', primaryEmail: 'admin@idem.example' },
      });
      const first = await h.call('POST', '/v1/wholesale/customers', body);
      const second = await h.call('POST', '/v1/wholesale/customers', { ...body, effectiveAt: '2026-06-15T11:00:00Z' });
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      const rows = await h.db.selectFrom('customers').select('id').where('external_id', '=', 'idem-1').execute();
      expect(rows).toHaveLength(1);
      await expectRefused(
        'POST',
        '/v1/wholesale/customers',
        { ...body, packages: ['webex_meetings'], provisioningParameters: undefined },
        409,
        [1701],
      );
    });

    it('accepts billingStartDate once the partner enables delayed billing, within 90 days', async () => {
      await h.db
        .updateTable('partners')
        .set({ settings: JSON.stringify({ enable_wholesale_delayed_billing: true }) })
        .where('id', '=', h.partnerId)
        .execute();
      await expectRefused(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, { externalId: nextExternalId(), billingStartDate: '2026-09-14' }),
        400,
        [1501],
      );
      const ok = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: nextExternalId(),
          customerInfo: { name: 'Late Billing', primaryEmail: 'late@billing.example' },
          billingStartDate: '2026-09-13',
        }),
      );
      expect(ok.status).toBe(202);
      await h.worker.drain();
      const got = await (await h.call('GET', new URL(ok.headers.get('location')!).pathname)).json();
      expect(got.billingStartDate).toBe('2026-09-13');
      await h.db
        .updateTable('partners')
        .set({ settings: JSON.stringify({}) })
        .where('id', '=', h.partnerId)
        .execute();
    });
  });

  describe('HTTP edge', () => {
    it('401 without a token, with an unknown token', async () => {
      await expectRefused('GET', '/v1/wholesale/customers', undefined, 401, [4001], { token: null });
      await expectRefused('GET', '/v1/wholesale/customers', undefined, 401, [4001], { token: 'wdk_wrong' });
    });
    it('403 when the token lacks the scope', async () => {
      const out = await runCliCommand(
        h.useCases,
        ['token', 'create'],
        { name: 'reader', scopes: 'spark-admin:wholesale_customers_read' },
        { clock: h.clock, ids: nodeIds },
      );
      const token = /wdk_[\w-]+/.exec(out.output)![0];
      expect((await h.call('GET', '/v1/wholesale/customers', undefined, { token })).status).toBe(200);
      const json = await expectRefused('POST', '/v1/wholesale/customers', customerBody(templateId), 403, [3001], { token });
      expect(json.message).toContain('spark-admin:wholesale_customers_write');
      await expectRefused('GET', '/v1/wholesale/subscribers', undefined, 403, [3001], { token });
    });
    it('401 once a token is revoked', async () => {
      const out = await runCliCommand(h.useCases, ['token', 'create'], { name: 'temp' }, { clock: h.clock, ids: nodeIds });
      const token = /wdk_[\w-]+/.exec(out.output)![0];
      const id = /token (\S+) created/.exec(out.output)![1]!;
      expect((await runCliCommand(h.useCases, ['token', 'revoke', id], {}, { clock: h.clock, ids: nodeIds })).exitCode).toBe(0);
      await expectRefused('GET', '/v1/wholesale/customers', undefined, 401, [4001], { token });
    });
    it('400 for malformed JSON, 415 for a body that is not JSON, 413 for an oversize body', async () => {
      await expectRefused('POST', '/v1/wholesale/customers', '{"packages": [', 400, [1000]);
      await expectRefused('POST', '/v1/wholesale/customers', 'packages=1', 415, [4150], {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await expectRefused('POST', '/v1/wholesale/customers', JSON.stringify({ pad: 'x'.repeat(300_000) }), 413, [4130]);
      await expectRefused(
        'POST',
        '/v1/wholesale/customers',
        JSON.stringify(
          customerBody(templateId, { externalId: 'nul', customerInfo: { name: 'Nul\u0000Co', primaryEmail: 'n@nul.example' } }),
        ),
        400,
        [1000],
      );
    });
    it('404 in the Webex error shape for unknown routes and ids', async () => {
      await expectRefused('GET', '/v1/wholesale/customers/nope', undefined, 404, [2001]);
      await expectRefused('GET', '/v1/wholesale/subscribers/nope', undefined, 404, [2002]);
      await expectRefused('GET', '/v1/nothing-here', undefined, 404, [2000]);
    });
    it('400 for a bad list filter', async () => {
      await expectRefused('GET', '/v1/wholesale/customers?status=happy', undefined, 400, [1000]);
      await expectRefused('GET', '/v1/wholesale/subscribers?max=500', undefined, 400, [1000]);
    });
    it('serves the OpenAPI document generated from the schemas', async () => {
      const doc = await (await h.call('GET', '/v1/openapi.json', undefined, { token: null })).json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/wholesale/customers', '/wholesale/customers/{customerId}', '/wholesale/subscribers/validate']),
      );
      const post = doc.paths['/wholesale/customers'].post;
      expect(post.requestBody.content['application/json'].schema.required).toEqual(
        expect.arrayContaining(['provisioningId', 'packages', 'externalId', 'address']),
      );
      expect(post.responses['202']).toBeTruthy();
      expect(post['x-required-scope']).toBe('spark-admin:wholesale_customers_write');
    });
  });

  describe('subscribers and customer updates', () => {
    let customer: Body;
    let other: Body;
    beforeEach(async () => {
      customer = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: nextExternalId(),
          packages: ['webex_calling', 'webex_meetings', 'common_area_calling'],
          customerInfo: { name: `Rules ${seq}`, primaryEmail: `owner${seq}@rules.example` },
          provisioningParameters: {
            calling: { location: { name: 'HQ', address: US, timezone: 'America/Chicago' } },
            packages: { limits: { webex_meetings: 1 } },
          },
        }),
      );
      other = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: nextExternalId(),
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          customerInfo: { name: `Other ${seq}`, primaryEmail: `owner${seq}@other.example` },
        }),
      );
    });

    it.each<[string, () => Body, number, number[]]>([
      [
        'unknown customer',
        () => ({ customerId: 'nope', email: 'x@y.example', packages: ['webex_calling'], provisioningParameters: NAMES }),
        404,
        [2001],
      ],
      [
        'package not on the customer',
        () => ({ customerId: other.id, email: 'x@y.example', packages: ['webex_calling'], provisioningParameters: NAMES }),
        400,
        [1103],
      ],
      [
        'package not for subscribers',
        () => ({ customerId: customer.id, email: 'x@y.example', packages: ['common_area_calling'], provisioningParameters: NAMES }),
        400,
        [1102],
      ],
      [
        'two packages',
        () => ({
          customerId: customer.id,
          email: 'x@y.example',
          packages: ['webex_calling', 'webex_meetings'],
          provisioningParameters: NAMES,
        }),
        400,
        [1107],
      ],
      [
        'package and packages',
        () => ({
          customerId: customer.id,
          email: 'x@y.example',
          package: 'webex_calling',
          packages: ['webex_calling'],
          provisioningParameters: NAMES,
        }),
        400,
        [1107],
      ],
      [
        'calling package without number or extension',
        () => ({ customerId: customer.id, email: 'x@y.example', packages: ['webex_calling'], provisioningParameters: NAMES }),
        400,
        [1108],
      ],
      [
        'bad phone number',
        () => ({
          customerId: customer.id,
          email: 'x@y.example',
          packages: ['webex_calling'],
          provisioningParameters: { ...NAMES, primaryPhoneNumber: '555-1234' },
        }),
        400,
        [1000],
      ],
      [
        'unknown location',
        () => ({
          customerId: customer.id,
          email: 'x@y.example',
          packages: ['webex_calling'],
          provisioningParameters: { ...NAMES, extension: '2001', locationId: 'nope' },
        }),
        404,
        [2005],
      ],
      [
        "another customer's admin email",
        () => ({
          customerId: customer.id,
          email: other.customerInfo.primaryEmail,
          packages: ['webex_meetings'],
          provisioningParameters: NAMES,
        }),
        409,
        [10022],
      ],
      [
        'back-dated too far',
        () => ({
          customerId: customer.id,
          email: 'x@y.example',
          packages: ['webex_meetings'],
          provisioningParameters: NAMES,
          effectiveAt: '2025-01-01T00:00:00Z',
        }),
        400,
        [2052],
      ],
    ])('refuses a subscriber: %s', async (_name, make, status, codes) => {
      await expectRefused('POST', '/v1/wholesale/subscribers', make(), status, codes);
    });

    it('refuses an email already used by a subscriber, and the package limit', async () => {
      await addSubscriber(h, other.id, `taken${seq}@other.example`, 'webex_meetings');
      await expectRefused(
        'POST',
        '/v1/wholesale/subscribers',
        { customerId: customer.id, email: `TAKEN${seq}@other.example`, packages: ['webex_meetings'], provisioningParameters: NAMES },
        409,
        [10022],
      );
      await addSubscriber(h, customer.id, `first${seq}@rules.example`, 'webex_meetings');
      await expectRefused(
        'POST',
        '/v1/wholesale/subscribers',
        { customerId: customer.id, email: `second${seq}@rules.example`, packages: ['webex_meetings'], provisioningParameters: NAMES },
        409,
        [1105],
      );
    });

    it('refuses subscribers while the customer is under review, failed or deleting', async () => {
      for (const status of ['pending_rpl_review', 'error', 'deleting'] as const) {
        await h.db.updateTable('customers').set({ status }).where('id', '=', customer.id).execute();
        await expectRefused(
          'POST',
          '/v1/wholesale/subscribers',
          { customerId: customer.id, email: 'x@y.example', packages: ['webex_meetings'], provisioningParameters: NAMES },
          409,
          [1702],
        );
      }
    });

    it('refuses removing a package subscribers hold, naming how many', async () => {
      await addSubscriber(h, customer.id, `a${seq}@rules.example`, 'webex_calling');
      await addSubscriber(h, customer.id, `b${seq}@rules.example`, 'webex_calling');
      const json = await expectRefused(
        'PUT',
        `/v1/wholesale/customers/${encodeURIComponent(customer.id)}`,
        { packages: ['webex_meetings'] },
        409,
        [1106],
      );
      expect(json.message).toContain('2 subscribers still hold it');
      const json2 = await expectRefused(
        'PUT',
        `/v1/wholesale/customers/${encodeURIComponent(customer.id)}`,
        {
          packages: ['webex_calling', 'webex_meetings', 'common_area_calling'],
          provisioningParameters: { packages: { limits: { webex_calling: 1 } } },
        },
        409,
        [1105],
      );
      expect(json2.message).toContain('below the 2 subscribers');
      expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(customer.id)}`)).json()).status).toBe('provisioned');
    });

    it('refuses updates while the customer is still provisioning, and package changes that break the rules', async () => {
      // The first subscriber is the full admin, whose package rules differ: not the one changed here.
      await addSubscriber(h, customer.id, `admin-c${seq}@rules.example`, 'webex_calling');
      const sub = await addSubscriber(h, customer.id, `c${seq}@rules.example`, 'webex_meetings', {
        provisioningParameters: { firstName: 'Meg', lastName: 'Lee' },
      });
      await expectRefused('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`, { packages: ['webex_calling'] }, 400, [1108]);
      await expectRefused('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`, { packages: ['webex_suite'] }, 400, [1103]);
      await expectRefused('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`, { packages: [] }, 400, [1107]);
      await h.db.updateTable('customers').set({ status: 'provisioning' }).where('id', '=', customer.id).execute();
      await expectRefused(
        'PUT',
        `/v1/wholesale/customers/${encodeURIComponent(customer.id)}`,
        { packages: ['webex_calling', 'webex_meetings'] },
        409,
        [1703],
      );
    });

    it('applies back-dated package changes in effective order, whatever order they arrive in', async () => {
      // The customer existed before the facts below (an effectiveAt may not precede it).
      await h.db.updateTable('customers').set({ created_at: '2026-05-01T00:00:00Z' }).where('id', '=', customer.id).execute();
      await addSubscriber(h, customer.id, `admin-d${seq}@rules.example`, 'webex_calling');
      const sub = await addSubscriber(h, customer.id, `d${seq}@rules.example`, 'webex_calling', { effectiveAt: '2026-06-01T00:00:00Z' });
      const path = `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`;
      expect((await h.call('PUT', path, { packages: ['webex_calling'], effectiveAt: '2026-06-10T00:00:00Z' })).status).toBe(200);
      // Arrives later but took effect earlier: history changes, the current package does not.
      const late = await h.call('PUT', path, { packages: ['webex_meetings'], effectiveAt: '2026-06-05T00:00:00Z' });
      expect((await late.json()).package).toBe('webex_calling');
      const events = await h.db
        .selectFrom('package_events')
        .select(['package', 'effective_at'])
        .where('subscriber_id', '=', sub.id)
        .orderBy('effective_at')
        .execute();
      expect(events.map((e) => [e.package, e.effective_at.toISOString().slice(0, 10)])).toEqual([
        ['webex_calling', '2026-06-01'],
        ['webex_meetings', '2026-06-05'],
        ['webex_calling', '2026-06-10'],
      ]);
    });

    it('finishes a subscriber added while its customer provisions, and bills nothing when the customer fails', async () => {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: nextExternalId(),
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          customerInfo: { name: `Early ${seq}`, primaryEmail: `early${seq}@rules.example` },
        }),
      );
      const customerId = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
      const early = await (
        await h.call('POST', '/v1/wholesale/subscribers', {
          customerId,
          email: `early-user${seq}@rules.example`,
          packages: ['webex_meetings'],
          provisioningParameters: NAMES,
        })
      ).json();
      expect(early).toMatchObject({ status: 'provisioning', isAdmin: true });
      expect(early.personId).toBeUndefined();
      await h.worker.drain();
      h.clock.advance(5_000);
      await h.worker.drain();
      const done = await (await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(early.id)}`)).json();
      expect(done.status).toBe('provisioned');
      expect(done.personId).toBeTruthy();

      const res2 = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: nextExternalId(),
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          customerInfo: { name: `Doomed ${seq}`, primaryEmail: `doomed${seq}@rules.example` },
        }),
      );
      const doomedId = decodeURIComponent(new URL(res2.headers.get('location')!).pathname.split('/').pop()!);
      const doomedSub = await (
        await h.call('POST', '/v1/wholesale/subscribers', {
          customerId: doomedId,
          email: `doomed-user${seq}@rules.example`,
          packages: ['webex_meetings'],
          provisioningParameters: NAMES,
        })
      ).json();
      // The customer fails before the worker gets to it (compliance rejection, upstream error…).
      await h.db.updateTable('customers').set({ status: 'error' }).where('id', '=', doomedId).execute();
      await h.worker.drain();
      const failed = await (await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(doomedSub.id)}`)).json();
      expect(failed.status).toBe('error');
      expect(failed.errors[0]).toMatchObject({ errorCode: 1702 });
      const events = await h.db
        .selectFrom('package_events')
        .select(['package', 'effective_at'])
        .where('subscriber_id', '=', doomedSub.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.package)).toEqual(['webex_meetings', null]);
      expect(events[1]!.effective_at.getTime()).toBe(events[0]!.effective_at.getTime());
    });

    it('prechecks customers and subscribers without writing anything', async () => {
      const good = await h.call('POST', '/v1/wholesale/customers/validate', {
        address: US,
        customerInfo: { primaryEmail: 'fresh@new.example' },
      });
      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({
        message: 'success',
        info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' },
      });
      await expectRefused(
        'POST',
        '/v1/wholesale/customers/validate',
        {
          address: { ...US, country: 'XX' },
          customerInfo: { primaryEmail: other.customerInfo.primaryEmail },
          externalId: other.externalId,
        },
        // Invalid and conflicting: 400, every problem listed (issue 18, item 12).
        400,
        [1302, 10022, 1701],
      );
      const sub = await h.call('POST', '/v1/wholesale/subscribers/validate', { customerId: customer.id, email: 'new@rules.example' });
      expect(sub.status).toBe(200);
      await expectRefused(
        'POST',
        '/v1/wholesale/subscribers/validate',
        { customerId: customer.id, email: other.customerInfo.primaryEmail, packages: ['webex_suite'] },
        400,
        [10022, 1103],
      );
    });
  });

  describe('lists', () => {
    it('pages with Link rel="next" and filters exactly', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(1_000);
        const c = await provisionCustomer(
          h,
          customerBody(templateId, {
            externalId: `page-${i}`,
            packages: ['webex_meetings'],
            provisioningParameters: undefined,
            customerInfo: { name: `Page ${i}`, primaryEmail: `page${i}@list.example` },
          }),
        );
        ids.push(c.id);
      }
      const seen: string[] = [];
      let next: string | null = '/v1/wholesale/customers?max=2&status=provisioned';
      let pages = 0;
      while (next) {
        const res = await h.call('GET', next);
        const body = await res.json();
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((c: Body) => c.id));
        // Every page links rel="first"; only a page with more after it links rel="next".
        const nextUrl = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
        next = nextUrl ? new URL(nextUrl).pathname + new URL(nextUrl).search : null;
        pages += 1;
      }
      expect(pages).toBeGreaterThan(2);
      expect(seen).toEqual(expect.arrayContaining(ids));
      expect(new Set(seen).size).toBe(seen.length);
      const one = await (await h.call('GET', '/v1/wholesale/customers?externalId=page-3')).json();
      expect(one.items.map((c: Body) => c.id)).toEqual([ids[3]]);
      expect((await (await h.call('GET', '/v1/wholesale/customers?externalId=page-')).json()).items).toEqual([]);
    });
  });
});
