import type { Insertable } from 'kysely';
import type { Db, SubscriberRow, SubscribersTable } from '../schema.js';

export async function insertSubscriber(db: Db, row: Insertable<SubscribersTable>): Promise<SubscriberRow> {
  return db.insertInto('subscribers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSubscriber(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('subscribers').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).where('status', '<>', 'deleted');
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findSubscriberById(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('subscribers').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const findLiveSubscriberByEmail = (db: Db, email: string) =>
  db.selectFrom('subscribers').select(['id', 'partner_id', 'customer_id']).where('email', '=', email).where('status', '<>', 'deleted').executeTakeFirst();

/** Live subscribers per package of one customer (error ones hold nothing). */
export async function countHolders(db: Db, customerId: string, excludeSubscriberId?: string): Promise<Record<string, number>> {
  let q = db
    .selectFrom('subscribers')
    .select(['package', (eb) => eb.fn.countAll<number>().as('n')])
    .where('customer_id', '=', customerId)
    .where('status', 'in', ['provisioning', 'provisioned']);
  if (excludeSubscriberId) q = q.where('id', '<>', excludeSubscriberId);
  const rows = await q.groupBy('package').execute();
  return Object.fromEntries(rows.map((r) => [r.package, Number(r.n)]));
}

export async function countLiveSubscribers(db: Db, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('status', '<>', 'deleted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SubscriberFilter {
  partnerId: string;
  customerId?: string | undefined;
  email?: string | undefined;
  statuses?: readonly string[] | undefined;
  offset: number;
  max: number;
}

export function listSubscribers(db: Db, f: SubscriberFilter) {
  let q = db
    .selectFrom('subscribers')
    .innerJoin('customers', 'customers.id', 'subscribers.customer_id')
    .selectAll('subscribers')
    .select('customers.external_id as external_customer_id')
    .where('subscribers.partner_id', '=', f.partnerId)
    .where('subscribers.status', '<>', 'deleted');
  if (f.customerId !== undefined) q = q.where('subscribers.customer_id', '=', f.customerId);
  if (f.email !== undefined) q = q.where('subscribers.email', '=', f.email.toLowerCase());
  if (f.statuses?.length) q = q.where('subscribers.status', 'in', f.statuses);
  return q.orderBy('subscribers.created_at').orderBy('subscribers.id').offset(f.offset).limit(f.max + 1).execute();
}

export const listLiveSubscriberIds = (db: Db, customerId: string) =>
  db.selectFrom('subscribers').select(['id', 'status', 'created_at']).where('customer_id', '=', customerId).where('status', '<>', 'deleted').execute();

export async function updateSubscriber(db: Db, id: string, patch: Partial<Insertable<SubscribersTable>>): Promise<SubscriberRow> {
  return db.updateTable('subscribers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
