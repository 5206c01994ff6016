import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { removePartnerStaff } from '../../src/use-cases/partner-access.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** The console's Staff & tokens page API: admins of a partner manage their own staff and tokens, no more. */
describe(`console staff and tokens on ${testDbKind()}`, () => {
  let h: TestHarness;
  const cli = (args: string[], opts: Record<string, string> = {}) =>
    runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
  const tokenOf = (output: string) => /(wdk_\S+)/.exec(output)![1]!;
  beforeAll(async () => {
    h = await createTestHarness();
  });
  afterAll(() => h.close());

  it('refuses a token without wholesale-desk:admin, and a caller without a token', async () => {
    const reader = tokenOf((await cli(['token', 'create'], { name: 'reader', scopes: 'spark-admin:wholesale_customers_read' })).output);
    for (const [method, path] of [
      ['GET', '/v1/console/access/staff'],
      ['PUT', '/v1/console/access/staff'],
      ['GET', '/v1/console/access/tokens'],
      ['POST', '/v1/console/access/tokens'],
      ['DELETE', '/v1/console/access/tokens/x'],
    ] as const) {
      const res = await h.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, { token: reader });
      expect(res.status).toBe(403);
      expect((await res.json()).errors[0].errorCode).toBe(3001);
      expect((await h.call(method, path, undefined, { token: null })).status).toBe(401);
    }
  });

  it('adds, lists, changes and removes staff, saying what to fix in bad input', async () => {
    const added = await h.call('PUT', '/v1/console/access/staff', { email: 'Dana@Partner.example', role: 'operator' });
    expect(added.status).toBe(200);
    const { id } = await added.json();
    expect((await h.call('PUT', '/v1/console/access/staff', { email: 'dana@partner.example', role: 'admin' })).status).toBe(200);
    expect((await (await h.call('GET', '/v1/console/access/staff')).json()).items).toContainEqual({
      id,
      email: 'dana@partner.example',
      role: 'admin',
      displayName: null,
    });
    expect((await cli(['staff', 'list'])).output).toContain('dana@partner.example  admin');
    const badRole = await h.call('PUT', '/v1/console/access/staff', { email: 'x@y.example', role: 'boss' });
    expect(badRole.status).toBe(400);
    expect((await badRole.json()).message).toMatch(/role must be one of viewer, operator, admin/);
    const badEmail = await h.call('PUT', '/v1/console/access/staff', { email: 'not an email', role: 'viewer' });
    expect([badEmail.status, (await badEmail.json()).message]).toEqual([400, 'email: "not an email" is not an email address']);
    expect((await h.call('DELETE', `/v1/console/access/staff/${id}`)).status).toBe(204);
    const again = await h.call('DELETE', `/v1/console/access/staff/${id}`);
    expect([again.status, (await again.json()).errors[0].errorCode]).toEqual([404, 4202]);
    expect((await cli(['staff', 'list'])).output).not.toContain('dana@');
  });

  it('never lets a person remove their own staff entry', async () => {
    const saved = await (await h.call('PUT', '/v1/console/access/staff', { email: 'eve@partner.example', role: 'admin' })).json();
    const root = (await loadRootPartner(h.db))!;
    const actor = { partner: root, label: 'staff:eve@partner.example', scopes: [], staffEmail: 'eve@partner.example' };
    const removed = await removePartnerStaff(h.db, actor, saved.id, h.clock.now());
    expect(removed).toMatchObject({ ok: false, problems: [{ code: 'staff_self_removal' }] });
  });

  it('creates a token shown once, which works on the API and is listed without it, then revokes it', async () => {
    const created = await h.call('POST', '/v1/console/access/tokens', { name: 'crm', scopes: ['spark-admin:wholesale_customers_read'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { id, token } = await created.json();
    expect((await h.call('GET', '/v1/wholesale/customers', undefined, { token })).status).toBe(200);
    const listed = await (await h.call('GET', '/v1/console/access/tokens')).json();
    expect(listed.items).toContainEqual(
      expect.objectContaining({ id, name: 'crm', scopes: ['spark-admin:wholesale_customers_read'], revoked: null }),
    );
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await h.call('DELETE', `/v1/console/access/tokens/${id}`)).status).toBe(204);
    expect((await h.call('GET', '/v1/wholesale/customers', undefined, { token })).status).toBe(401);
    const twice = await h.call('DELETE', `/v1/console/access/tokens/${id}`);
    expect([twice.status, (await twice.json()).errors[0].errorCode]).toEqual([404, 4200]);
    const bad = await h.call('POST', '/v1/console/access/tokens', { name: ' ', scopes: ['spark-admin:everything'] });
    expect(bad.status).toBe(400);
  });

  it('grants no scope the creator lacks, and keeps each partner to its own tokens', async () => {
    const limited = tokenOf(
      (await cli(['token', 'create'], { name: 'limited-admin', scopes: 'wholesale-desk:admin,spark-admin:wholesale_customers_read' }))
        .output,
    );
    const escalate = await h.call(
      'POST',
      '/v1/console/access/tokens',
      { name: 'more', scopes: ['spark-admin:wholesale_customers_write'] },
      { token: limited },
    );
    expect([escalate.status, (await escalate.json()).errors[0].errorCode]).toEqual([403, 4201]);

    const sub = /orgId (\S+)/.exec((await cli(['sub-partner', 'add'], { name: 'North Reseller' })).output)![1]!;
    const subAdmin = tokenOf((await cli(['token', 'create'], { name: 'north-admin', partner: sub })).output);
    const subList = await (await h.call('GET', '/v1/console/access/tokens', undefined, { token: subAdmin })).json();
    expect(subList.items.map((t: { name: string }) => t.name)).toEqual(['north-admin']);
    expect(subList.grantable).not.toContain('wholesale-desk:screening_list');
    const rootTokenId = /^(\S+) {2}\S+ {2}limited-admin/m.exec((await cli(['token', 'list'])).output)![1]!;
    expect((await h.call('DELETE', `/v1/console/access/tokens/${rootTokenId}`, undefined, { token: subAdmin })).status).toBe(404);
  });
});
