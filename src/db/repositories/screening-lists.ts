import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../schema.js';

export interface NewScreeningEntry {
  id: string;
  source: string;
  name: string;
  altNames: readonly string[];
  addresses: string;
  country: string | null;
}

/** Opens a list version, not yet active; its entries follow in batches (`insertScreeningEntries`). */
export async function insertScreeningListVersion(db: Db, v: { loadedAt: Date; loadedBy: string }): Promise<{ id: number }> {
  return db
    .insertInto('screening_list_versions')
    .values({ loaded_at: v.loadedAt, loaded_by: v.loadedBy, entry_count: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * One batch of a version's entries in one INSERT, a column per parameter (`unnest` of seven arrays)
 * rather than seven parameters per row: a 48 MB list is ~4,600 such statements, and building each
 * with a parameter and a query-builder node per value was a fifth of all the load allocated (~190
 * MB per 8 MB of list, in a sampling heap profile), garbage the heap grew with while the list loaded.
 */
export async function insertScreeningEntries(db: Db, versionId: number, entries: readonly NewScreeningEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`
    insert into screening_entries (version_id, entry_id, source, name, alt_names, addresses, country)
    select ${versionId}, e.entry_id, e.source, e.name, e.alt_names::jsonb, e.addresses, e.country
    from unnest(${entries.map((e) => e.id)}::text[], ${entries.map((e) => e.source)}::text[], ${entries.map((e) => e.name)}::text[],
      ${entries.map((e) => JSON.stringify(e.altNames))}::text[], ${entries.map((e) => e.addresses)}::text[],
      ${entries.map((e) => e.country)}::text[]) with ordinality as e(entry_id, source, name, alt_names, addresses, country, n)
    order by e.n`.execute(db);
}

export async function setScreeningListEntryCount(db: Db, versionId: number, count: number): Promise<void> {
  await db.updateTable('screening_list_versions').set({ entry_count: count }).where('id', '=', versionId).execute();
}

/** Makes one version the active list (call it in a transaction: the old one stays active until commit). */
export async function activateScreeningListVersion(db: Db, id: number): Promise<void> {
  await db.updateTable('screening_list_versions').set({ active: false }).where('active', '=', true).execute();
  await db.updateTable('screening_list_versions').set({ active: true }).where('id', '=', id).execute();
}

export async function findActiveScreeningListVersionId(db: Db): Promise<number | undefined> {
  const active = await db.selectFrom('screening_list_versions').select('id').where('active', '=', true).executeTakeFirst();
  return active?.id;
}

export const listScreeningEntries = (db: Db, versionId: number) =>
  db
    .selectFrom('screening_entries')
    .select(['entry_id', 'source', 'name', 'alt_names', 'addresses', 'country'])
    .where('version_id', '=', versionId)
    .execute();

/**
 * One batch of a version's names, normalised by the caller, in one INSERT of three arrays (as
 * `insertScreeningEntries`); pg_trgm indexes them as they go in, numbered in the batch's order.
 */
export async function insertScreeningNames(
  db: Db,
  versionId: number,
  names: readonly { entryId: string; name: string; normalized: string }[],
): Promise<void> {
  if (names.length === 0) return;
  await sql`
    insert into screening_names (version_id, entry_id, name, normalized)
    select ${versionId}, n.entry_id, n.name, n.normalized
    from unnest(${names.map((n) => n.entryId)}::text[], ${names.map((n) => n.name)}::text[], ${names.map((n) => n.normalized)}::text[])
      with ordinality as n(entry_id, name, normalized, i)
    order by n.i`.execute(db);
}

export async function markScreeningNamesIndexed(db: Db, versionId: number): Promise<void> {
  await db.updateTable('screening_list_versions').set({ names_indexed: true }).where('id', '=', versionId).execute();
}

/** The active version: its id, when it was loaded, its size, and whether its names are indexed yet. */
export const findActiveScreeningList = (db: Db) =>
  db
    .selectFrom('screening_list_versions')
    .select(['id', 'loaded_at', 'entry_count', 'names_indexed'])
    .where('active', '=', true)
    .executeTakeFirst();

/** The entry whose names were indexed last, for a version being indexed in batches (resumes after a crash). */
export async function findLastIndexedEntryId(db: Db, versionId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('screening_names')
    .select('entry_id')
    .where('version_id', '=', versionId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.entry_id;
}

/** A page of a version's entries in `entry_id` order, after the given one. */
export const listScreeningEntriesAfter = (db: Db, versionId: number, after: string, limit: number) =>
  db
    .selectFrom('screening_entries')
    .select(['entry_id', 'name', 'alt_names'])
    .where('version_id', '=', versionId)
    .where('entry_id', '>', after)
    .orderBy('entry_id')
    .limit(limit)
    .execute();

/**
 * Removes up to `limit` names of older versions (old lists leave the index in small steps). Names are
 * numbered as they are stored, so an older version's names come before the active one's first: the
 * statement walks the primary key up to there and stops, rather than reading every name to find none.
 */
export async function pruneScreeningNames(db: Db, keepVersionId: number, limit: number): Promise<number> {
  const result = await sql`
    delete from screening_names where id in (
      select id from screening_names
      where id < (select id from screening_names where version_id = ${keepVersionId} order by id limit 1)
        and version_id <> ${keepVersionId}
      order by id limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface ScreeningCandidateRow {
  entry_id: string;
  name: string;
  normalized: string;
  source: string;
  country: string | null;
  addresses: string;
}

/**
 * The version's names whose pg_trgm similarity to `normalized` reaches `similarity`, in the customer's
 * country or in none, with their entries: a GIN index scan. pg_trgm's threshold is a setting, so it is
 * set for this statement only (and sequential scans are kept off: without statistics on a just-loaded
 * list the planner could otherwise read every name).
 */
export async function findScreeningCandidates(
  db: Kysely<Database>,
  q: { versionId: number; normalized: string; similarity: number; country: string },
): Promise<ScreeningCandidateRow[]> {
  const run = async (trx: Kysely<Database>) => {
    await sql`select set_config('pg_trgm.similarity_threshold', ${String(q.similarity)}, true), set_config('enable_seqscan', 'off', true)`.execute(
      trx,
    );
    const rows = await sql<ScreeningCandidateRow>`
      select n.entry_id, n.name, n.normalized, e.source, e.country, e.addresses
      from screening_names n
      join screening_entries e on e.version_id = n.version_id and e.entry_id = n.entry_id
      where n.normalized % ${q.normalized} and n.version_id = ${q.versionId} and (e.country is null or e.country = ${q.country})
      order by n.id`.execute(trx);
    await sql`select set_config('enable_seqscan', 'on', true)`.execute(trx);
    return rows.rows;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
