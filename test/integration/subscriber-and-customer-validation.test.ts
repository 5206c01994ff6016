import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext, IncomingFile } from '../../src/bot/bot-command.js';
import { handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { EVENTS_SECRET, postEvent } from '../support/signed-events.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const US = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
const HQ = { name: 'HQ', address: US, timezone: 'America/Chicago' };
const log = pino({ level: 'silent' });

/**
 * The rules a new subscriber or customer is checked against (first subscriber is the org-level admin,
 * names required, unique extensions, calling locations, partial PUT, every problem reported at once,
 * prechecks), each through the API and through chat, import and events where those take the same input.
 */
describe(`subscriber and customer validation on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;

  beforeAll(async () => {
    h = await createTestHarness({ env: { EVENTS_SECRETS: EVENTS_SECRET } });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  const newCustomer = (packages: string[], extra: Body = {}) =>
    provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: `i18-${++seq}`,
        packages,
        customerInfo: { name: `Issue Eighteen ${seq}`, primaryEmail: `owner${seq}@i18.example` },
        provisioningParameters: { calling: { location: HQ } },
        ...extra,
      }),
    );
  const postSubscriber = (customerId: string, email: string, pkg: string, params: Body = {}) =>
    h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email,
      packages: [pkg],
      provisioningParameters: { firstName: 'Ann', lastName: 'Lee', ...params },
    });
  const codesOf = async (res: Response) => ((await res.json()) as { errors: { errorCode: number }[] }).errors.map((e) => e.errorCode);
  const chat = async (text: string, files?: IncomingFile[]) => {
    const ctx: BotContext = {
      useCases: h.useCases,
      actor: { partner: (await loadRootPartner(h.db))!, label: 'staff:operator@partner.example', role: 'operator' },
      spaceId: 'space-i18',
      deps: { now: h.clock.now(), uuid: nodeIds.uuid },
      files,
    };
    return handleMessage(ctx, text, log);
  };

  describe('7. the first subscriber is the full admin, at the org level, never downgraded', () => {
    it('refuses a first subscriber below the org level (API 409 1801), accepts one at it, and the second is no admin', async () => {
      const c = await newCustomer(['webex_suite', 'webex_calling']);
      const low = await postSubscriber(c.id, `low${seq}@i18.example`, 'webex_calling', { extension: '1001' });
      expect(low.status).toBe(409);
      expect(await codesOf(low)).toEqual([1801]);
      const admin = await postSubscriber(c.id, `admin${seq}@i18.example`, 'webex_suite', { extension: '1001' });
      expect(admin.status).toBe(200);
      expect(await admin.json()).toMatchObject({ isAdmin: true, package: 'webex_suite' });
      const second = await postSubscriber(c.id, `second${seq}@i18.example`, 'webex_calling', { extension: '1002' });
      expect(second.status).toBe(200);
      expect(await second.json()).toMatchObject({ isAdmin: false });
    });

    it("refuses downgrading the admin's package (API and chat 409 1802), allows an upgrade and a non-admin's downgrade", async () => {
      const c = await newCustomer(['webex_suite', 'webex_calling', 'webex_meetings']);
      const admin = await (await postSubscriber(c.id, `adm${seq}@i18.example`, 'webex_suite', { extension: '1001' })).json();
      const other = await (await postSubscriber(c.id, `oth${seq}@i18.example`, 'webex_suite', { extension: '1002' })).json();
      const down = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(admin.id)}`, { packages: ['webex_calling'] });
      expect(down.status).toBe(409);
      expect(await codesOf(down)).toEqual([1802]);
      const sideways = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(admin.id)}`, { packages: ['webex_meetings'] });
      expect(await codesOf(sideways)).toEqual([1802]);
      expect(
        (await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(other.id)}`, { packages: ['webex_calling'] })).status,
      ).toBe(200);
      // Chat refuses it at once: a change that will certainly fail is never proposed.
      expect((await chat(`change package adm${seq}@i18.example to webex_calling`)).markdown).toContain(
        'cannot be downgraded from webex\\_suite to webex\\_calling',
      );
      expect((await chat('yes')).markdown).toContain('Nothing is waiting for your confirmation');
      const still = await (await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(admin.id)}`)).json();
      expect(still).toMatchObject({ package: 'webex_suite', isAdmin: true });
    });

    it('never passes admin on: after the first subscriber is removed, the next one is no admin', async () => {
      const c = await newCustomer(['webex_calling', 'webex_meetings']);
      const first = await (await postSubscriber(c.id, `one${seq}@i18.example`, 'webex_calling', { extension: '1001' })).json();
      expect(first.isAdmin).toBe(true);
      expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(first.id)}`)).status).toBe(204);
      const next = await (await postSubscriber(c.id, `two${seq}@i18.example`, 'webex_calling', { extension: '1001' })).json();
      expect(next.isAdmin).toBe(false);
    });

    it('import: a first row below the org level fails with the admin rule', async () => {
      const c = await newCustomer(['webex_suite', 'webex_calling']);
      const csv = `email,customer,package,first_name,last_name,extension\nimp${seq}@i18.example,${c.externalId},webex_calling,Imp,Ort,1001\n`;
      const files = [{ name: 'users.csv', content: new TextEncoder().encode(csv) }];
      // Checked before anything is proposed: the row is named and nothing is imported.
      const refused = await chat('import users', files);
      expect(refused.markdown).toContain('Nothing was imported: 1 row cannot be added');
      expect(refused.markdown).toContain(
        "line 2: the first subscriber becomes the customer's full admin and must hold the org's package level",
      );
    });
  });

  describe('8. firstName and lastName are required', () => {
    it('API: 400 1000 naming each missing name; events: refused at intake', async () => {
      const c = await newCustomer(['webex_meetings'], { provisioningParameters: undefined });
      const none = await h.call('POST', '/v1/wholesale/subscribers', {
        customerId: c.id,
        email: `nn${seq}@i18.example`,
        packages: ['webex_meetings'],
      });
      expect(none.status).toBe(400);
      expect(await codesOf(none)).toEqual([1000]);
      const noLast = await h.call('POST', '/v1/wholesale/subscribers', {
        customerId: c.id,
        email: `nl${seq}@i18.example`,
        packages: ['webex_meetings'],
        provisioningParameters: { firstName: 'Ann' },
      });
      expect(noLast.status).toBe(400);
      expect((await noLast.json()).message).toContain('provisioningParameters.lastName');
      const event = await postEvent(h, {
        id: `evt-i18-${seq}`,
        type: 'subscriber.provision',
        occurredAt: h.clock.now().toISOString(),
        data: {
          customerId: c.id,
          email: `ev${seq}@i18.example`,
          packages: ['webex_meetings'],
          provisioningParameters: { lastName: 'Lee' },
        },
      });
      expect(event.status).toBe(400);
      expect(await event.text()).toContain('firstName');
    });
  });

  describe('9. an extension or phone number is unique within a customer', () => {
    it('API, precheck and update: 409 1803 / 1804 naming the holder; another customer may reuse it; freed on removal', async () => {
      const c = await newCustomer(['webex_calling', 'webex_meetings']);
      const ann = await (
        await postSubscriber(c.id, `ann${seq}@i18.example`, 'webex_calling', { extension: '1001', primaryPhoneNumber: '+14085550101' })
      ).json();
      const dupExt = await postSubscriber(c.id, `bob${seq}@i18.example`, 'webex_calling', { extension: '1001' });
      expect(dupExt.status).toBe(409);
      const body = await dupExt.json();
      expect(body.errors.map((e: { errorCode: number }) => e.errorCode)).toEqual([1803]);
      expect(body.message).toContain(`ann${seq}@i18.example`);
      const dupPhone = await postSubscriber(c.id, `bob${seq}@i18.example`, 'webex_calling', { primaryPhoneNumber: '+14085550101' });
      expect(await codesOf(dupPhone)).toEqual([1804]);
      const pre = await h.call('POST', '/v1/wholesale/subscribers/validate', {
        customerId: c.id,
        email: `bob${seq}@i18.example`,
        packages: ['webex_calling'],
        provisioningParameters: { firstName: 'Bob', lastName: 'Ray', extension: '1001' },
      });
      expect(pre.status).toBe(409);
      expect(await codesOf(pre)).toEqual([1803]);
      expect(
        (await chat(`precheck user bob${seq}@i18.example to ${c.externalId} package webex_calling extension 1001`)).markdown,
      ).toContain('extension 1001 is already held by');
      const bob = await (await postSubscriber(c.id, `bob${seq}@i18.example`, 'webex_calling', { extension: '1002' })).json();
      const steal = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`, {
        packages: ['webex_calling'],
        provisioningParameters: { extension: '1001' },
      });
      expect(await codesOf(steal)).toEqual([1803]);
      // Keeping one's own extension is no conflict.
      expect(
        (
          await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(ann.id)}`, {
            packages: ['webex_calling'],
            provisioningParameters: { extension: '1001' },
          })
        ).status,
      ).toBe(200);
      const elsewhere = await newCustomer(['webex_calling']);
      expect((await postSubscriber(elsewhere.id, `cy${seq}@i18.example`, 'webex_calling', { extension: '1001' })).status).toBe(200);
      expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(ann.id)}`)).status).toBe(204);
      expect((await postSubscriber(c.id, `dee${seq}@i18.example`, 'webex_calling', { extension: '1001' })).status).toBe(200);
    });

    it('is race-safe: two concurrent POSTs for one extension, exactly one wins', async () => {
      const c = await newCustomer(['webex_calling']);
      await postSubscriber(c.id, `adm-race${seq}@i18.example`, 'webex_calling', { extension: '1000' });
      const results = await Promise.all(
        [1, 2, 3].map((i) => postSubscriber(c.id, `race${i}-${seq}@i18.example`, 'webex_calling', { extension: '1500' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      const holders = await h.db
        .selectFrom('subscribers')
        .select('id')
        .where('customer_id', '=', c.id)
        .where('extension', '=', '1500')
        .where('status', '<>', 'deleted')
        .execute();
      expect(holders).toHaveLength(1);
    });

    it('import: two lines of one customer with one extension are refused before anything is written', async () => {
      const c = await newCustomer(['webex_calling']);
      const csv = `email,customer,package,first_name,last_name,extension\na${seq}@i18.example,${c.externalId},webex_calling,A,A,1001\nb${seq}@i18.example,${c.externalId},webex_calling,B,B,1001\n`;
      const reply = await chat('import users', [{ name: 'users.csv', content: new TextEncoder().encode(csv) }]);
      expect(reply.markdown).toContain('Nothing was imported: 1 row cannot be added');
      expect(reply.markdown).toContain(`line 3: extension 1001 is already held by a${seq}@i18.example \\(subscriber on line 2\\)`);
    });
  });

  describe('10. more calling locations', () => {
    it('adds a branch on PUT, lets a subscriber name it, and the USER report shows each subscriber its location', async () => {
      h.clock.set('2026-06-15T12:00:00Z');
      const c = await newCustomer(['webex_calling', 'webex_meetings'], { effectiveAt: '2026-05-01T00:00:00Z' });
      const path = `/v1/wholesale/customers/${encodeURIComponent(c.id)}`;
      const branch = { name: 'Branch Dallas', address: { ...US, city: 'Dallas', zipOrPostalCode: '75201' }, timezone: 'America/Chicago' };
      // The HQ is the first location created: the branch comes a minute later.
      h.clock.advance(60_000);
      const put = await h.call('PUT', path, { provisioningParameters: { calling: { location: branch } } });
      expect(put.status).toBe(202);
      await h.worker.drain();
      // A retried PUT adds nothing twice.
      expect((await h.call('PUT', path, { provisioningParameters: { calling: { location: branch } } })).status).toBe(202);
      await h.worker.drain();
      const locations = (await (await h.call('GET', `${path}/locations`)).json()).items;
      expect(locations.map((l: Body) => [l.name, l.headquarters])).toEqual([
        ['HQ', true],
        ['Branch Dallas', false],
      ]);
      const [hq, dallas] = locations as Body[];

      const other = await newCustomer(['webex_calling']);
      const otherLocation = (await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(other.id)}/locations`)).json())
        .items[0];
      const wrong = await postSubscriber(c.id, `wrong${seq}@i18.example`, 'webex_calling', {
        extension: '1009',
        locationId: otherLocation.id,
      });
      expect(wrong.status).toBe(404);
      expect(await codesOf(wrong)).toEqual([2005]);

      const at = (email: string, pkg: string, params: Body) =>
        h.call('POST', '/v1/wholesale/subscribers', {
          customerId: c.id,
          email,
          packages: [pkg],
          provisioningParameters: { firstName: 'L', lastName: 'Oc', ...params },
          effectiveAt: '2026-05-01T00:00:00Z',
        });
      const hqUser = await (await at(`hq${seq}@i18.example`, 'webex_calling', { extension: '1001' })).json();
      const branchUser = await (await at(`br${seq}@i18.example`, 'webex_calling', { extension: '1002', locationId: dallas!.id })).json();
      const meetingsUser = await (await at(`mt${seq}@i18.example`, 'webex_meetings', {})).json();
      expect(branchUser.locationId).toBe(dallas!.id);
      // A PUT naming another customer's location is 404 2005 too, whatever the package (and a Meetings-only
      // subscriber takes no location at all: 1900).
      const move = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(meetingsUser.id)}`, {
        packages: ['webex_meetings'],
        provisioningParameters: { locationId: otherLocation.id },
      });
      expect(await codesOf(move)).toEqual([2005, 1900]);
      expect(hqUser.locationId).toBe(hq!.id);

      const report = await h.call('POST', '/v1/wholesale/billing/reports', {
        billingStartDate: '2026-05-01',
        billingEndDate: '2026-05-31',
        type: 'USER',
      });
      expect(report.status, await report.clone().text()).toBe(200);
      const id = (await report.json()).id;
      await h.worker.drain();
      const url = new URL((await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json()).tempDownloadURL);
      const rows = parseCsv(await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text());
      const locationOf = (subscriberId: string) => rows.find((r) => r.SUBSCRIBER_ID === subscriberId)?.LOCATION_ID;
      expect(locationOf(hqUser.id)).toBe(hq!.id);
      expect(locationOf(branchUser.id)).toBe(dallas!.id);
      // A subscriber without a location of its own (not calling) is reported at the customer's HQ.
      expect(locationOf(meetingsUser.id)).toBe(hq!.id);
    });
  });

  describe('11. PUT of a customer: every field optional', () => {
    it('accepts a PUT without packages and keeps them', async () => {
      const c = await newCustomer(['webex_calling', 'webex_meetings']);
      const path = `/v1/wholesale/customers/${encodeURIComponent(c.id)}`;
      const res = await h.call('PUT', path, { externalId: `renamed-${seq}` });
      expect(res.status, await res.clone().text()).toBe(202);
      await h.worker.drain();
      expect(await (await h.call('GET', path)).json()).toMatchObject({
        externalId: `renamed-${seq}`,
        packages: ['webex_calling', 'webex_meetings'],
      });
    });
  });

  describe('12. every problem at once', () => {
    it('reports a 60-character line, country XX, no city and a bad email together', async () => {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: `all-${++seq}`,
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          address: { addressLine1: 'x'.repeat(60), country: 'XX' },
          customerInfo: { name: 'All At Once', primaryEmail: 'not-an-email' },
        }),
      );
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors.map((e: { errorCode: number }) => e.errorCode).sort()).toEqual([1000, 1000, 1301, 1302]);
      expect(body.message).toContain('address.city');
      expect(body.message).toContain('customerInfo.primaryEmail');
      expect(body.message).toContain('address.addressLine1');
      expect(body.message).toContain('address.country');
    });

    it('answers 400, not 409, for a request both invalid and conflicting', async () => {
      const taken = await newCustomer(['webex_meetings'], { provisioningParameters: undefined });
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: `conflict-${++seq}`,
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          address: { ...US, country: 'XX' },
          customerInfo: { name: 'Both', primaryEmail: taken.customerInfo.primaryEmail },
        }),
      );
      expect(res.status).toBe(400);
      expect(await codesOf(res)).toEqual([1302, 10022]);
    });
  });

  describe('13. prechecks find what creation would refuse', () => {
    it('subscriber precheck: admin level, limits, extension in use', async () => {
      const c = await newCustomer(['webex_suite', 'webex_calling'], {
        provisioningParameters: { calling: { location: HQ }, packages: { limits: { webex_calling: 1 } } },
      });
      const validate = (email: string, pkg: string, extension: string) =>
        h.call('POST', '/v1/wholesale/subscribers/validate', {
          customerId: c.id,
          email,
          packages: [pkg],
          provisioningParameters: { firstName: 'P', lastName: 'Re', extension },
        });
      const level = await validate(`p1${seq}@i18.example`, 'webex_calling', '1001');
      expect(await codesOf(level)).toEqual([1801]);
      await postSubscriber(c.id, `p-admin${seq}@i18.example`, 'webex_suite', { extension: '1001' });
      await postSubscriber(c.id, `p-cal${seq}@i18.example`, 'webex_calling', { extension: '1002' });
      const both = await validate(`p2${seq}@i18.example`, 'webex_calling', '1002');
      expect(both.status).toBe(409);
      expect((await codesOf(both)).sort()).toEqual([1105, 1803]);
      expect(await (await validate(`p3${seq}@i18.example`, 'webex_suite', '1003')).json()).toMatchObject({ message: 'success' });
    });

    it('customer precheck: the add-on requirement and every address problem, a missing city among them', async () => {
      const res = await h.call('POST', '/v1/wholesale/customers/validate', {
        packages: ['webex_meetings', 'attendant_console'],
        address: { addressLine1: 'x'.repeat(60), country: 'XX' },
        customerInfo: { primaryEmail: 'pre@i18.example' },
      });
      expect(res.status).toBe(400);
      expect((await codesOf(res)).sort()).toEqual([1000, 1104, 1301, 1302]);
    });
  });
});
