import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findStatusWrites, listCheckedFiles } from '../../scripts/find-status-writes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('status writes outside the transition functions (npm run lint:status)', () => {
  it.each([
    [
      'a Kysely set naming status',
      `db.updateTable('customers').set({ status: 'deleted', updated_at: now }).where('id', '=', id).execute();`,
      1,
    ],
    ['a subscriber status in a set', `trx.updateTable('subscribers').set({ 'status': 'error' }).execute();`, 1],
    ['a spread that may carry status', `db.updateTable('customers').set({ ...patch }).execute();`, 1],
    ['a set of an unknown value', `function f(db, patch: Partial<X>) { return db.updateTable('subscribers').set(patch).execute(); }`, 1],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: planted source text for the checker, not a template
    ['raw SQL updating the status', "sql`update customers set name = ${n}, status = 'error' where id = ${id}`.execute(db);", 1],
    ['another column only', `db.updateTable('customers').set({ name: 'x', updated_at: now }).execute();`, 0],
    ['another table', `db.updateTable('workspaces').set({ status: 'provisioned' }).execute();`, 0],
    ['a status-less patch type', `function f(db, patch: CustomerPatch) { return db.updateTable('customers').set(patch).execute(); }`, 0],
    ['raw SQL reading the status', "sql`select 1 from customers where status = 'deleted'`.execute(db);", 0],
  ])('%s: %i finding(s)', (_name, code, expected) => {
    expect(findStatusWrites('src/api/planted.ts', code)).toHaveLength(expected);
  });

  it('lets the two status repositories write it', () => {
    const code = `db.updateTable('customers').set({ ...patch, status, status_changed_at: at }).execute();`;
    expect(findStatusWrites('src/db/repositories/customer-status.ts', code)).toEqual([]);
    expect(findStatusWrites('src/db/repositories/customers.ts', code)).not.toEqual([]);
  });

  it('finds none in the source tree', () => {
    const files = listCheckedFiles(root);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => findStatusWrites(f, readFileSync(join(root, f), 'utf8')))).toEqual([]);
  });
});
