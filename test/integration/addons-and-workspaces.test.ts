import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const log = pino({ level: 'silent' });
const errorCodes = async (res: Response) => ((await res.json()) as { errors: { errorCode: number }[] }).errors.map((e) => e.errorCode);

/** Issue #18 item 4: one base package plus add-ons per subscriber, workspaces with Common Area Calling. */
describe(`add-ons and workspaces on ${testDbKind()}`, () => {
  let h: TestHarness;
  let customer: Body;
  const ids = { ann: '', bob: '', dee: '', eve: '', lobby: '' };
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-01T00:00:00Z' });
    const templateId = await defaultTemplateId(h);
    customer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'addons',
        packages: ['webex_calling', 'webex_meetings', 'attendant_console', 'cisco_calling_plan', 'common_area_calling'],
        provisioningParameters: {
          ...customerBody(templateId).provisioningParameters,
          packages: { limits: { attendant_console: 2, common_area_calling: 1 } },
        },
      }),
    );
    expect(customer.status).toBe('provisioned');
  });
  afterAll(() => h.close());

  const post = (email: string, packages: string[], extension: string) =>
    h.call('POST', '/v1/wholesale/subscribers', {
      customerId: customer.id,
      email,
      packages,
      provisioningParameters: { firstName: 'T', lastName: email.split('@')[0], extension },
    });

  async function report(type: 'USER' | 'CUSTOMER', category = 'RECONCILIATION'): Promise<Record<string, string>[]> {
    // A point-in-time count is taken at the end of the period's last day: yesterday's, when asked on 2 July.
    const period =
      category === 'RECONCILIATION'
        ? { billingStartDate: '2026-06-01', billingEndDate: '2026-06-30' }
        : { billingStartDate: '2026-07-01', billingEndDate: '2026-07-01' };
    const res = await h.call('POST', '/v1/wholesale/billing/reports', { ...period, type, category });
    expect(res.status, await res.clone().text()).toBe(200);
    const id = (await res.json()).id;
    await h.worker.drain();
    const got = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    expect(got.status).toBe('COMPLETED');
    const u = new URL(got.tempDownloadURL);
    return parseCsv(await (await h.call('GET', `${u.pathname}${u.search}`, undefined, { token: null })).text());
  }

  it('a subscriber holds one base package plus add-ons; limits count add-ons and workspaces', async () => {
    const ann = await post('ann@addons.example', ['webex_calling', 'attendant_console'], '1001');
    expect(ann.status, await ann.clone().text()).toBe(200);
    const annBody = await ann.json();
    expect(annBody).toMatchObject({ package: 'webex_calling', packages: ['webex_calling', 'attendant_console'] });
    ids.ann = annBody.id;
    // Attendant Console needs a calling base package on the subscriber (webex_calling, webex_suite, cx_essentials).
    expect(await errorCodes(await post('bob@addons.example', ['webex_meetings', 'attendant_console'], '1002'))).toEqual([1120]);
    // An add-on alone is not a base package.
    expect(await errorCodes(await post('bob@addons.example', ['attendant_console'], '1002'))).toEqual([1107]);
    expect(await errorCodes(await post('bob@addons.example', ['webex_calling', 'webex_meetings'], '1002'))).toEqual([1107]);
    const bob = await post('bob@addons.example', ['webex_calling', 'cisco_calling_plan'], '1002');
    expect(bob.status, await bob.clone().text()).toBe(200);
    ids.bob = (await bob.json()).id;
    const dee = await post('dee@addons.example', ['webex_calling', 'attendant_console'], '1004');
    expect(dee.status).toBe(200);
    ids.dee = (await dee.json()).id;
    // The customer's limit of 2 Attendant Consoles is held by two add-ons.
    const eve = await post('eve@addons.example', ['webex_calling', 'attendant_console'], '1005');
    expect(eve.status).toBe(409);
    expect(await errorCodes(eve)).toEqual([1105]);

    const lobby = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: customer.id,
      name: 'Lobby',
      provisioningParameters: { extension: '1900' },
    });
    expect(lobby.status, await lobby.clone().text()).toBe(201);
    const lobbyBody = await lobby.json();
    expect(lobbyBody).toMatchObject({ name: 'Lobby', packages: ['common_area_calling'], status: 'provisioned', extension: '1900' });
    expect(lobbyBody.locationId).toBeTruthy();
    ids.lobby = lobbyBody.id;
    const door = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: customer.id,
      name: 'Door',
      provisioningParameters: { extension: '1901' },
    });
    expect(door.status).toBe(409);
    expect(await errorCodes(door)).toEqual([1105]);

    // 06-11: Ann drops Attendant Console; the freed console goes to Eve.
    h.clock.set('2026-06-11T00:00:00Z');
    const put = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(ids.ann)}`, { packages: ['webex_calling'] });
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await put.json()).packages).toEqual(['webex_calling']);
    const eve2 = await post('eve@addons.example', ['webex_calling', 'attendant_console'], '1005');
    expect(eve2.status, await eve2.clone().text()).toBe(200);
    ids.eve = (await eve2.json()).id;
    // A customer update may not drop a package that add-ons or workspaces still hold.
    const drop = await h.call('PUT', `/v1/wholesale/customers/${encodeURIComponent(customer.id)}`, {
      packages: ['webex_calling', 'webex_meetings', 'cisco_calling_plan', 'common_area_calling'],
    });
    expect(drop.status).toBe(409);
    expect(await errorCodes(drop)).toContain(1106);

    // 06-21: Dee leaves (her add-on ends with her); 06-26: the lobby workspace is removed.
    h.clock.set('2026-06-21T00:00:00Z');
    expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(ids.dee)}`)).status).toBe(204);
    h.clock.set('2026-06-26T00:00:00Z');
    expect((await h.call('DELETE', `/v1/wholesale/workspaces/${encodeURIComponent(ids.lobby)}`)).status).toBe(204);
    expect(await errorCodes(await h.call('GET', `/v1/wholesale/workspaces/${encodeURIComponent(ids.lobby)}`))).toEqual([2010]);
  });

  it('bills each add-on and workspace on its own USER rows, and CUSTOMER rows sum them', async () => {
    h.clock.set('2026-07-02T00:00:00Z');
    const user = await report('USER');
    const rows = user.map((r) => [r.SERVICE_NAME, r.SUBSCRIBER_ID || r.WORKSPACE_ID, r.QUANTITY]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['ATTENDANT_CONSOLE', ids.ann, '10'],
        ['ATTENDANT_CONSOLE', ids.dee, '20'],
        ['ATTENDANT_CONSOLE', ids.eve, '20'],
        ['CISCO_CALLING_PLAN', ids.bob, '30'],
        ['COMMON_AREA_CALLING', ids.lobby, '25'],
        ['WEBEX_CALLING', ids.ann, '30'],
        ['WEBEX_CALLING', ids.bob, '30'],
        ['WEBEX_CALLING', ids.dee, '20'],
        ['WEBEX_CALLING', ids.eve, '20'],
      ]),
    );
    expect(rows).toHaveLength(9);
    const ws = user.find((r) => r.SERVICE_NAME === 'COMMON_AREA_CALLING')!;
    expect(ws).toMatchObject({ SUBSCRIBER_ID: '', USER_ID: '', WORKSPACE_ID: ids.lobby, CUSTOMER_EXTERNAL_ID: 'addons' });
    expect(ws.LOCATION_ID).toBeTruthy();
    const perCustomer = Object.fromEntries((await report('CUSTOMER')).map((r) => [r.SERVICE_NAME, r.QUANTITY]));
    expect(perCustomer).toMatchObject({
      ATTENDANT_CONSOLE: '50',
      CISCO_CALLING_PLAN: '30',
      COMMON_AREA_CALLING: '25',
      WEBEX_CALLING: '100',
    });
    // The holders at the end of 1 July: Ann, Bob (+ Cisco Calling Plan) and Eve (+ Attendant Console); the lobby is gone.
    const now = Object.fromEntries((await report('CUSTOMER', 'POINT_IN_TIME')).map((r) => [r.SERVICE_NAME, r.QUANTITY]));
    expect(now).toEqual({ ATTENDANT_CONSOLE: '1', CISCO_CALLING_PLAN: '1', WEBEX_CALLING: '3' });
    const invoice = await (await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=2026-06`)).json();
    expect(JSON.stringify(invoice)).toContain('attendant_console');
    expect(JSON.stringify(invoice)).toContain('common_area_calling');
  });

  it('workspaces: a resource of a customer, listed and refused by the same rules; chat adds one after confirmation', async () => {
    const templateId = await defaultTemplateId(h);
    const other = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'no-common-area',
        customerInfo: { name: 'Plain Co', primaryEmail: 'it@plain.example' },
      }),
    );
    const refused = await h.call('POST', '/v1/wholesale/workspaces', { customerId: other.id, name: 'Hall' });
    expect(refused.status).toBe(400);
    // The customer lacks common_area_calling, and a calling device needs an extension or number.
    expect((await errorCodes(refused)).sort()).toEqual([1103, 1108]);

    const partner = (await loadRootPartner(h.db))!;
    const say = (text: string) =>
      handleMessage(
        {
          useCases: h.useCases,
          actor: { partner, label: 'staff:ops@partner.example', role: 'operator' },
          spaceId: 's',
          deps: { now: h.clock.now(), uuid: nodeIds.uuid },
        },
        text,
        log,
      );
    const proposal = await say('add workspace "Front desk" to addons extension 1910');
    expect(proposal.markdown).toContain('Add workspace **Front desk**');
    expect(proposal.markdown).toContain('Common Area Calling');
    expect(await h.db.selectFrom('workspaces').select('id').where('name', '=', 'Front desk').execute()).toEqual([]);
    expect((await say('yes')).markdown).toContain('Added workspace **Front desk**');
    // Chat: a base package plus an add-on; changing the base keeps the add-on, so it must still fit.
    expect(
      (await say('add user fay@addons.example to addons package webex_calling,attendant_console first Fay last Fox extension 1006'))
        .markdown,
    ).toContain('Add **fay@addons.example**');
    expect((await say('yes')).markdown).toContain('Added **fay@addons.example**');
    const fay = await h.db.selectFrom('subscribers').selectAll().where('email', '=', 'fay@addons.example').executeTakeFirstOrThrow();
    expect([fay.package, fay.addons]).toEqual(['webex_calling', ['attendant_console']]);
    // It would not fit: the answer says why at once, instead of asking to confirm a change that fails.
    const unfit = await say('change package fay@addons.example to webex_meetings');
    expect(unfit.markdown).toContain('attendant\\_console is an add\\-on that needs one of webex\\_calling');
    expect(unfit.card).toBeUndefined();
    expect((await say('yes')).markdown).toContain('Nothing is waiting for your confirmation');
    const dup = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: customer.id,
      name: 'front DESK',
      provisioningParameters: { extension: '1911' },
    });
    expect(await errorCodes(dup)).toContain(2011);
    const list = await (await h.call('GET', `/v1/wholesale/workspaces?customerId=${encodeURIComponent(customer.id)}`)).json();
    expect(list.items.map((w: Body) => [w.name, w.externalCustomerId, w.extension])).toEqual([['Front desk', 'addons', '1910']]);
    const one = await (await h.call('GET', `/v1/wholesale/workspaces/${encodeURIComponent(list.items[0].id)}`)).json();
    expect(one).toMatchObject({ name: 'Front desk', customerId: customer.id, packages: ['common_area_calling'] });
    const doc = await (await h.call('GET', '/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/wholesale/workspaces', '/wholesale/workspaces/{workspaceId}']));
  });

  it('one extension or phone number per customer across subscribers and workspaces, and no workspace dated before its customer', async () => {
    const templateId = await defaultTemplateId(h);
    const shared = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'numbers-shared',
        customerInfo: { name: 'Numbers Co', primaryEmail: 'it@numbers.example' },
        packages: ['webex_calling', 'webex_meetings', 'common_area_calling'],
        effectiveAt: '2026-05-20T00:00:00Z',
      }),
    );
    const admin = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: shared.id,
      email: 'amy@numbers.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Amy', lastName: 'Ng', extension: '2001', primaryPhoneNumber: '+14085550101' },
    });
    expect(admin.status, await admin.clone().text()).toBe(200);
    const onPerson = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: shared.id,
      name: 'Kitchen',
      provisioningParameters: { extension: '2001', primaryPhoneNumber: '+14085550101' },
    });
    expect(onPerson.status).toBe(409);
    const body = (await onPerson.json()) as Body;
    expect(body.errors.map((e: Body) => e.errorCode).sort()).toEqual([1803, 1804]);
    expect(body.message).toContain('amy@numbers.example');
    const kitchen = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: shared.id,
      name: 'Kitchen',
      provisioningParameters: { extension: '2002' },
    });
    expect(kitchen.status, await kitchen.clone().text()).toBe(201);
    const onRoom = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: shared.id,
      email: 'bo@numbers.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Bo', lastName: 'Li', extension: '2002' },
    });
    expect(onRoom.status).toBe(409);
    const roomBody = (await onRoom.json()) as Body;
    expect(roomBody.errors.map((e: Body) => e.errorCode)).toEqual([1803]);
    expect(roomBody.message).toContain('workspace "Kitchen"');
    const early = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: shared.id,
      name: 'Porch',
      provisioningParameters: { extension: '2003' },
      effectiveAt: '2026-05-01T00:00:00Z',
    });
    expect(early.status).toBe(400);
    expect(await errorCodes(early)).toEqual([1602]);
  });
});
