import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

describe(`console customers endpoints on ${testDbKind()}`, () => {
  let h: TestHarness;
  let subToken: string;
  let viewerToken: string;
  const customers: Record<string, Body> = {};
  const cli = (args: string[], opts: Record<string, string> = {}) =>
    runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
  const list = async (query: string, token?: string) => {
    const res = await h.call('GET', `/v1/console/customers${query}`, undefined, token ? { token } : {});
    expect(res.status).toBe(200);
    return (await res.json()) as { total: number; items: { id: string; name: string; externalId: string; status: string }[] };
  };
  const names = (body: { items: { name: string }[] }) => body.items.map((i) => i.name);

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-11-10T09:00:00Z' });
    const templateId = await defaultTemplateId(h);
    const make = async (ext: string, name: string, email: string, packages: string[]) => {
      const body = customerBody(templateId, { externalId: ext, packages, customerInfo: { name, primaryEmail: email } });
      const limits = body.provisioningParameters.packages.limits as Record<string, number>;
      for (const id of Object.keys(limits)) if (!packages.includes(id)) delete limits[id];
      customers[ext] = await provisionCustomer(h, body);
      h.clock.advance(60_000);
    };
    await make('crm-10', 'Bravo Clinic', 'it@bravo.example', ['webex_calling']);
    await make('crm-11', 'alpha dental', 'desk@alpha.example', ['webex_calling', 'webex_meetings']);
    await make('crm-12', 'Charlie Legal', 'c@charlie.example', ['webex_calling']);
    await make('crm-13', 'Delta_Works', 'd@delta.example', ['webex_calling']);
    // The first subscriber becomes the customer's admin: found by the admin's email.
    await addSubscriber(h, customers['crm-10']!.id, 'boss@bravo-staff.example', 'webex_calling');
    const added = await cli(['sub-partner', 'add'], { name: 'Reseller One' });
    const subOrgId = /orgId (\S+)/.exec(added.output)![1]!;
    subToken = /wdk_[\w-]+/.exec((await cli(['token', 'create'], { name: 'reseller', partner: subOrgId })).output)![0];
    viewerToken = /wdk_[\w-]+/.exec(
      (await cli(['token', 'create'], { name: 'viewer', scopes: 'spark-admin:wholesale_customers_read' })).output,
    )![0];
  });
  afterAll(() => h.close());

  it('searches name, externalId, primary email and admin email, case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(names(await list('?search=ALPHA'))).toEqual(['alpha dental']);
    expect(names(await list('?search=crm-12'))).toEqual(['Charlie Legal']);
    expect(names(await list('?search=d%40delta'))).toEqual(['Delta_Works']);
    expect(names(await list('?search=bravo-staff'))).toEqual(['Bravo Clinic']);
    expect(names(await list('?search=a_w'))).toEqual(['Delta_Works']);
    expect((await list('?search=nobody')).total).toBe(0);
  });

  it('filters by status and package and sorts by name, status and created date either way', async () => {
    expect(names(await list('?package=webex_meetings'))).toEqual(['alpha dental']);
    expect((await list('?status=provisioned')).total).toBe(4);
    expect((await list('?status=error')).total).toBe(0);
    expect(names(await list('?sort=-name'))).toEqual(['Delta_Works', 'Charlie Legal', 'Bravo Clinic', 'alpha dental']);
    expect(names(await list('?sort=created'))).toEqual(['Bravo Clinic', 'alpha dental', 'Charlie Legal', 'Delta_Works']);
    expect(names(await list('?sort=-created'))).toEqual(['Delta_Works', 'Charlie Legal', 'alpha dental', 'Bravo Clinic']);
    const bad = await h.call('GET', '/v1/console/customers?status=sleeping&sort=size&package=nope');
    expect(bad.status).toBe(400);
  });

  it('pages with a total that stays the same on every page, and past the end', async () => {
    const first = await list('?sort=name&max=3');
    const second = await list('?sort=name&max=3&offset=3');
    expect([first.total, second.total]).toEqual([4, 4]);
    expect([...names(first), ...names(second)]).toEqual(['alpha dental', 'Bravo Clinic', 'Charlie Legal', 'Delta_Works']);
    const beyond = await list('?max=3&offset=9');
    expect(beyond).toMatchObject({ total: 4, items: [] });
  });

  it('keeps each partner to its own customers, in the list and the aggregate', async () => {
    expect((await list('', subToken)).total).toBe(0);
    const res = await h.call('GET', `/v1/console/customers/${customers['crm-10']!.id}`, undefined, { token: subToken });
    expect(res.status).toBe(404);
  });

  it('needs the customers read scope; a token without subscribers or billing scopes gets those parts as null', async () => {
    const noScope = /wdk_[\w-]+/.exec(
      (await cli(['token', 'create'], { name: 'billing', scopes: 'spark-admin:wholesale_billing_reports_read' })).output,
    )![0];
    expect((await h.call('GET', '/v1/console/customers', undefined, { token: noScope })).status).toBe(403);
    const res = await h.call('GET', `/v1/console/customers/${customers['crm-10']!.id}`, undefined, { token: viewerToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subscribers: null, workspaces: null, invoice: null });
  });

  it('gives the customer page in one call: history, packages in use, subscribers billing, chart and invoice arithmetic', async () => {
    const id = customers['crm-10']!.id;
    expect(
      (
        await h.call('PUT', '/v1/billing/price-book', {
          effectiveFrom: '2026-11-01',
          currency: 'USD',
          items: [{ package: 'webex_calling', monthlyPrice: 1500 }],
        })
      ).status,
    ).toBe(200);
    // Held from the 10th at 09:04 (the admin came after four customers a minute apart) before "now" on the 13th at 09:00.
    h.clock.set('2026-11-13T09:00:00Z');
    const res = await h.call('GET', `/v1/console/customers/${id}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.customer).toMatchObject({ name: 'Bravo Clinic', status: 'provisioned' });
    expect(body.statusHistory.map((s: { status: string }) => s.status)).toEqual(['provisioning', 'provisioned']);
    expect(body.packages).toEqual([{ id: 'webex_calling', name: 'Webex Calling', limit: 50, inUse: 1 }]);
    expect(body.locations).toHaveLength(1);
    expect(body.subscribers).toHaveLength(1);
    expect(body.subscribers[0]).toMatchObject({ email: 'boss@bravo-staff.example', isAdmin: true, package: 'webex_calling' });
    expect(body.subscribers[0].billingSince).toMatch(/^2026-11-10T09:0/);
    expect(body.billingNow).toEqual([{ package: 'webex_calling', name: 'Webex Calling', licences: 1 }]);
    expect(body.chart.days).toHaveLength(30);
    expect(body.chart.days.at(-1)).toBe('2026-11-13');
    const values = body.chart.series[0].values as number[];
    expect(values.slice(-4)).toEqual([0.62, 1, 1, 0.38]);
    expect(body.chart.ticks).toEqual([0, 1]);
    expect(body.audit.length).toBeGreaterThanOrEqual(3);
    expect(body.audit.map((a: { action: string }) => a.action)).toContain('customer.create');
    // Counted through the 12th: the 10th from 09:04 (0.6222 of a day) and the 11th and 12th, of 30 days at 15.00.
    expect(body.invoice).toMatchObject({ month: '2026-11', currency: 'USD', daysInMonth: 30, provisional: true });
    expect(body.invoice.lines[0]).toMatchObject({ package: 'webex_calling', quantity: '2.6222', monthlyPrice: '15.00', amount: '1.31' });
    expect(body.compliance.reviews).toEqual([]);
    expect((await h.call('GET', '/v1/console/customers/nope')).status).toBe(404);
  });
});
