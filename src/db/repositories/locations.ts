import type { Insertable, Updateable } from 'kysely';
import type { Db, LocationsTable } from '../schema.js';

export const insertLocation = (db: Db, row: Insertable<LocationsTable>) =>
  db.insertInto('locations').values(row).returningAll().executeTakeFirstOrThrow();

export const listLocations = (db: Db, customerId: string) =>
  db.selectFrom('locations').selectAll().where('customer_id', '=', customerId).orderBy('created_at').orderBy('id').execute();

export function findLocationById(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('locations').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const updateLocation = (db: Db, id: string, patch: Updateable<LocationsTable>) =>
  db.updateTable('locations').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
