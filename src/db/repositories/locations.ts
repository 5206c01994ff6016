import type { Insertable } from 'kysely';
import type { Db, LocationsTable } from '../schema.js';

export const insertLocation = (db: Db, row: Insertable<LocationsTable>) =>
  db.insertInto('locations').values(row).returningAll().executeTakeFirstOrThrow();

export const listLocations = (db: Db, customerId: string) =>
  db.selectFrom('locations').selectAll().where('customer_id', '=', customerId).orderBy('created_at').orderBy('id').execute();
