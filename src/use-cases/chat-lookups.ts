import { findCustomerByIdOrExternalId, listCustomerNamesOfPartner, listCustomersNamed } from '../db/repositories/customers.js';
import { didYouMean, nearNames } from '../domain/near-names.js';
import {
  countSubscribersByPackageAndStatus,
  findLiveSubscriberByEmail,
  listLiveSubscribersByEmail,
} from '../db/repositories/subscribers.js';
import type { CustomerRow, Db } from '../db/schema.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';

const NAME_MATCHES_SHOWN = 5;
/** Names a near miss is compared with: a partner's newest customers (a lookup that failed is no hot path). */
const NAME_CANDIDATES = 5_000;
const EMAILS_PER_QUERY = 1_000;

/**
 * A customer named in chat: its id, its externalId, or its name (case-insensitive, unique). Unknown
 * and ambiguous names are problems whose messages quote the reference as given.
 */
export async function findCustomerByReference(db: Db, partnerId: string, reference: string): Promise<Result<CustomerRow>> {
  const ref = reference.trim();
  const exact = await findCustomerByIdOrExternalId(db, partnerId, ref);
  if (exact) return ok(exact);
  const byName = await listCustomersNamed(db, partnerId, ref, NAME_MATCHES_SHOWN);
  if (byName.length === 1) return ok(byName[0]!);
  if (byName.length > 1)
    return fail(
      problem(
        'customer_ambiguous',
        `Several customers are called "${reference}"; use the externalId: ${byName.map((c) => c.external_id).join(', ')}.`,
      ),
    );
  // A near miss ("bravo" for "Bravo Clinic") is answered with what was probably meant.
  const near = nearNames(ref, await listCustomerNamesOfPartner(db, partnerId, NAME_CANDIDATES));
  return fail(problem('customer_not_found', `No customer "${reference}".${near.length ? ` ${didYouMean(near)}` : ''}`));
}

/** A live subscriber of the partner by email, with its customer's name. */
export const findSubscriberByEmail = (db: Db, partnerId: string, email: string) =>
  findLiveSubscriberByEmail(db, partnerId, email.trim().toLowerCase());

/** A customer's live subscribers counted per package and status, by package. */
export async function countCustomerSubscribers(db: Db, customerId: string): Promise<{ package: string; status: string; count: number }[]> {
  return (await countSubscribersByPackageAndStatus(db, customerId)).map((s) => ({
    package: s.package,
    status: s.status,
    count: Number(s.n),
  }));
}

/** Live subscribers (any partner) holding these emails, by email. */
export async function findLiveSubscribersByEmail(
  db: Db,
  emails: readonly string[],
): Promise<Map<string, { customer_id: string; package: string }>> {
  const existing = new Map<string, { customer_id: string; package: string }>();
  for (let i = 0; i < emails.length; i += EMAILS_PER_QUERY) {
    for (const s of await listLiveSubscribersByEmail(db, emails.slice(i, i + EMAILS_PER_QUERY))) existing.set(s.email, s);
  }
  return existing;
}
