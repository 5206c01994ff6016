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
export async function findCustomerRowByReference(db: Db, partnerId: string, reference: string): Promise<Result<CustomerRow>> {
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

/** A customer as chat shows it (status, change and review commands): camelCase, mapped from its row here. */
export interface ChatCustomer {
  id: string;
  externalId: string;
  /** The customer's (and its Webex org's) name; null when it was created without one. */
  name: string | null;
  status: CustomerRow['status'];
  /** The Webex org, once there is one. */
  orgId: string | null;
  orgCountry: string;
  locale: string;
  packages: CustomerRow['packages'];
  errors: CustomerRow['errors'];
}

export const toChatCustomer = (c: CustomerRow): ChatCustomer => ({
  id: c.id,
  externalId: c.external_id,
  name: c.name,
  status: c.status,
  orgId: c.org_id,
  orgCountry: c.org_country,
  locale: c.locale,
  packages: c.packages,
  errors: c.errors,
});

/** `findCustomerRowByReference`, answered as chat shows a customer. */
export async function findCustomerByReference(db: Db, partnerId: string, reference: string): Promise<Result<ChatCustomer>> {
  const found = await findCustomerRowByReference(db, partnerId, reference);
  return found.ok ? ok(toChatCustomer(found.value)) : found;
}

/** A live subscriber as chat names it: its package and add-ons, its customer's name and externalId. */
export interface ChatSubscriber {
  id: string;
  package: string;
  addons: string[];
  status: string;
  /** The customer's name (null when it has none) and externalId. */
  customerName: string | null;
  customerExternalId: string;
}

/** A live subscriber of the partner by email, with its customer's name. */
export async function findSubscriberByEmail(db: Db, partnerId: string, email: string): Promise<ChatSubscriber | undefined> {
  const s = await findLiveSubscriberByEmail(db, partnerId, email.trim().toLowerCase());
  return s && { id: s.id, package: s.package, addons: s.addons, status: s.status, customerName: s.name, customerExternalId: s.external_id };
}

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
