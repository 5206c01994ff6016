import type { Db, PartnerRow, StaffTable } from '../schema.js';

export async function upsertStaff(
  db: Db,
  s: { id: string; partnerId: string; email: string; role: StaffTable['role']; displayName?: string | null },
) {
  return db
    .insertInto('staff')
    .values({ id: s.id, partner_id: s.partnerId, email: s.email.toLowerCase(), role: s.role, display_name: s.displayName ?? null })
    .onConflict((oc) => oc.columns(['partner_id', 'email']).doUpdateSet({ role: s.role }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const listStaff = (db: Db, partnerId: string) =>
  db.selectFrom('staff').selectAll().where('partner_id', '=', partnerId).orderBy('email').execute();

/** The staff member with this email and their partner, in one round trip. */
export async function findStaffWithPartner(
  db: Db,
  email: string,
): Promise<{ partner: PartnerRow; role: StaffTable['role']; email: string } | undefined> {
  const row = await db
    .selectFrom('staff as s')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .selectAll('p')
    .select(['s.role as staff_role', 's.email as staff_email'])
    .where('s.email', '=', email)
    .executeTakeFirst();
  if (!row) return undefined;
  const { staff_role, staff_email, ...partner } = row;
  return { partner, role: staff_role, email: staff_email };
}

/** Removes one staff entry of the partner (their console sessions go with it); the removed row, or undefined. */
export const deleteStaff = (db: Db, partnerId: string, id: string) =>
  db.deleteFrom('staff').where('partner_id', '=', partnerId).where('id', '=', id).returningAll().executeTakeFirst();
