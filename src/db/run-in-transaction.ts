import { sql, type Kysely, type Transaction } from 'kysely';
import { longStatementTimeoutOf } from './create-db.js';
import type { Database, Db } from './schema.js';

/**
 * Runs `fn` in the caller's transaction when given one, else in a new one: a use case is then one
 * unit of work alone, or a part of a larger one (an inbound event applied and marked done together).
 */
export function runInTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return (db as Kysely<Database>).transaction().execute(fn);
}

/**
 * Runs long-running work (report generation, reconciliation, issuing, upstream sync) in a transaction
 * of its own whose statements may run for DB_LONG_STATEMENT_TIMEOUT_MS instead of the request timeout
 * DB_STATEMENT_TIMEOUT_MS: a month of a million subscribers is tens of seconds of SQL, a request is not.
 * SET LOCAL ends with the transaction, so the connection goes back to the pool with the request timeout.
 * The idle-in-transaction timeout follows, as the work may compute between statements.
 */
export function runLongWork<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await extendStatementTimeout(db, trx);
    return fn(trx);
  });
}

/** Gives the rest of `trx` the long-work statement timeout (nothing on PGlite, which has none). */
export async function extendStatementTimeout(db: Db, trx: Transaction<Database>): Promise<void> {
  const ms = longStatementTimeoutOf(db);
  if (ms === undefined) return;
  // SET takes no parameters; ms is a whole number from the configuration.
  await sql.raw(`set local statement_timeout = ${Math.trunc(ms)}`).execute(trx);
  await sql.raw(`set local idle_in_transaction_session_timeout = ${Math.trunc(ms)}`).execute(trx);
}
