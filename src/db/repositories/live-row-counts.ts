import { sql, type RawBuilder } from 'kysely';
import type { Keyset } from '../../domain/list-keyset.js';
import type { Db } from '../schema.js';

export type { Keyset };

export type LiveRowKind = 'customers' | 'subscribers';

/** The sort column's value as a Keyset's `at`: microseconds kept (a JS Date would drop them). */
export const keysetInstant = (column: RawBuilder<unknown>) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows strictly after (ascending) or before (descending) the keyset, in (instant, id) order. */
export const afterKeyset = (instant: RawBuilder<unknown>, id: RawBuilder<unknown>, direction: 'asc' | 'desc', k: Keyset) =>
  direction === 'asc'
    ? sql<boolean>`(${instant}, ${id}) > (${k.at}::timestamptz, ${k.id}::text)`
    : sql<boolean>`(${instant}, ${id}) < (${k.at}::timestamptz, ${k.id}::text)`;

/** A partner's live rows of a kind, and how many appended rows hold that count (see compactLiveRowCounts). */
export const liveCountSql = (partnerId: string, kind: LiveRowKind) => sql<{ n: string | number; parts: number }>`
  select coalesce(sum(n), 0)::bigint as n, count(*)::int as parts from live_row_counts where partner_id = ${partnerId} and kind = ${kind}`;

/**
 * Where an offset page of `live` rows is read: from the start (offset as asked), or, past the middle, from
 * the end in the reverse order (`offset` there, `limit` rows: the same rows, reversed), so no page walks
 * more than half the index.
 */
export type OffsetPlan = { from: 'start' } | { from: 'end'; offset: number; limit: number };

export function planOffsetPage(live: number, offset: number, take: number): OffsetPlan {
  if (offset * 2 <= live) return { from: 'start' };
  return { from: 'end', offset: Math.max(0, live - offset - take), limit: Math.max(0, Math.min(take, live - offset)) };
}

/**
 * Runs `read` with the partner's live rows of a kind counted in the same snapshot (a repeatable-read
 * transaction of its own, or the caller's), then folds the appended counts when they are many.
 */
export async function withLiveCount<T>(
  db: Db,
  partnerId: string,
  kind: LiveRowKind,
  read: (q: Db, live: number) => Promise<T>,
): Promise<T> {
  const run = async (q: Db) => {
    const r = (await liveCountSql(partnerId, kind).execute(q)).rows[0];
    return { value: await read(q, Number(r?.n ?? 0)), parts: r?.parts ?? 0 };
  };
  const { value, parts } = db.isTransaction ? await run(db) : await db.transaction().setIsolationLevel('repeatable read').execute(run);
  if (parts > LIVE_COUNT_PARTS_TO_COMPACT) await compactLiveRowCounts(db, partnerId, kind);
  return value;
}

/** Above this many appended rows, a list that read the count folds them into one. */
export const LIVE_COUNT_PARTS_TO_COMPACT = 200;

/**
 * Folds a partner's appended counts of a kind into one row. Safe beside writers (they only append; rows
 * committed after this statement's snapshot stay) and beside another compaction (a row both delete is
 * summed by the one that deleted it).
 */
export async function compactLiveRowCounts(db: Db, partnerId: string, kind: LiveRowKind): Promise<void> {
  await sql`
    with gone as (delete from live_row_counts where partner_id = ${partnerId} and kind = ${kind} returning n)
    insert into live_row_counts (partner_id, kind, n) select ${partnerId}, ${kind}, sum(n) from gone having count(*) > 0`.execute(db);
}

/** A partner's live rows of a kind, from the appended counts. */
export async function countLiveRows(db: Db, partnerId: string, kind: LiveRowKind): Promise<number> {
  const r = await liveCountSql(partnerId, kind).execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
