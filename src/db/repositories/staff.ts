import type { Db, StaffTable } from '../schema.js';

export async function upsertStaff(db: Db, s: { id: string; partnerId: string; email: string; role: StaffTable['role']; displayName?: string | null }) {
  return db
    .insertInto('staff')
    .values({ id: s.id, partner_id: s.partnerId, email: s.email.toLowerCase(), role: s.role, display_name: s.displayName ?? null })
    .onConflict((oc) => oc.columns(['partner_id', 'email']).doUpdateSet({ role: s.role }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const listStaff = (db: Db, partnerId: string) => db.selectFrom('staff').selectAll().where('partner_id', '=', partnerId).orderBy('email').execute();
