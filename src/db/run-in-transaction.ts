import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from './schema.js';

/**
 * Runs `fn` in the caller's transaction when given one, else in a new one: a use case is then one
 * unit of work alone, or a part of a larger one (an inbound event applied and marked done together).
 */
export function runInTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}
