import type { Insertable } from 'kysely';
import type { CustomerRow, CustomersTable, Db } from '../schema.js';

export async function insertCustomer(db: Db, row: Insertable<CustomersTable>): Promise<CustomerRow> {
  return db.insertInto('customers').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live customer (not deleted) of this partner, optionally locked for the rest of the transaction. */
export async function findCustomer(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
  let q = db.selectFrom('customers').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).where('status', '<>', 'deleted');
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findCustomerById(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
  let q = db.selectFrom('customers').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const findCustomerByExternalId = (db: Db, partnerId: string, externalId: string) =>
  db.selectFrom('customers').selectAll().where('partner_id', '=', partnerId).where('external_id', '=', externalId).where('status', '<>', 'deleted').executeTakeFirst();

/** Another partner's or customer's use of an email as a customer's primary email. */
export const findCustomerByPrimaryEmail = (db: Db, email: string) =>
  db.selectFrom('customers').select(['id', 'partner_id']).where('primary_email', '=', email).where('status', '<>', 'deleted').executeTakeFirst();

export interface CustomerFilter {
  partnerId: string;
  externalId?: string | undefined;
  orgId?: string | undefined;
  statuses?: readonly string[] | undefined;
  offset: number;
  max: number;
}

/** One page plus one row, so the caller knows whether a next page exists. */
export function listCustomers(db: Db, f: CustomerFilter): Promise<CustomerRow[]> {
  let q = db.selectFrom('customers').selectAll().where('partner_id', '=', f.partnerId).where('status', '<>', 'deleted');
  if (f.externalId !== undefined) q = q.where('external_id', '=', f.externalId);
  if (f.orgId !== undefined) q = q.where('org_id', '=', f.orgId);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  return q.orderBy('created_at').orderBy('id').offset(f.offset).limit(f.max + 1).execute();
}

export async function updateCustomer(db: Db, id: string, patch: Partial<Insertable<CustomersTable>>): Promise<CustomerRow> {
  return db.updateTable('customers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
