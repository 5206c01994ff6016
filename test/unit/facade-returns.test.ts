import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProject } from '../../scripts/find-edge-store-uses.js';
import { FACADE_FILE, findSnakeCaseReturns, type SnakeCaseReturn } from '../../scripts/find-snake-case-returns.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The façade with planted members (never written to disk): what the check must refuse, and what it must let pass. */
const PLANTED_MEMBERS = `
    plantedRow: async (): Promise<{ id: string; org_id: string }> => ({ id: 'x', org_id: 'y' }),
    plantedNestedRow: (): { ok: true; value: { items: { external_id: string }[] } } => ({ ok: true, value: { items: [] } }),
    plantedPickedRow: async (): Promise<Pick<import('../db/schema.js').ReconciliationLinesTable, 'package' | 'diff_units'>[]> => [],
    plantedDomainKeys: (): Record<import('../domain/upstream-drift.js').DriftKind, number> => ({ only_webex: 0, only_desk: 0, status: 0, packages: 0 }),
    plantedView: async (): Promise<{ id: string; orgId: string; createdAt: Date }> => ({ id: 'x', orgId: 'y', createdAt: new Date(0) }),
    plantedWireNames: (): import('zod').z.infer<(typeof import('../contracts/upstream-sync.js'))['syncSummarySchema']>['drift'] => ({ only_webex: 0, only_desk: 0, status: 0, packages: 0 }),
`;

function programWithPlantedMembers(): ts.Program {
  const options = readProject(root).options;
  const host = ts.createCompilerHost(options);
  const facade = join(root, FACADE_FILE);
  const { getSourceFile } = host;
  host.getSourceFile = (f, language, onError, create) => {
    if (f !== facade) return getSourceFile.call(host, f, language, onError, create);
    const text = ts.sys.readFile(f)!;
    const at = text.indexOf('  return {\n') + '  return {\n'.length;
    expect(at).toBeGreaterThan('  return {\n'.length);
    return ts.createSourceFile(f, text.slice(0, at) + PLANTED_MEMBERS + text.slice(at), language);
  };
  return ts.createProgram([facade], options, host);
}

describe('what the use-case façade answers the edges: contract types and named views, never rows', () => {
  let found: SnakeCaseReturn[] = [];
  // One program for the façade and what it imports: type-checking it takes a while on a loaded machine.
  beforeAll(() => {
    found = findSnakeCaseReturns(programWithPlantedMembers(), root);
  }, 300_000);
  const members = () => [...new Set(found.map((f) => f.member))];

  it('refuses a planted member answering a snake_case key, at any depth (awaited, in a Result, in a list)', () => {
    expect(found.filter((f) => f.member.startsWith('planted'))).toEqual([
      { member: 'plantedRow', path: 'org_id' },
      { member: 'plantedNestedRow', path: 'value.items[].external_id' },
      { member: 'plantedPickedRow', path: '[].diff_units' },
    ]);
  });

  it("refuses a row narrowed by Pick or Omit (a mapped type declared in TypeScript's library, as LineRow was)", () => {
    expect(found.filter((f) => f.member === 'plantedPickedRow')).toEqual([{ member: 'plantedPickedRow', path: '[].diff_units' }]);
  });

  it("lets a Record's literal keys pass (a domain value's name, e.g. a drift kind, not a row's column)", () => {
    expect(members()).not.toContain('plantedDomainKeys');
  });

  it('lets a camelCase view pass (library types such as Date are not looked into)', () => {
    expect(members()).not.toContain('plantedView');
  });

  it("lets a contract's own wire names pass (a zod schema in src/contracts spells them, e.g. a drift kind)", () => {
    expect(members()).not.toContain('plantedWireNames');
  });

  it('finds no member answering rows (the acting partner and reconciliation lines included: no exceptions)', () => {
    expect(members().filter((m) => !m.startsWith('planted'))).toEqual([]);
  });

  it('no longer finds rows in the chat lookups, the CLI listings, the console inbox and the billing report reads', () => {
    for (const m of [
      'findCustomerByReference',
      'findSubscriberByEmail',
      'readConsoleInbox',
      'listTokens',
      'listStaffOf',
      'listTasks',
      'retryTask',
      'setSubPartnerBillingStart',
      'setSubPartnerState',
      'listBillingReports',
      'getReport',
    ]) {
      expect(members()).not.toContain(m);
    }
  });
});
