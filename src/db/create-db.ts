import { mkdir, access, constants, open, readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { DATA_DIR_LOCK_FILE, isProcessAlive } from '../platform/admin-endpoint.js';
import type { PoolStats } from '../platform/metrics.js';
import { openPgliteOnWorkerThread, type PgliteOnWorkerThread } from './pglite-on-worker-thread.js';
import { DATE_OID, INT8_OID, parseDate, parseInt8 } from './pglite-type-parsers.js';
import type { Database } from './schema.js';

/** Thrown when the database cannot be opened; the message says what to fix. */
export class DatabaseStartError extends Error {
  override readonly name = 'DatabaseStartError';
}

export interface DbConfig {
  DATABASE_URL?: string | undefined;
  /** PGlite data directory; `memory://` keeps everything in memory (tests). */
  DATA_DIR: string;
  /** PostgreSQL only: the server cancels a statement running longer than this (default 10 s). */
  DB_STATEMENT_TIMEOUT_MS?: number | undefined;
  /**
   * PostgreSQL only: the statement timeout of long-running work (report generation, reconciliation,
   * issuing, upstream sync), set for its own transaction by runLongWork (default 15 minutes).
   */
  DB_LONG_STATEMENT_TIMEOUT_MS?: number | undefined;
  /** PostgreSQL only: how long to wait for a connection from the pool or the server (default 5 s). */
  DB_CONNECT_TIMEOUT_MS?: number | undefined;
}

/** Told about a connection that failed while nobody was waiting on it (the process carries on). */
export type ConnectionErrorListener = (error: Error) => void;

/** PostgreSQL instances: the statement timeout long-running work sets for its own transaction. */
const longStatementTimeouts = new WeakMap<object, number>();

/** The statement timeout (ms) long-running work sets on this database; undefined on PGlite (no timeout there). */
export const longStatementTimeoutOf = (db: object): number | undefined => longStatementTimeouts.get(db);

export interface DbHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs: a directory or host:port/database (never the password). */
  location: string;
  /** PostgreSQL only: the pool's connections right now, for /metrics. */
  poolStats?: () => PoolStats;
}

/**
 * Opens the database: PostgreSQL through `pg` when DATABASE_URL is set, otherwise embedded
 * PGlite in DATA_DIR. Both parse int8 to number and date to 'YYYY-MM-DD'.
 */
export async function createDb(config: DbConfig, onConnectionError: ConnectionErrorListener = () => undefined): Promise<DbHandle> {
  if (config.DATABASE_URL) return openPostgres(config, config.DATABASE_URL, onConnectionError);
  return openPglite(config.DATA_DIR, onConnectionError);
}

/** The client-side read timeout leaves the server this long to deliver its own cancellation first. */
const QUERY_TIMEOUT_MARGIN_MS = 2_000;
/** Long-running work's statement timeout unless DB_LONG_STATEMENT_TIMEOUT_MS says otherwise: 15 minutes. */
export const DEFAULT_LONG_STATEMENT_TIMEOUT_MS = 900_000;
/** What runLongWork sends; the pool wrapper reads the client-side timeout of the rest of the transaction from it. */
const LONG_TIMEOUT_STATEMENT = /^set local statement_timeout = (\d+)$/;
const TRANSACTION_END = /^(commit|rollback)\b/i;

