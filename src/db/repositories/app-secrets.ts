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

/** The current secret `name` and its retired predecessors still inside their retire_after, newest first. */
export function listLiveSecrets(db: Db, name: string, now: Date) {
  return db
    .selectFrom('app_secrets')
    .select(['name', 'value', 'retire_after'])
    .where((eb) => eb.or([eb('name', '=', name), eb.and([eb('name', 'like', `${name}.retired.%`), eb('retire_after', '>', now)])]))
    .orderBy('created_at', 'desc')
    .execute();
}

/** Renames the current secret to a retired one that verifies until `retireAfter`; false when there is none. */
export async function retireSecret(db: Db, name: string, retiredName: string, retireAfter: Date): Promise<boolean> {
  const result = await db
    .updateTable('app_secrets')
    .set({ name: retiredName, retire_after: retireAfter })
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertSecret(db: Db, name: string, value: string, createdAt: Date): Promise<void> {
  await db.insertInto('app_secrets').values({ name, value, created_at: createdAt }).execute();
}

export async function deleteRetiredSecrets(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('app_secrets').where('retire_after', 'is not', null).where('retire_after', '<=', now).execute();
}

/** Every stored secret, locked for a re-encryption in the caller's transaction. */
export function lockAllSecrets(db: Db) {
  return db.selectFrom('app_secrets').select(['name', 'value']).orderBy('name').forUpdate().execute();
}

export async function replaceSecretValue(db: Db, name: string, value: string): Promise<void> {
  await db.updateTable('app_secrets').set({ value }).where('name', '=', name).execute();
}

export async function findSecret(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `name`, replacing what was there. */
export async function upsertSecret(db: Db, name: string, value: string, at: Date): Promise<void> {
  await db
    .insertInto('app_secrets')
    .values({ name, value, created_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}
