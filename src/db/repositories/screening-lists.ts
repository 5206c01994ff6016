import type { Db } from '../schema.js';

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

/** One batch of a version's entries in one INSERT (the caller keeps batches to ~1,000 rows). */
export async function insertScreeningEntries(db: Db, versionId: number, entries: readonly NewScreeningEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('screening_entries')
    .values(
      entries.map((e) => ({
        version_id: versionId,
        entry_id: e.id,
        source: e.source,
        name: e.name,
        alt_names: JSON.stringify(e.altNames),
        addresses: e.addresses,
        country: e.country,
      })),
    )
    .execute();
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
