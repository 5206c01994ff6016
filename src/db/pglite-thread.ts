import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  DATABASE_ERROR_FIELDS,
  type PgliteReply,
  type PgliteRequest,
  type PgliteThreadOptions,
  type SerializedDatabaseError,
} from './pglite-thread-protocol.js';
import { DATE_OID, INT8_OID, parseDate, parseInt8 } from './pglite-type-parsers.js';

/**
 * The worker thread that runs embedded PGlite (started by `pglite-on-worker-thread.ts`). PGlite is
 * PostgreSQL compiled to WASM and runs each statement on the thread that calls it: here, so a long
 * similarity search or a big insert holds this thread, never the service's event loop.
 */
const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread (see pglite-on-worker-thread.ts)');
const options = workerData as PgliteThreadOptions;
const send = (reply: PgliteReply) => port.postMessage(reply);

let pglite: PGlite;
try {
  // Options go in one object: `create(undefined, opts)` would silently drop them.
  pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.wasmModule ? { pgliteWasmModule: options.wasmModule } : {}),
    parsers: { [INT8_OID]: parseInt8, [DATE_OID]: parseDate },
    // Screening matches names with pg_trgm (a migration creates the extension).
    extensions: { pg_trgm },
  });
  // A GIN index merges its pending list in one go once it passes this size; the merge then delays
  // every statement queued behind it (PGlite is one session), so it is kept small.
  await pglite.exec(`set gin_pending_list_limit = '256kB'`);
} catch (error) {
  send({ kind: 'start_failed', message: describe(error) });
  process.exit(1);
}

port.on('message', (request: PgliteRequest) => {
  // Test hook: thrown in the listener itself, the worker dies of an uncaught error before it reads
  // another message, as when the WASM runtime aborts.
  if (request.kind === 'crash') throw new Error('PGlite worker thread crashed on request (test hook)');
  void answer(request);
});
send({ kind: 'ready' });

async function answer(request: Exclude<PgliteRequest, { kind: 'crash' }>): Promise<void> {
  try {
    switch (request.kind) {
      case 'query': {
        const result = await pglite.query(request.sql, request.params);
        send({ id: request.id, kind: 'result', rows: result.rows, affectedRows: result.affectedRows });
        return;
      }
      case 'exec': {
        await pglite.exec(request.sql);
        send({ id: request.id, kind: 'result', rows: [], affectedRows: undefined });
        return;
      }
      case 'close': {
        await pglite.close();
        send({ id: request.id, kind: 'closed' });
        return;
      }
    }
  } catch (error) {
    send({ id: request.id, kind: 'error', error: serialize(error) });
  }
}

/** A database error's message and SQLSTATE fields; a DataCloneError or anything else keeps its name and message. */
function serialize(error: unknown): SerializedDatabaseError {
  if (!(error instanceof Error)) return { message: String(error), name: 'Error', fields: {} };
  const fields: SerializedDatabaseError['fields'] = {};
  for (const key of DATABASE_ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, name: error.name, fields };
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return (error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code} ${error.message}` : error.message;
  return String(error);
}
