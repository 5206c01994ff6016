/**
 * The messages between the service thread and the worker thread that runs embedded PGlite
 * (`pglite-thread.ts`). Everything crosses by structured clone: SQL text and parameters one way,
 * rows (Date, Uint8Array and parsed JSON survive the copy) or a database error's fields the other.
 */

/** What the worker is started with (`workerData`). */
export interface PgliteThreadOptions {
  /** A directory, or undefined for an in-memory database. */
  dataDir: string | undefined;
  /** `memory://…` or the directory, as the service names it in its messages. */
  location: string;
  /**
   * PGlite's own pglite.wasm, compiled once by the opening process (pglite-on-worker-thread.ts); a
   * compiled module crosses to a thread without being compiled again. Absent: PGlite compiles it.
   */
  wasmModule?: WebAssembly.Module | undefined;
}

export type PgliteRequest =
  | { id: number; kind: 'query'; sql: string; params: unknown[] }
  | { id: number; kind: 'exec'; sql: string }
  | { id: number; kind: 'close' }
  /** Test hook: makes the worker fail the way a crashed WASM runtime does (an uncaught error). */
  | { id: number; kind: 'crash' };

/** The fields of a PostgreSQL error (pg-protocol's DatabaseError) that callers and the error mappers read. */
export interface SerializedDatabaseError {
  message: string;
  name: string;
  fields: Record<string, string | number | undefined>;
}

export type PgliteReply =
  | { kind: 'ready' }
  | { kind: 'start_failed'; message: string }
  | { id: number; kind: 'result'; rows: unknown[]; affectedRows: number | undefined }
  | { id: number; kind: 'error'; error: SerializedDatabaseError }
  | { id: number; kind: 'closed' };

/** pg-protocol's DatabaseError fields, copied across the thread boundary (never the statement's parameters). */
export const DATABASE_ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;
