import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { appendAudit } from '../../src/db/repositories/audit-log.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { type Body, customerBody, defaultTemplateId } from '../support/api-fixtures.js';

describe(`the console's audit log on ${testDbKind()}`, () => {
  let h: TestHarness;
  let subPartnerId: string;
  let subAdminToken: string;
  let viewerToken: string;
  const cli = (args: string[], opts: Record<string, string> = {}) =>
    runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
  const audit = async (query: string, token?: string) => {
    const res = await h.call('GET', `/v1/console/audit${query}`, undefined, token ? { token } : {});
    return { res, items: res.ok ? ((await res.json()).items as Body[]) : [] };
  };
  const ids = (items: Body[]) => items.map((i) => i.entityId);

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-11-10T12:00:00Z' });
    const added = await cli(['sub-partner', 'add'], { name: 'Reseller One' });
    const subOrgId = /orgId (\S+)/.exec(added.output)![1]!;
    subPartnerId = (await h.db.selectFrom('partners').select('id').where('org_id', '=', subOrgId).executeTakeFirstOrThrow()).id;
    subAdminToken = /wdk_[\w-]+/.exec((await cli(['token', 'create'], { name: 'reseller', partner: subOrgId })).output)![0];
    viewerToken = /wdk_[\w-]+/.exec(
      (await cli(['token', 'create'], { name: 'viewer', scopes: 'spark-admin:wholesale_customers_read,wholesale-desk:compliance_read' }))
        .output,
    )![0];
    const root = h.partnerId;
    const rows: [string, string, string, string, string, string][] = [
      // at, partner, actor, action, entity type, entity id
      ['2026-11-01T08:00:00Z', root, 'staff:ann@partner.example', 'customer.create', 'widget', 'w1'],
      ['2026-11-01T09:00:00Z', root, 'token:abc', 'customer.update', 'widget', 'w1'],
      ['2026-11-02T10:00:00Z', root, 'staff:Bob@partner.example', 'review.approve', 'gadget', 'g1'],
      ['2026-11-03T23:59:59Z', root, 'staff:ann@partner.example', 'customer.delete', 'widget', 'w2'],
      ['2026-11-04T00:00:00Z', root, 'chat:space-1', 'customer.create', 'widget', 'w3'],
      ['2026-11-02T12:00:00Z', subPartnerId, 'staff:ann@partner.example', 'customer.create', 'widget', 'sub-w1'],
    ];
    for (const [at, partnerId, actor, action, entityType, entityId] of rows)
      await appendAudit(h.db, {
        at: new Date(at),
        partnerId,
        actor,
        action,
        entityType,
        entityId,
        before: action.endsWith('update') ? { name: 'Old' } : null,
        after: { name: 'New' },
      });
  });
  afterAll(() => h.close());

  it('lists the partner’s entries newest first, with before and after as recorded', async () => {
    const { res, items } = await audit('?entityType=widget');
    expect(res.status).toBe(200);
    expect(ids(items)).toEqual(['w3', 'w2', 'w1', 'w1']);
    expect(items[2]).toEqual({
      id: expect.any(Number),
      at: '2026-11-01T09:00:00.000Z',
      actor: 'token:abc',
      // No token abc exists and a widget has no name: the names are null, the ids as recorded.
      actorName: null,
      entityName: null,
      customerId: null,
      action: 'customer.update',
      entityType: 'widget',
      entityId: 'w1',
      before: { name: 'Old' },
      after: { name: 'New' },
      context: null,
    });
  });

  it('filters by part of the actor (any case), by entity and by time; a date as "to" includes that day', async () => {
    expect(ids((await audit('?actor=ANN@partner')).items)).toEqual(['w2', 'w1']);
    expect(ids((await audit('?actor=staff:bob')).items)).toEqual(['g1']);
    // % and _ are what they are, not wildcards.
    expect((await audit('?actor=%25')).items).toEqual([]);
    expect(ids((await audit('?entityType=widget&entityId=w1')).items)).toEqual(['w1', 'w1']);
    expect(ids((await audit('?entityType=widget&from=2026-11-02&to=2026-11-03')).items)).toEqual(['w2']);
    expect(ids((await audit('?from=2026-11-01T09:00:00Z&to=2026-11-02T10:00:00Z')).items)).toEqual(['w1']);
    expect(ids((await audit('?entityType=gadget&from=2026-11-02T10:00:00%2B01:00')).items)).toEqual(['g1']);
  });

  it('pages with offset and max and a Link to the next page', async () => {
    const first = await audit('?entityType=widget&max=3');
    expect(ids(first.items)).toEqual(['w3', 'w2', 'w1']);
    const next = first.res.headers.get('link');
    expect(next).toMatch(/offset=3/);
    const second = await audit(new URL(/<([^>]+)>/.exec(next!)![1]!).search);
    expect(ids(second.items)).toEqual(['w1']);
    expect(second.res.headers.get('link')).toBeNull();
  });

  it('keeps each partner to its own log', async () => {
    expect(ids((await audit('?entityType=widget', subAdminToken)).items)).toEqual(['sub-w1']);
    expect(ids((await audit('?actor=ann')).items)).not.toContain('sub-w1');
  });

  it('names the token and the customer beside their ids, and only the partner’s own', async () => {
    const made = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(await defaultTemplateId(h), {
        externalId: 'crm-named',
        customerInfo: { name: 'Named Dental', primaryEmail: 'it@named.example', language: 'en' },
      }),
    );
    expect(made.status).toBe(202);
    const [entry] = (await audit('?entityType=customer&max=1')).items;
    const token = await h.db
      .selectFrom('api_tokens')
      .select(['id', 'name'])
      .where('partner_id', '=', h.partnerId)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor: `token:${token.id}`,
      actorName: token.name,
      entityName: 'Named Dental',
      customerId: entry!.entityId,
    });
    // The sub-partner's log names its own entries; the root partner's customer is not among them.
    expect((await audit('?entityType=customer', subAdminToken)).items).toEqual([]);
  });

  it('refuses a caller without the admin scope and a query it cannot read', async () => {
    const refused = await audit('', viewerToken);
    expect(refused.res.status).toBe(403);
    expect((await refused.res.json()).errors[0].errorCode).toBe(3001);
    for (const bad of ['?from=yesterday', '?to=2026-02-31', '?from=2026-11-03&to=2026-11-02', '?max=0', '?max=201'])
      expect((await audit(bad)).res.status, bad).toBe(400);
  });
});
