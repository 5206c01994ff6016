import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  DATABASE_ERROR_FIELDS,
  type PgliteReply,
  type PgliteRequest,
  type PgliteThreadOptions,
  type SerializedDatabaseError,
} from './pglite-thread-protocol.js';

/** A statement refused by the embedded database, with the SQLSTATE fields pg reports (code, constraint, detail…). */
export class PgliteDatabaseError extends Error {
  override readonly name = 'PgliteDatabaseError';
  declare readonly code?: string;
  declare readonly constraint?: string;
  declare readonly detail?: string;
  constructor(serialized: SerializedDatabaseError) {
    super(serialized.message);
    for (const key of DATABASE_ERROR_FIELDS) {
      const value = serialized.fields[key];
      if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
    }
  }
}

/**
 * The embedded database's worker thread stopped without being closed (the WASM runtime aborted, it
 * ran out of memory): every statement pending or sent afterwards fails with this. It carries SQLSTATE
 * 57P02 (crash_shutdown), so the edges answer 503 as for a PostgreSQL server that went away;
 * the data directory is intact up to the last commit and a restart of the service reopens it.
 */
export class EmbeddedDatabaseStoppedError extends Error {
  override readonly name = 'EmbeddedDatabaseStoppedError';
  readonly code = '57P02';
}

/** Told when the worker thread stops unexpectedly (once). */
export type PgliteThreadStopListener = (error: EmbeddedDatabaseStoppedError) => void;

/**
 * Embedded PGlite running in a worker thread, with the two methods kysely-pglite-dialect calls
 * (`query`, `close`) plus `exec`. Statements are answered in the order sent (PGlite is one session;
 * the dialect hands its single connection to one transaction at a time).
 */
export interface PgliteOnWorkerThread {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<void>;
  /** Closes the database (flushing it to DATA_DIR) and ends the thread; safe to call twice. */
  close(): Promise<void>;
  /** Test hook: the worker dies of an uncaught error, as when the WASM runtime aborts. */
  crashForTest(): void;
}

type Pending = { resolve(reply: PgliteReply): void; reject(error: Error): void };

/**
 * Starts the worker thread and opens PGlite there. Resolves once the database answers; rejects with
 * the thread's own message when PGlite cannot open (the caller words it for the operator).
 */
