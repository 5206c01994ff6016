import { sql, type Kysely, type RawBuilder, type Updateable } from 'kysely';
import type { Database, Db } from './schema.js';

/**
 * A lease queue is a table of rows that are `pending` until a worker finishes them. A worker claims
 * due rows (`FOR UPDATE SKIP LOCKED`, so instances claim side by side without doubles) and holds each
 * for a lease: a row claimed by a process that died becomes due again once its lease runs out. Every
 * claim counts an attempt; a failed attempt is retried later or, when the caller gives up, parked
 * (`failed` / `dead`) where it stays, visible, until replayed.
 *
 * The three queues (tasks, the inbound inbox, the outbound webhook outbox) differ only in names, so one
 * descriptor per queue says which: identifiers come from these constant descriptors only, every value
 * is a bound parameter.
 */
export type LeaseQueueTable = 'tasks' | 'inbound_events' | 'webhook_deliveries';
export type LeaseColumn<T extends LeaseQueueTable> = keyof Database[T] & string;
/** Columns a caller may set along with an outcome (the result of an event, the last HTTP status). */
export type LeaseUpdate<T extends LeaseQueueTable> = Updateable<Database[T]>;

export interface LeaseQueue<T extends LeaseQueueTable, Claimed extends { attempts: number }> {
  table: T;
  /** The bigserial key. */
  key: LeaseColumn<T>;
  /** When a pending row is next due. */
  dueColumn: LeaseColumn<T>;
  /** Claim order, first due first. */
  orderBy: readonly LeaseColumn<T>[];
  statuses: { done: string; parked: string; held?: string };
  /** Stamped when a row is done. */
  doneAtColumn: LeaseColumn<T>;
  /** Stamped when a row is parked (and cleared by replay); null when parking stamps no time. */
  parkedAtColumn: LeaseColumn<T> | null;
  /** Columns of the row a claim returns. */
  returning: readonly LeaseColumn<T>[];
  /** A table joined to every claimed row for more returned columns (the outbox's subscription URL and secret). */
  join?: { table: keyof Database & string; column: string; on: LeaseColumn<T>; returning: readonly string[] };
  /** A further condition a due row must meet, written against the row aliased `c` (constant SQL, no values). */
  dueFilter?: RawBuilder<unknown>;
  /** Like dueFilter, for a condition that needs the claim's `now` (bound as a parameter). */
  dueFilterAt?(now: Date): RawBuilder<unknown>;
  /** A returned row as the worker sees it (ids as numbers, JSON parsed). */
  toClaimed(row: Record<string, unknown>): Claimed;
  /** The key of a claimed row. */
  keyOf(claimed: Claimed): number;
}

export interface LeaseQueueStats {
  /** Rows per status, every status of the queue present (zero when none). */
  counts: Record<string, number>;
  /** Pending rows due now and not leased. */
  due: number;
  /** Pending rows under a live lease (being worked on). */
  leased: number;
  /** How long the oldest due row has waited, or null when none is due. */
  oldestDueAgeMs: number | null;
}

// The queues are addressed through a loosely typed handle: the descriptor's types keep names and values in step.
type AnyTables = Record<string, Record<string, unknown>>;
const updateQueue = (db: Db, q: { table: LeaseQueueTable }, set: Record<string, unknown>) =>
  (db as unknown as Kysely<AnyTables>).updateTable(q.table as string).set(set);

/** Leases up to `limit` due rows, counting an attempt on each; they come back ordered by key. */
export async function claimDue<T extends LeaseQueueTable, C extends { attempts: number }>(
  db: Db,
  q: LeaseQueue<T, C>,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<C[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const row = (column: string) => sql.ref(`q.${column}`);
  const candidate = (column: string) => sql.ref(`c.${column}`);
  const join = q.join;
  const returning = [...q.returning.map(row), ...(join ? join.returning.map((c) => sql.ref(`j.${c}`)) : [])];
  const r = await sql<Record<string, unknown>>`
    update ${sql.table(q.table)} as q set locked_until = ${leaseUntil}, attempts = q.attempts + 1
    ${join ? sql`from ${sql.table(join.table)} as j` : sql``}
    where ${join ? sql`${sql.ref(`j.${join.column}`)} = ${row(join.on)} and` : sql``} ${row(q.key)} in (
      select ${candidate(q.key)} from ${sql.table(q.table)} as c
      where c.status = 'pending' and ${candidate(q.dueColumn)} <= ${now} and (c.locked_until is null or c.locked_until < ${now})
        ${q.dueFilter ? sql`and ${q.dueFilter}` : sql``}
        ${q.dueFilterAt ? sql`and ${q.dueFilterAt(now)}` : sql``}
      order by ${sql.join(q.orderBy.map(candidate))}
      limit ${limit}
      for update skip locked)
    returning ${sql.join(returning)}`.execute(db);
  // UPDATE … RETURNING comes back in no particular order; work goes out oldest first.
  return r.rows.map((x) => q.toClaimed(x)).sort((a, b) => q.keyOf(a) - q.keyOf(b));
}

/**
 * Extends the lease of a row still being worked on. `attempts` (as claimed) fences the renewal: a row
 * whose lease ran out and that another worker claimed since has more attempts, and is not renewed.
 */
export async function renewLease<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  key: number,
  attempts: number,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const r = await updateQueue(db, q, { locked_until: new Date(now.getTime() + leaseMs) })
    .where(q.key as string, '=', key)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .where('locked_until', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Extends the leases of many rows still claimed, in one statement, each fenced by its attempt count as
 * in renewLease. Answers how many were renewed.
 */
export async function renewLeases<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  rows: readonly { key: number; attempts: number }[],
  now: Date,
  leaseMs: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  const held = sql.join(rows.map((r) => sql`(${r.key}::bigint, ${r.attempts}::integer)`));
  const r = await updateQueue(db, q, { locked_until: new Date(now.getTime() + leaseMs) })
    .where(sql<boolean>`(${sql.ref(q.key)}, attempts) in (${held})`)
    .where('status', '=', 'pending')
    .where('locked_until', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Marks a claimed row done, stamping `doneAtColumn` and releasing the lease. */
export async function completeLeased<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  key: number,
  now: Date,
  set: LeaseUpdate<T> = {},
): Promise<void> {
  await updateQueue(db, q, { ...set, status: q.statuses.done, [q.doneAtColumn]: now, locked_until: null })
    .where(q.key as string, '=', key)
    .execute();
}

/** Releases a claimed row, due again at `runAfter`; `error` (null for "not yet") says why. */
export async function retryLeased<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  key: number,
  runAfter: Date,
  error: string | null,
  set: LeaseUpdate<T> = {},
): Promise<void> {
  await updateQueue(db, q, { ...set, [q.dueColumn]: runAfter, locked_until: null, last_error: error })
    .where(q.key as string, '=', key)
    .execute();
}

/** Parks a claimed row (`failed` / `dead`) with the error that ended it; it stays until replayed. */
export async function parkLeased<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  key: number,
  now: Date,
  error: string,
  set: LeaseUpdate<T> = {},
): Promise<void> {
  await updateQueue(db, q, {
    ...set,
    status: q.statuses.parked,
    ...(q.parkedAtColumn ? { [q.parkedAtColumn]: now } : {}),
    locked_until: null,
    last_error: error,
  })
    .where(q.key as string, '=', key)
    .execute();
}

