import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';

describe(`operator CLI on ${testDbKind()}`, () => {
  let h: TestHarness;
  const cli = (args: string[], opts: Record<string, string> = {}) =>
    runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
  beforeAll(async () => {
    h = await createTestHarness();
  });
  afterAll(() => h.close());

  it('shows the partner and its templates', async () => {
    const out = await cli(['partner', 'show']);
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/partner {2}Test Partner {2}orgId \S+ {2}state active/);
    expect(out.output).toMatch(/Default {2}provisioningId [0-9a-f-]{36} {2}US en_US auth webex/);
  });

  it('adds staff with a role and lists them; refuses a bad role or email', async () => {
    expect((await cli(['staff', 'add', 'Ops@Partner.example'], { role: 'operator' })).output).toBe('ops@partner.example is operator');
    expect((await cli(['staff', 'add', 'ops@partner.example'], { role: 'admin' })).exitCode).toBe(0);
    expect((await cli(['staff', 'list'])).output).toBe('ops@partner.example  admin');
    expect(await cli(['staff', 'add', 'x@y.example'], { role: 'boss' })).toEqual({
      output: 'error: --role must be admin, operator or viewer',
      exitCode: 1,
    });
    expect((await cli(['staff', 'add', 'not-an-email'], { role: 'viewer' })).exitCode).toBe(1);
  });

  it('creates tokens with chosen scopes and refuses unknown scopes', async () => {
    const bad = await cli(['token', 'create'], { name: 'x', scopes: 'spark-admin:everything' });
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain('unknown scope(s) spark-admin:everything');
    const good = await cli(['token', 'create'], { name: 'crm', scopes: 'spark-admin:wholesale_customers_read' });
    expect(good.exitCode).toBe(0);
    const list = await cli(['token', 'list']);
    expect(list.output).toMatch(/crm {2}active {2}spark-admin:wholesale_customers_read/);
    expect(list.output).not.toMatch(/wdk_[\w-]{20,}/);
  });

  it('sets call-in numbers that new customers of that country get', async () => {
    expect((await cli(['call-in', 'set', 'fr', '+33 1 70 00 00 00', '+33 4 00 00 00 00'])).output).toBe(
      'FR: +33 1 70 00 00 00, +33 4 00 00 00 00',
    );
    expect((await cli(['call-in', 'set', 'FR', '0170'])).exitCode).toBe(1);
    const templateId = await defaultTemplateId(h);
    const customer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'paris-1',
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address: { addressLine1: '8 Rue de Rivoli', city: 'Paris', zipOrPostalCode: '75004', country: 'FR' },
        customerInfo: { name: 'Atelier Rivoli', primaryEmail: 'contact@rivoli.example', language: 'fr' },
      }),
    );
    expect(customer).toMatchObject({ orgCountry: 'FR', meetingsCallInNumber: '+33 1 70 00 00 00', customerInfo: { language: 'fr_FR' } });
  });

  it('turns delayed billing on and off, and manages sub-partners', async () => {
    expect((await cli(['partner', 'set', 'enable_wholesale_delayed_billing', 'true'])).exitCode).toBe(0);
    expect((await cli(['partner', 'show'])).output).toContain('"enable_wholesale_delayed_billing":true');
    expect((await cli(['partner', 'set', 'something', 'true'])).exitCode).toBe(1);
    const added = await cli(['sub-partner', 'add'], { name: 'North Reseller' });
    const orgId = /orgId (\S+)/.exec(added.output)![1]!;
    expect((await cli(['sub-partner', 'suspend', orgId])).output).toBe('North Reseller is suspended');
    expect((await cli(['sub-partner', 'activate', 'nope'])).exitCode).toBe(1);
    expect((await cli(['bogus'])).output).toContain('Usage: npm run cli');
  });
});