export async function openPgliteOnWorkerThread(
  options: PgliteThreadOptions,
  onStop?: PgliteThreadStopListener,
): Promise<PgliteOnWorkerThread> {
  const worker = startWorker({ ...options, wasmModule: await compiledPgliteWasm() });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopped: Error | undefined;
  let closing: Promise<void> | undefined;

  // An idle database does not keep the process alive (as PGlite on the service thread did not):
  // the thread is referenced only while a statement is pending.
  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return entry;
  };
  const stop = (error: Error) => {
    if (stopped) return;
    stopped = error;
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.reject(error);
    }
    worker.unref();
  };

  await new Promise<void>((resolve, reject) => {
    // Removed one by one: Node's own listeners on the Worker (they start its message port) must stay.
    const done = () => {
      worker.off('message', onFirstMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const failStart = (message: string) => {
      done();
      stopped = new Error(message);
      reject(stopped);
    };
    const onFirstMessage = (reply: PgliteReply) => {
      if (reply.kind === 'ready') {
        done();
        resolve();
      } else failStart(reply.kind === 'start_failed' ? reply.message : `unexpected first message ${reply.kind}`);
    };
    const onError = (error: Error) => failStart(error.message);
    const onExit = (code: number) => failStart(`the PGlite worker thread exited (code ${code}) while opening the database`);
    worker.on('message', onFirstMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });

  worker.on('message', (reply: PgliteReply) => {
    if (!('id' in reply)) return;
    const entry = settle(reply.id);
    if (!entry) return;
    if (reply.kind === 'error') entry.reject(new PgliteDatabaseError(reply.error));
    else entry.resolve(reply);
  });
  worker.on('error', (error) => {
    const stoppedError = new EmbeddedDatabaseStoppedError(
      `the embedded database (PGlite, on its worker thread, DATA_DIR "${options.location}") stopped: ${error.message}; restart the service to reopen it`,
      { cause: error },
    );
    stop(stoppedError);
    onStop?.(stoppedError);
  });
  worker.on('exit', (code) => {
    if (closing) {
      stop(new Error('PGlite is closed'));
      return;
    }
    const stoppedError = new EmbeddedDatabaseStoppedError(
      `the embedded database (PGlite, on its worker thread, DATA_DIR "${options.location}") exited with code ${code}; restart the service to reopen it`,
    );
    const first = !stopped;
    stop(stoppedError);
    if (first) onStop?.(stoppedError);
  });
  worker.unref();

  const request = (message: PgliteRequest): Promise<PgliteReply> => {
    if (stopped) return Promise.reject(stopped);
    if (closing && message.kind !== 'close') return Promise.reject(new Error('PGlite is closed'));
    return new Promise<PgliteReply>((resolve, reject) => {
      pending.set(message.id, { resolve, reject });
      worker.ref();
      try {
        worker.postMessage(message);
      } catch (error) {
        // A parameter that cannot be copied to the thread (a function, a class instance with private state).
        settle(message.id);
        reject(error);
      }
    });
  };

  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const reply = await request({ id: nextId++, kind: 'query', sql, params });
      if (reply.kind !== 'result') throw new Error(`unexpected reply ${reply.kind} to a query`);
      return { rows: reply.rows as T[], ...(reply.affectedRows !== undefined ? { affectedRows: reply.affectedRows } : {}) };
    },
    async exec(sql: string) {
      await request({ id: nextId++, kind: 'exec', sql });
    },
    close() {
      closing ??= (async () => {
        if (!stopped) await request({ id: nextId++, kind: 'close' }).catch(() => undefined);
        await worker.terminate();
      })();
      return closing;
    },
    crashForTest() {
      worker.postMessage({ id: nextId++, kind: 'crash' } satisfies PgliteRequest);
    },
  };
}

let pgliteWasm: Promise<WebAssembly.Module | undefined> | undefined;
/** Node's global WebAssembly: the project's type libraries (no DOM) declare its types, not the object. */
const wasmRuntime = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

/**
 * PGlite's pglite.wasm (10 MB), compiled once per process and handed to every thread that opens a
 * database: each thread compiling it again cost about 0.6 s of CPU per open (a test suite opens hundreds
 * of databases in a few processes; the CLI and a service open one). The file of the package PGlite itself
 * is loaded from. When it cannot be read or compiled, undefined: the thread lets PGlite compile its own.
 */
function compiledPgliteWasm(): Promise<WebAssembly.Module | undefined> {
  pgliteWasm ??= (async () => {
    try {
      const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
      return await wasmRuntime.compile(await readFile(join(dirname(entry), 'pglite.wasm')));
    } catch {
      return undefined;
    }
  })();
  return pgliteWasm;
}

/**
 * The thread runs `pglite-thread.js` beside this file. From the TypeScript sources (tsx, vitest) it
 * is `pglite-thread.ts`, which a worker cannot load by itself: a two-line bootstrap registers tsx's
 * loader in the thread first.
 */
function startWorker(options: PgliteThreadOptions): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSources ? './pglite-thread.ts' : './pglite-thread.js', import.meta.url);
  if (!fromSources) return new Worker(entry, { workerData: options });
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); }).catch((error) => setImmediate(() => { throw error; }));`;
  return new Worker(bootstrap, { eval: true, workerData: { ...options, tsx: tsxLoaderUrl(), entry: entry.href } });
}

/**
 * tsx's ESM API as a file URL. Resolved through `createRequire` rather than `import.meta.resolve`,
 * which vitest's module runner (global setup) does not provide; the `require` condition names the
 * CommonJS build, whose ESM sibling is the one to load.
 */
function tsxLoaderUrl(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}
