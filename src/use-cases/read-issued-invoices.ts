import { findIssuedDocument, listIssuedDocuments, listIssuedForMonth } from '../db/repositories/issued-invoices.js';
import { findCustomerByIdOrExternalId } from '../db/repositories/customers.js';
import type { Db } from '../db/schema.js';
import type { IssuedInvoice } from '../contracts/issued-invoices.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor } from './actor.js';
import { partnerOf } from './price-invoice-periods.js';

export interface IssuedInvoiceFilterInput {
  /** A customer id or externalId. */
  customer?: string | undefined;
  month?: string | undefined;
  number?: string | undefined;
  status?: 'issued' | undefined;
  offset?: number | undefined;
  max?: number | undefined;
}

/** Issued invoices of the actor's partner, newest first; filters by customer (id or externalId), month and number. */
export async function listIssuedInvoices(
  db: Db,
  actor: Actor,
  filter: IssuedInvoiceFilterInput,
): Promise<Result<{ items: IssuedInvoice[] }>> {
  if (filter.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(filter.month))
    return fail(problem('invalid_request', `"${filter.month}" is not a YYYY-MM month`, 'month'));
  let customerId: string | undefined;
  if (filter.customer !== undefined) {
    const c = await findCustomerByIdOrExternalId(db, partnerOf(actor), filter.customer);
    if (!c) return ok({ items: [] });
    customerId = c.id;
  }
  const docs = await listIssuedDocuments(db, partnerOf(actor), {
    customerId,
    month: filter.month,
    number: filter.number,
    offset: filter.offset ?? 0,
    max: Math.min(filter.max ?? 100, 1_001),
  });
  return ok({ items: docs.map((d) => JSON.parse(d) as IssuedInvoice) });
}

export async function getIssuedInvoice(db: Db, actor: Actor, number: string): Promise<Result<IssuedInvoice>> {
  const doc = await findIssuedDocument(db, partnerOf(actor), number);
  if (!doc) return fail(problem('invoice_not_found', `invoice ${number} not found`, 'number'));
  return ok(JSON.parse(doc) as IssuedInvoice);
}

/** The issued invoice of a customer for a month, if there is one. */
export async function findIssuedInvoiceFor(db: Db, actor: Actor, customerId: string, month: string): Promise<IssuedInvoice | undefined> {
  const issued = await listIssuedForMonth(db, partnerOf(actor), month, customerId);
  const hit = issued.get(customerId);
  if (!hit) return undefined;
  const doc = await findIssuedDocument(db, partnerOf(actor), hit.number);
  return doc ? (JSON.parse(doc) as IssuedInvoice) : undefined;
}
