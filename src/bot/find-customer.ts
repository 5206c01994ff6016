import type { CustomerRow, Db } from '../db/schema.js';

/** A customer named in chat: its id, its externalId, or its name (case-insensitive, unique). */
export async function findCustomerByReference(db: Db, partnerId: string, reference: string): Promise<{ customer?: CustomerRow; ambiguous?: string[] }> {
  const ref = reference.trim();
  const base = db.selectFrom('customers').selectAll().where('partner_id', '=', partnerId).where('status', '<>', 'deleted');
  const exact = await base.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])).executeTakeFirst();
  if (exact) return { customer: exact };
  const byName = await base.where((eb) => eb(eb.fn('lower', ['name']), '=', ref.toLowerCase())).limit(5).execute();
  if (byName.length === 1) return { customer: byName[0] };
  if (byName.length > 1) return { ambiguous: byName.map((c) => c.external_id) };
  return {};
}