/**
 * Holds a claimed row (`held` status) without counting the claim as an attempt: it cannot succeed until
 * a person fixes something outside it (Webex refusing the desk's token), so it waits, visible, for a
 * retry instead of burning its attempts. `attempts` is the count as claimed.
 */
export async function holdLeased<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  key: number,
  attempts: number,
  now: Date,
  error: string,
): Promise<void> {
  if (!q.statuses.held) throw new Error(`the ${q.table} queue does not hold rows`);
  await updateQueue(db, q, {
    status: q.statuses.held,
    attempts: Math.max(0, attempts - 1),
    ...(q.parkedAtColumn ? { [q.parkedAtColumn]: now } : {}),
    locked_until: null,
    last_error: error,
  })
    .where(q.key as string, '=', key)
    .execute();
}

/**
 * Puts parked rows matching `match` (column → value, ANDed) back in the queue with a fresh count of
 * attempts, due now; answers how many. Only parked rows move, so a replay cannot reset live work.
 */
export async function replayParked<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  match: Partial<Record<LeaseColumn<T>, string | number>>,
  now: Date,
): Promise<number> {
  let u = updateQueue(db, q, {
    status: 'pending',
    attempts: 0,
    [q.dueColumn]: now,
    locked_until: null,
    ...(q.parkedAtColumn ? { [q.parkedAtColumn]: null } : {}),
  }).where('status', '=', q.statuses.parked);
  for (const [column, value] of Object.entries(match)) u = u.where(column, '=', value);
  const r = await u.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Counts by status, what is due and leased now, and how long the oldest due row has waited. */
export async function queueStats<T extends LeaseQueueTable>(
  db: Db,
  q: LeaseQueue<T, { attempts: number }>,
  now: Date,
): Promise<LeaseQueueStats> {
  const due = sql.ref(q.dueColumn);
  const r = await sql<{
    status: string;
    n: number | string;
    due: number | string;
    leased: number | string;
    oldest_due: Date | string | null;
  }>`
    select status, count(*) as n,
      count(*) filter (where status = 'pending' and ${due} <= ${now} and (locked_until is null or locked_until < ${now})) as due,
      count(*) filter (where status = 'pending' and locked_until >= ${now}) as leased,
      min(${due}) filter (where status = 'pending' and ${due} <= ${now} and (locked_until is null or locked_until < ${now})) as oldest_due
    from ${sql.table(q.table)}
    group by status`.execute(db);
  const counts: Record<string, number> = {
    pending: 0,
    [q.statuses.done]: 0,
    [q.statuses.parked]: 0,
    ...(q.statuses.held ? { [q.statuses.held]: 0 } : {}),
  };
  let dueCount = 0;
  let leased = 0;
  let oldest: number | null = null;
  for (const row of r.rows) {
    counts[row.status] = Number(row.n);
    dueCount += Number(row.due);
    leased += Number(row.leased);
    if (row.oldest_due !== null) {
      const at = new Date(row.oldest_due).getTime();
      oldest = oldest === null ? at : Math.min(oldest, at);
    }
  }
  return { counts, due: dueCount, leased, oldestDueAgeMs: oldest === null ? null : Math.max(0, now.getTime() - oldest) };
}

/** A jsonb value as returned by either driver: parsed already, or text to parse. */
export const parseJsonColumn = <V>(value: unknown): V => (typeof value === 'string' ? JSON.parse(value) : value) as V;