async function openPostgres(config: DbConfig, url: string, onConnectionError: ConnectionErrorListener): Promise<DbHandle> {
  const parsed = new URL(url);
  const location = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  const statementTimeout = config.DB_STATEMENT_TIMEOUT_MS ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS ?? 5_000,
    // The server cancels long statements and abandoned transactions; the client-side read timeout
    // covers a server (or network) that stops answering altogether, which the server cannot time out.
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: statementTimeout * 2,
    query_timeout: statementTimeout + QUERY_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return parseInt8;
        if (oid === DATE_OID) return parseDate;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its connection emits 'error'; with no listener Node kills the process. The pool
  // listens only while a client is idle, so every client gets a listener of its own for its whole
  // life: a checked-out client's query fails on its own, and pg-pool discards the dead client.
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseStartError(`cannot reach PostgreSQL at DATABASE_URL (${location}): ${describe(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardTimedOutClients(pool, statementTimeout) }) });
  longStatementTimeouts.set(db, config.DB_LONG_STATEMENT_TIMEOUT_MS ?? DEFAULT_LONG_STATEMENT_TIMEOUT_MS);
  return {
    db,
    kind: 'postgres',
    location,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/**
 * A query that hit the client-side read timeout is still running on its connection as far as pg
 * knows, so the next query on that client would queue behind it. Kysely releases clients without
 * saying whether they failed: this wrapper remembers and tells pg-pool to destroy such a client.
 * It also follows long-running work: after `set local statement_timeout = N` (runLongWork) the
 * client waits N plus the margin for each query until the transaction ends, so the server's longer
 * timeout is not cut short by the request timeout on this side.
 */
function discardTimedOutClients(pool: pg.Pool, statementTimeout: number): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      let broken: Error | undefined;
      let longTimeout: number | undefined;
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      return {
        query: (async (...args: unknown[]) => {
          const text = typeof args[0] === 'string' ? args[0] : undefined;
          const long = text === undefined ? undefined : LONG_TIMEOUT_STATEMENT.exec(text);
          try {
            if (longTimeout !== undefined && text !== undefined)
              return await query({ text, values: args[1], query_timeout: longTimeout + QUERY_TIMEOUT_MARGIN_MS });
            return await query(...args);
          } catch (error) {
            if (error instanceof Error && /Query read timeout/.test(error.message)) broken = error;
            throw error;
          } finally {
            if (long) longTimeout = Math.max(Number(long[1]), statementTimeout);
            else if (text !== undefined && TRANSACTION_END.test(text)) longTimeout = undefined;
          }
        }) as unknown as PostgresPoolClient['query'],
        release: () => client.release(broken),
      };
    },
    end: () => pool.end(),
  };
}

/**
 * Embedded PGlite, run on a worker thread of its own (pglite-on-worker-thread.ts): PGlite executes
 * SQL on the thread that calls it, and on the service's thread a long statement (a similarity search
 * over a big screening list, a large insert) held every request, health probes included. Kysely
 * talks to it through kysely-pglite-dialect, which calls only `query` and `close` and hands its one
 * connection to one transaction at a time (PGlite is a single session).
 */
async function openPglite(dataDir: string, onConnectionError: ConnectionErrorListener): Promise<DbHandle> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : resolve(dataDir);
  if (!inMemory) {
    try {
      await mkdir(location, { recursive: true });
      await access(location, constants.W_OK);
    } catch (error) {
      throw new DatabaseStartError(`DATA_DIR "${location}" is not a writable directory: ${describe(error)}`);
    }
  }
  const lock = inMemory ? null : await takeDirectoryLock(location);
  let pglite: PgliteOnWorkerThread;
  try {
    pglite = await openPgliteOnWorkerThread({ dataDir: inMemory ? undefined : location, location }, onConnectionError);
  } catch (error) {
    await lock?.release();
    throw new DatabaseStartError(
      `cannot open the embedded database in DATA_DIR "${location}" (is another process using it?): ${describe(error)}`,
    );
  }
  if (lock) {
    const close = pglite.close.bind(pglite);
    pglite.close = async () => {
      await close();
      await lock.release();
    };
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite as unknown as ConstructorParameters<typeof PGliteDialect>[0]) });
  return { db, kind: 'pglite', location };
}

/**
 * PGlite is single-process: two processes on one directory corrupt it. A pid lock file makes the
 * second one stop with a clear message; a lock left by a dead process is taken over.
 */
async function takeDirectoryLock(dir: string): Promise<{ release(): Promise<void> }> {
  const path = `${dir}/${DATA_DIR_LOCK_FILE}`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new DatabaseStartError(`cannot lock DATA_DIR "${dir}": ${describe(error)}`);
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isProcessAlive(pid)) {
        throw new DatabaseStartError(
          `DATA_DIR "${dir}" is in use by process ${pid}; stop it first, or point DATA_DIR elsewhere (or use DATABASE_URL)`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DatabaseStartError(`cannot lock DATA_DIR "${dir}"`);
}

/** True when a trivial query answers; used by /readyz. */
export async function pingDb(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code} ${error.message}` : error.message;
  return String(error);
}
