import { firstIssuedAt, listDocumentsAdjusting } from '../db/repositories/issued-invoices.js';
import { findRootPartner } from '../db/repositories/partners.js';
import type { Db } from '../db/schema.js';
import type { InvoiceAdjustment, IssuedInvoice } from '../contracts/issued-invoices.js';
import { addDays } from '../domain/calendar.js';
import type { Actor } from './actor.js';
import { computePendingAdjustments, partnerOf } from './price-invoice-periods.js';

/**
 * What a customer's next invoice will carry for earlier issued months, as of now (the provisional current
 * month shows these; nothing is stored until the month is issued).
 */
export async function listPendingAdjustments(db: Db, actor: Actor, customerId: string, month: string): Promise<InvoiceAdjustment[]> {
  const root = (await findRootPartner(db))!;
  const pending = await computePendingAdjustments(db, partnerOf(actor), root.id, month, customerId);
  return (pending.byCustomer.get(customerId) ?? []).map((d) => d.adjustment);
}

export interface LaterAdjustments {
  /** When the month was first issued; undefined when it has not been. */
  issuedAt: Date | undefined;
  /** Adjustments for the month already on later invoices, with the invoice carrying each. */
  issued: (InvoiceAdjustment & { invoiceNumber: string })[];
  /** Owed now, not yet on an invoice (the next invoice will carry them). */
  pending: InvoiceAdjustment[];
}

/** What was recorded after a month was issued, as adjustments: for reconciliation, beside the ledger as issued. */
export async function listLaterAdjustments(db: Db, actor: Actor, month: string, now: Date): Promise<LaterAdjustments> {
  const partnerId = partnerOf(actor);
  const issuedAt = await firstIssuedAt(db, partnerId, month);
  if (!issuedAt) return { issuedAt, issued: [], pending: [] };
  const docs = (await listDocumentsAdjusting(db, partnerId, month)).map((d) => JSON.parse(d) as IssuedInvoice);
  const issued = docs.flatMap((doc) => doc.adjustments.filter((a) => a.period === month).map((a) => ({ ...a, invoiceNumber: doc.number })));
  const root = (await findRootPartner(db))!;
  const nextMonth = addDays(`${now.toISOString().slice(0, 7)}-01`, 40).slice(0, 7);
  const pending = await computePendingAdjustments(db, partnerId, root.id, nextMonth, null, month);
  return { issuedAt, issued, pending: [...pending.byCustomer.values()].flat().map((d) => d.adjustment) };
}
