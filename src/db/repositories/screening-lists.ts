import type { Db } from '../schema.js';

export interface NewScreeningEntry {
  id: string;
  source: string;
  name: string;
  altNames: readonly string[];
  addresses: string;
  country: string | null;
}

const ENTRIES_PER_INSERT = 1_000;

/** Stores a list version with its entries, not yet active. */
export async function insertScreeningListVersion(
  db: Db,
  v: { loadedAt: Date; loadedBy: string; entries: readonly NewScreeningEntry[] },
): Promise<{ id: number }> {
  const version = await db
    .insertInto('screening_list_versions')
    .values({ loaded_at: v.loadedAt, loaded_by: v.loadedBy, entry_count: v.entries.length })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < v.entries.length; i += ENTRIES_PER_INSERT) {
    await db
      .insertInto('screening_entries')
      .values(
        v.entries.slice(i, i + ENTRIES_PER_INSERT).map((e) => ({
          version_id: version.id,
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
  return version;
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
    .select(['entry_id', 'source', 'name', 'alt_names', 'country'])
    .where('version_id', '=', versionId)
    .execute();
