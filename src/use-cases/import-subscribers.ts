import { findCustomerWithCounts, type CustomerWithCounts } from '../db/repositories/customers.js';
import {
  enqueueDeliveriesOfEvents,
  insertImportedSubscribers,
  listEmailUses,
  listNumberHoldersOfCustomers,
  type ImportedSubscriber,
} from '../db/repositories/subscriber-import.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import type { Db } from '../db/schema.js';
import { splitPackageList } from '../domain/packages.js';
import type { NumberHolder } from '../domain/subscriber-admin.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { findCustomerRowByReference } from './chat-lookups.js';
import { enqueueTask } from './enqueue-task.js';
import { checkNewSubscriber, newSubscriberRow, type CreateSubscriberInput, type SubscriberPlan } from './create-subscriber.js';

/** One line of an import file, its fields already well-formed (the chat command's schema checked them). */
export interface ImportRow {
  /** The line in the file (the header is line 1). */
  row: number;
  email: string;
  /** The customer's name, externalId or id. */
  customer: string;
  package: string;
  firstName: string;
  lastName: string;
  extension?: string | undefined;
  phone?: string | undefined;
}

export interface ImportCheck {
  /** Every bad row with every reason, in file order. */
  problems: { row: number; message: string }[];
  /** Rows to add, and rows whose subscriber is already in place (same email, same customer). */
  toAdd: number;
  present: number;
  /** Distinct customers the rows name (a customer named by name on one row and by externalId on another counts once). */
  customers: number;
}

interface Planned {
  row: ImportRow;
  input: CreateSubscriberInput;
  plan: SubscriberPlan;
}

/**
 * Checks every row by the rules of a single POST, against the customers' state loaded once and
 * carried from row to row (a limit filled, the admin taken, an extension claimed by an earlier row).
 * Inside a transaction the customers are locked first, so what was checked is what is applied.
 */
async function planImport(db: Db, actor: Actor, rows: readonly ImportRow[], deps: UseCaseDeps) {
  const customerOf = new Map<string, string>();
  const refProblem = new Map<string, string>();
  for (const ref of new Set(rows.map((r) => r.customer))) {
    const found = await findCustomerRowByReference(db, actor.partner.id, ref);
    if (found.ok) customerOf.set(ref, found.value.id);
    else refProblem.set(ref, found.problems[0]?.message ?? `No customer "${ref}".`);
  }
  const customerIds = [...new Set(customerOf.values())].sort();
  const states = new Map<string, CustomerWithCounts>();
  // Sorted, so two imports locking the same customers take the locks in one order.
  for (const id of customerIds) {
    const state = await findCustomerWithCounts(db, actor.partner.id, id, { forUpdate: db.isTransaction });
    if (state) states.set(id, state);
  }
  const numbers = await listNumberHoldersOfCustomers(db, [...states.keys()]);
  const emailUses = await listEmailUses(
    db,
    actor.partner.id,
    rows.map((r) => r.email),
  );

  const problems: ImportCheck['problems'] = [];
  const planned: Planned[] = [];
  let present = 0;
  for (const row of rows) {
    const customerId = customerOf.get(row.customer);
    const state = customerId === undefined ? undefined : states.get(customerId);
    if (!state) {
      problems.push({ row: row.row, message: refProblem.get(row.customer) ?? `No customer "${row.customer}".` });
      continue;
    }
    const uses = emailUses.get(row.email) ?? [];
    if (uses.some((u) => u.kind === 'subscriber' && u.customer_id === state.customer.id)) {
      present++;
      continue;
    }
    const input: CreateSubscriberInput = {
      customerId: state.customer.id,
      email: row.email,
      packages: splitPackageList(row.package),
      provisioningParameters: { firstName: row.firstName, lastName: row.lastName, extension: row.extension, primaryPhoneNumber: row.phone },
    };
    const held = numbers.get(state.customer.id) ?? [];
    const ext = row.extension?.trim();
    const phone = row.phone?.trim();
    const checked = checkNewSubscriber(
      {
        ...state,
        numberHolders: held.filter((h) => (ext && h.extension === ext) || (phone && h.primaryPhoneNumber === phone)),
        emailUses: uses,
      },
      actor,
      input,
      deps,
    );
    if (!checked.ok) {
      problems.push({ row: row.row, message: checked.problems.map((p) => p.message).join('; ') });
      continue;
    }
    const plan = checked.value!;
    planned.push({ row, input, plan });
    // What this row takes, later rows find taken.
    for (const pkg of [plan.pkg, ...plan.addOns]) state.holders[pkg] = (state.holders[pkg] ?? 0) + 1;
    state.subscribersEver++;
    const holder: NumberHolder = {
      subscriberId: `on line ${row.row}`,
      email: row.email,
      kind: 'subscriber',
      extension: ext || null,
      primaryPhoneNumber: phone || null,
    };
    if (ext || phone) held.push(holder);
    emailUses.set(row.email, [...uses, { kind: 'subscriber', partner_id: actor.partner.id, customer_id: state.customer.id }]);
  }
  return { problems, planned, present, customers: customerIds.length };
}

