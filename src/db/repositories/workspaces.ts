import type { Insertable, Transaction } from 'kysely';
import type { Database, Db, WorkspaceRow, WorkspacesTable } from '../schema.js';

export const insertWorkspace = (db: Db, row: Insertable<WorkspacesTable>): Promise<WorkspaceRow> =>
  db.insertInto('workspaces').values(row).returningAll().executeTakeFirstOrThrow();

/** A live workspace of the partner. */
export function findWorkspace(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('workspaces').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).where('status', '<>', 'deleted');
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** A live workspace of a customer by name, case-insensitive (names are unique per customer). */
export const findWorkspaceByName = (db: Db, customerId: string, name: string) =>
  db
    .selectFrom('workspaces')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .where('status', '<>', 'deleted')
    .executeTakeFirst();

export interface WorkspaceFilter {
  partnerId: string;
  customerId?: string | undefined;
  offset: number;
  max: number;
}

export function listWorkspaces(db: Db, f: WorkspaceFilter) {
  let q = db
    .selectFrom('workspaces')
    .innerJoin('customers', 'customers.id', 'workspaces.customer_id')
    .selectAll('workspaces')
    .select('customers.external_id as external_customer_id')
    .where('workspaces.partner_id', '=', f.partnerId)
    .where('workspaces.status', '<>', 'deleted');
  if (f.customerId !== undefined) q = q.where('workspaces.customer_id', '=', f.customerId);
  return q
    .orderBy('workspaces.created_at')
    .orderBy('workspaces.id')
    .offset(f.offset)
    .limit(f.max + 1)
    .execute();
}

export const updateWorkspace = (db: Db, id: string, patch: Partial<Insertable<WorkspacesTable>>): Promise<WorkspaceRow> =>
  db.updateTable('workspaces').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** A customer's live workspaces, locked for the rest of the transaction. */
export const lockLiveWorkspacesOfCustomer = (trx: Transaction<Database>, customerId: string): Promise<WorkspaceRow[]> =>
  trx.selectFrom('workspaces').selectAll().where('customer_id', '=', customerId).where('status', '<>', 'deleted').forUpdate().execute();

/** A workspace by id, whatever its partner (the tasks carry ids the desk wrote). */
export function findWorkspaceById(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('workspaces').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}
