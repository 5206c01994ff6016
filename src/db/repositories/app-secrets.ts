import type { Db } from '../schema.js';

/** A secret shared by every instance: created once (the first writer wins), then read. */
export async function loadOrCreateSecret(db: Db, name: string, generate: () => string): Promise<string> {
  await db
    .insertInto('app_secrets')
    .values({ name, value: generate() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
