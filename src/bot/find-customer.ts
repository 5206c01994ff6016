import type { CustomerRow, Db } from '../db/schema.js';
import { escapeMarkdown } from './replies.js';

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

/** The customer a chat message names, or the reply that says why there is none (unknown, ambiguous). */
export async function customerOrReply(db: Db, partnerId: string, reference: string, hint: string): Promise<{ customer: CustomerRow } | { reply: string }> {
  const found = await findCustomerByReference(db, partnerId, reference);
  if (found.ambiguous) return { reply: `Several customers are called "${escapeMarkdown(reference)}"; use the externalId: ${found.ambiguous.map(escapeMarkdown).join(', ')}.` };
  if (!found.customer) return { reply: `No customer "${escapeMarkdown(reference)}". ${hint}` };
  return { customer: found.customer };
}
