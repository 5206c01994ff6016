import type { Db } from '../schema.js';

export async function insertSyncRequest(db: Db, r: { id: string; partnerId: string; requestedBy: string; at: Date }) {
  return db
    .insertInto('upstream_syncs')
    .values({ id: r.id, partner_id: r.partnerId, state: 'queued', requested_by: r.requestedBy, requested_at: r.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The partner's queued or running sync, if any (at most one: a unique index). */
export const findActiveSync = (db: Db, partnerId: string) =>
  db
    .selectFrom('upstream_syncs')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('state', 'in', ['queued', 'running'])
    .executeTakeFirst();

export const findSync = (db: Db, id: string, partnerId?: string) => {
  let q = db.selectFrom('upstream_syncs').selectAll().where('id', '=', id);
  if (partnerId !== undefined) q = q.where('partner_id', '=', partnerId);
  return q.executeTakeFirst();
};

export const findLatestSync = (db: Db, partnerId: string) =>
  db
    .selectFrom('upstream_syncs')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('requested_at', 'desc')
    .limit(1)
    .executeTakeFirst();

/**
 * Takes the run for this instance: a queued one, or a running one whose runner stopped writing progress
 * before `staleBefore` (its instance died). Undefined when another runner has it.
 */
export const claimSync = (db: Db, id: string, now: Date, staleBefore: Date) =>
  db
    .updateTable('upstream_syncs')
    .set((eb) => ({ state: 'running', started_at: eb.fn.coalesce('started_at', eb.val(now)), heartbeat_at: now }))
    .where('id', '=', id)
    .where((eb) => eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]))
    .returningAll()
    .executeTakeFirst();

export async function writeSyncProgress(db: Db, id: string, progress: Record<string, number>, at: Date): Promise<void> {
  await db
    .updateTable('upstream_syncs')
    .set({ progress: JSON.stringify(progress), heartbeat_at: at })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

export async function finishSync(
  db: Db,
  id: string,
  f: { state: 'succeeded' | 'failed'; at: Date; summary?: object; errors?: string[]; progress?: Record<string, number> },
): Promise<void> {
  await db
    .updateTable('upstream_syncs')
    .set({
      state: f.state,
      finished_at: f.at,
      heartbeat_at: f.at,
      ...(f.summary ? { summary: JSON.stringify(f.summary) } : {}),
      ...(f.progress ? { progress: JSON.stringify(f.progress) } : {}),
      errors: JSON.stringify(f.errors ?? []),
    })
    .where('id', '=', id)
    .execute();
}