/** Checks an import without writing anything: what `import users` proposes. */
export async function checkSubscriberImport(db: Db, actor: Actor, rows: readonly ImportRow[], deps: UseCaseDeps): Promise<ImportCheck> {
  const { problems, planned, present, customers } = await planImport(db, actor, rows, deps);
  return { problems, toAdd: planned.length, present, customers };
}

/**
 * Applies an import all or nothing, in one transaction: every row is checked again under the
 * customers' locks, and one bad row means nothing is written (the answer names every bad row).
 * `onProgress` hears after each tenth of the rows is written.
 */
export async function applySubscriberImport(
  db: Db,
  actor: Actor,
  rows: readonly ImportRow[],
  deps: UseCaseDeps,
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<{ ok: true; value: ImportCheck } | { ok: false; rows: ImportCheck['problems'] }> {
  return runInTransaction(db, async (trx) => {
    const { problems, planned, present, customers } = await planImport(trx, actor, rows, deps);
    if (problems.length) return { ok: false as const, rows: problems };
    const items: ImportedSubscriber[] = [];
    const pending: string[] = [];
    for (const { input, plan } of planned) {
      const { values, immediate } = newSubscriberRow(plan, actor, input, deps);
      if (!immediate) pending.push(values.id);
      items.push({
        row: values,
        // Upstream, add-ons bill from Webex's confirmation: the provisioning task starts their streams.
        addOns: deps.viaWebex ? [] : plan.addOns,
        effectiveAt: plan.effectiveAt,
        audit: {
          after: {
            email: values.email,
            customerId: plan.customer.id,
            package: plan.pkg,
            addOns: plan.addOns,
            status: values.status,
            isAdmin: plan.isAdmin,
            locationId: plan.locationId,
          },
          context: { effectiveAt: plan.effectiveAt.toISOString(), import: true },
        },
      });
    }
    const tenth = Math.max(1, Math.ceil(items.length / 10));
    for (let i = 0; i < items.length; i += tenth) {
      await insertImportedSubscribers(trx, items.slice(i, i + tenth), {
        recordedAt: deps.now,
        cause: 'subscriber.create',
        actor: actor.label,
      });
      if (i + tenth < items.length) await onProgress?.(i + tenth, items.length);
    }
    for (const id of pending) await enqueueTask(trx, { kind: 'subscriber.provision', entityId: id, now: deps.now });
    await enqueueDeliveriesOfEvents(
      trx,
      actor.partner.id,
      'subscriber.status_changed',
      items.map(({ row }) => ({
        id: deps.uuid(),
        occurredAt: deps.now,
        data: {
          subscriberId: row.id,
          customerId: row.customer_id,
          email: row.email,
          package: row.package,
          status: row.status,
          previousStatus: null,
          errors: [],
        },
      })),
    );
    return { ok: true as const, value: { problems: [], toAdd: planned.length, present, customers } };
  });
}

/** A bad row as chat and errors name it. */
export const describeImportProblem = (p: { row: number; message: string }): string => `line ${p.row}: ${p.message}`;
