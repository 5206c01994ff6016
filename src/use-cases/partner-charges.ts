import { type Kysely, sql } from 'kysely';
import {
  countCustomersByStatus,
  listCustomerIdsOfPartner,
  listCustomerIdsOfPartnerAfter,
  listCustomerNames,
} from '../db/repositories/customers.js';
import { listPartnersToInvoice } from '../db/repositories/issued-invoices.js';
import {
  analyzeMonthCharges,
  clearMonthCharges,
  forgetCustomerCharges,
  keepCustomerCharges,
  type KeptCustomerCharges,
  lockMonthCharges,
  markedCustomers,
  anyMarkedCustomer,
  sharedChargesFingerprint,
  readCustomerCharges,
  currentSnapshot,
  topMonthCharges,
} from '../db/repositories/customer-month-charges.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { findLatestMonthTotals, findMonthTotals, saveMonthTotals } from '../db/repositories/partner-month-totals.js';
import { listPriceBook, pricedUsage, type PricedUsage } from '../db/repositories/price-book.js';
import { peakHolders } from '../db/repositories/peak-holders.js';
import { runLongWork } from '../db/run-in-transaction.js';
import type { Database, Db } from '../db/schema.js';
import { planBillingMonth } from '../domain/billing-window.js';
import { priceCustomerUsage } from './invoice-lines.js';
import { formatUnits, secondsToUnits } from '../domain/proration.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

export interface PartnerCharges {
  month: string;
  /** True for the current month: charges to date (up to the start of today, UTC), still changing. */
  provisional: boolean;
  /** The last day counted; null when none of the month has ended yet. */
  through: string | null;
  currency: string | null;
  /** Quantity (daily units) and charge per package over the whole partner. */
  packages: { package: string; quantity: string; amountMinor: number }[];
  /**
   * The customers with the highest charges (at most `TOP_CUSTOMERS`), highest first; each equals the total
   * of its invoice. A large SP has 50,000: the dashboard shows five, the digest ten.
   */
  customers: { customerId: string; name: string; externalId: string; amountMinor: number }[];
  /** How many customers have usage (all of them count in `totalMinor`). */
  customerCount: number;
  totalMinor: number;
  unpricedPackages: string[];
}

/** The most customers `PartnerCharges.customers` lists. */
export const TOP_CUSTOMERS = 100;

/** Customers priced per statement when computing only some customers' months. */
const CHARGES_BATCH = 2_000;

/** Bumped whenever the computation below changes, so totals kept by an older release are recomputed. */
const CHARGES_VERSION = 'charges-5';

/** Per package over the partner's kept customers: what the kept rows sum to, and how many rows there are. */
interface PackageSums {
  seconds: number;
  amountMinor: number;
  /** Customers holding the package, and those of them it was unpriced for. */
  customers: number;
  unpricedCustomers: number;
}

/** The kept customers' rows summed: kept with the month so a refresh adds and subtracts only the changed customers'. */
interface MonthSums {
  packages: Record<string, PackageSums>;
  customerCount: number;
  totalMinor: number;
}

/**
 * What `partner_month_totals` keeps for kind 'charges': the charges, the sums they come from, and the
 * snapshot whose transactions' marks they reflect.
 */
interface KeptMonth {
  /** The snapshot the refresh started from (pg_current_snapshot): marks of transactions it saw are reflected. */
  seenSnapshot: string;
  sums: MonthSums;
  charges: PartnerCharges;
}

const emptySums = (): MonthSums => ({ packages: {}, customerCount: 0, totalMinor: 0 });

/** Adds (sign 1) or takes away (sign -1) customers' kept months from `sums`. */
function addToSums(sums: MonthSums, rows: readonly KeptCustomerCharges[], sign: 1 | -1): MonthSums {
  for (const c of rows) {
    sums.customerCount += sign;
    sums.totalMinor += sign * c.amountMinor;
    for (const p of c.packages) {
      const t = (sums.packages[p.package] ??= { seconds: 0, amountMinor: 0, customers: 0, unpricedCustomers: 0 });
      t.seconds += sign * p.seconds;
      t.amountMinor += sign * p.amountMinor;
      t.customers += sign;
      if (p.unpriced) t.unpricedCustomers += sign;
      if (t.customers === 0) delete sums.packages[p.package];
    }
  }
  return sums;
}

/**
 * What the SP charges for a month (the current month to date, up to the start of today): each
 * customer's lines are priced exactly as its invoice prices them (per package and price version,
 * rounded per line), so the totals here equal the sum of the invoices. A future month charges nothing.
 *
 * Kept incrementally: every customer's month is kept (`customer_month_charges`), the partner's sums
 * with it (`partner_month_totals`). A change of a customer's ledger or billing columns marks that
 * customer (database triggers, same transaction, migration 2026-12-08-0200); the next call recomputes
 * only the marked customers and corrects the kept sums by the difference of their rows. The whole month is computed again only when
 * what every customer depends on changed: the window's end (each new UTC day of the current month),
 * the partner's billing start, the price book, or this code's version.
 */
export async function partnerCharges(
  db: Db,
  partner: ActingPartner,
  month: string,
  now: Date,
  opts: { batchSize?: number } = {},
): Promise<PartnerCharges> {
  const root = (await findRootPartner(db))!;
  const fingerprint = await chargesFingerprint(db, partner, root.id, month, now);
  const kept = (await findMonthTotals(db, partner.id, 'charges', month, fingerprint)) as KeptMonth | undefined;
  if (kept !== undefined && !(await anyMarkedCustomer(db, partner.id, month, kept.seenSnapshot))) return kept.charges;
  return refreshMonth(db, partner, root.id, month, now, fingerprint, opts.batchSize ?? WHOLE_MONTH_BATCH);
}

/** Customers per batch of the whole-month pass: each batch is priced, written and summed, then let go. */
export const WHOLE_MONTH_BATCH = 2_000;

/** What every customer's kept month depends on: this code's version, the window's end, the billing start and the price book. */
async function chargesFingerprint(db: Db, partner: ActingPartner, rootId: string, month: string, now: Date): Promise<string> {
  const window = planBillingMonth(month, now);
  const to = window.ok ? window.value.to : new Date(0);
  return `${CHARGES_VERSION}|${to.toISOString()}|${await sharedChargesFingerprint(db, partner.id, rootId)}`;
}

/** The charges as the dashboard shows them, with how current they are. */
export interface ShownCharges {
  /** The charges; when `refreshing`, the last ones kept (through `asOf`), or null when none were kept yet. */
  charges: PartnerCharges | null;
  /** The last day the charges count (their `through`); null when no day is counted or nothing is kept. */
  asOf: string | null;
  /** True while the kept month is out of date and the background refresh (the month-charges job) has not brought it current. */
  refreshing: boolean;
}

/**
 * The charges a request may show without the whole-month pass: the kept month when it is current
 * (marked customers recomputed here, a fraction of a second), else the last kept figures marked
 * `refreshing` (the month-charges job computes the whole month in the background). Only a partner of at
 * most `inlineCustomers` customers, whose whole month takes milliseconds, has it computed here.
 */
export async function shownPartnerCharges(
  db: Db,
  partner: ActingPartner,
  month: string,
  now: Date,
  opts: { inlineCustomers: number },
): Promise<ShownCharges> {
  const root = (await findRootPartner(db))!;
  const fingerprint = await chargesFingerprint(db, partner, root.id, month, now);
  const current = await findMonthTotals(db, partner.id, 'charges', month, fingerprint);
  const { from, to } = monthWindow(month, now);
  const small = async () => Object.values(await countCustomersByStatus(db, partner.id)).reduce((a, n) => a + n, 0) <= opts.inlineCustomers;
  // A window with no day ended yet has no usage to read: computing it is as cheap as reading it.
  if (current !== undefined || !(to > from) || (await small())) {
    const charges = await partnerCharges(db, partner, month, now);
    return { charges, asOf: charges.through, refreshing: false };
  }
  const last = (await findLatestMonthTotals(db, partner.id, 'charges', month))?.body as KeptMonth | undefined;
  return { charges: last?.charges ?? null, asOf: last?.charges.through ?? null, refreshing: true };
}

/**
 * Brings every partner's current month up to date (the month-charges job): the whole month computed in
 * batches, in a long-work transaction, for each partner whose kept month is missing or out of date
 * (a new UTC day, a changed price book or billing start). Returns the partners refreshed.
 */
export async function refreshStaleMonthCharges(
  db: Kysely<Database>,
  now: Date,
  opts: { batchSize?: number } = {},
): Promise<{ partnerId: string; ms: number }[]> {
  const root = await findRootPartner(db);
  if (!root) return [];
  const month = now.toISOString().slice(0, 7);
  const done: { partnerId: string; ms: number }[] = [];
  for (const row of await listPartnersToInvoice(db)) {
    const partner = toActingPartner(row);
    const fingerprint = await chargesFingerprint(db, partner, root.id, month, now);
    if ((await findMonthTotals(db, partner.id, 'charges', month, fingerprint)) !== undefined) continue;
    const started = performance.now();
    await refreshMonth(db, partner, root.id, month, now, fingerprint, opts.batchSize ?? WHOLE_MONTH_BATCH);
    done.push({ partnerId: partner.id, ms: Math.round(performance.now() - started) });
  }
  return done;
}

/** Recomputes the marked customers of a current kept month, or the whole month in batches when none is current. */
function refreshMonth(
  db: Db,
  partner: ActingPartner,
  rootId: string,
  month: string,
  now: Date,
  fingerprint: string,
  batchSize: number,
): Promise<PartnerCharges> {
  return inTransaction(db, async (trx) => {
    // One refresh per partner and month at a time; a waiting request finds the work done.
    await lockMonthCharges(trx, partner.id, month);
    await sql`set local jit = off`.execute(trx);
    // Taken before anything is read: every change this refresh reads was made by a transaction this snapshot sees,
    // or by a later one (whose marks the next refresh then reads again: never a change missed).
    const seenSnapshot = await currentSnapshot(trx);
    const current = (await findMonthTotals(trx, partner.id, 'charges', month, fingerprint)) as KeptMonth | undefined;
    let sums: MonthSums;
    if (current !== undefined) {
      const marked = await markedCustomers(trx, partner.id, month, current.seenSnapshot);
      if (marked.length === 0) return current.charges;
      const ids = marked.map((m) => m.customerId);
      // Only the marked customers' rows are read, subtracted, recomputed and added: never the whole month's.
      const before = await readCustomerCharges(trx, partner.id, month, ids);
      await forgetCustomerCharges(trx, partner.id, month, ids);
      const own = marked.filter((m) => m.own).map((m) => m.customerId);
      const after = await customersCharges(trx, partner, rootId, month, now, own);
      await keepCustomerCharges(trx, partner.id, month, after);
      sums = addToSums(addToSums(structuredClone(current.sums), before, -1), after, 1);
    } else {
      await clearMonthCharges(trx, partner.id, month);
      // The whole month by keyset over the partner's customers: each batch priced, written and added to the
      // sums, then dropped, so memory holds one batch however many customers there are.
      sums = emptySums();
      for (let after: string | null = null; ; ) {
        const ids = await listCustomerIdsOfPartnerAfter(trx, partner.id, after, Math.max(1, batchSize));
        if (ids.length === 0) break;
        const rows = await customersCharges(trx, partner, rootId, month, now, ids);
        await keepCustomerCharges(trx, partner.id, month, rows);
        addToSums(sums, rows, 1);
        after = ids.at(-1)!;
      }
      await analyzeMonthCharges(trx);
    }
    const charges = await keptCharges(trx, partner, month, now, sums);
    await saveMonthTotals(trx, partner.id, 'charges', month, fingerprint, { seenSnapshot, sums, charges } satisfies KeptMonth, now);
    return charges;
  });
}

/**
 * Runs `fn` in a transaction of its own with long work's statement timeout (the whole month in one pass
 * takes tens of seconds at 1,000,000 subscribers), or in the caller's transaction.
 */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : runLongWork(db as Kysely<Database>, fn);
}

const monthWindow = (month: string, now: Date) => {
  const window = planBillingMonth(month, now);
  return window.ok ? window.value : { from: new Date(0), to: new Date(0), daysInMonth: 1, provisional: true, through: null };
};

/** The partner's month from the kept sums, with the highest charges and the currency read from the kept rows (by index). */
async function keptCharges(db: Db, partner: ActingPartner, month: string, now: Date, sums: MonthSums): Promise<PartnerCharges> {
  const { provisional, through } = monthWindow(month, now);
  const { top, currency } = await topMonthCharges(db, partner.id, month, TOP_CUSTOMERS);
  const names = Object.keys(sums.packages).sort();
  return {
    month,
    provisional,
    through,
    currency,
    packages: names.map((p) => ({
      package: p,
      quantity: formatUnits(secondsToUnits(sums.packages[p]!.seconds)),
      amountMinor: sums.packages[p]!.amountMinor,
    })),
    customers: top.sort(compareCharges),
    customerCount: sums.customerCount,
    totalMinor: sums.totalMinor,
    unpricedPackages: names.filter((p) => sums.packages[p]!.unpricedCustomers > 0),
  };
}

/** The highest charge first; equal charges by name, then id, in code point order (as `collate "C"` orders them). */
const compareCharges = (a: { amountMinor: number; name: string; customerId: string }, b: typeof a): number =>
  b.amountMinor - a.amountMinor || codePointOrder(a.name, b.name) || codePointOrder(a.customerId, b.customerId);

const codePointOrder = (a: string, b: string): number => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

/**
 * Each customer's month (only those with usage), priced as its invoice prices it: `only` these customers
 * (a batch per statement, each reading its customers' facts by index), or every customer of the partner
 * (null: one pass over the partner's ledger).
 */
async function customersCharges(
  db: Db,
  partner: ActingPartner,
  pricePartnerId: string,
  month: string,
  now: Date,
  only: readonly string[] | null,
): Promise<KeptCustomerCharges[]> {
  const { from, to, daysInMonth: days } = monthWindow(month, now);
  if (!(to > from) || (only !== null && only.length === 0)) return [];
  // The most holders on one day only matter to a package a price version bills by its peak: counting them
  // per day is the costliest part of a month, so only those packages are counted.
  const peakPackages = [...new Set((await listPriceBook(db, pricePartnerId)).filter((r) => r.policy === 'peak').map((r) => r.package))];
  // Concatenated, never spread into push: a month at a large SP's size is 200,000 rows.
  let usage: PricedUsage[] = [];
  let peaks: Awaited<ReturnType<typeof peakHolders>> = [];
  if (only === null) {
    // Facts carry the partner they were recorded for; a customer counts for the partner it belongs to now.
    const mine = new Set(await listCustomerIdsOfPartner(db, partner.id));
    usage = (await pricedUsage(db, partner.id, pricePartnerId, null, from, to)).filter((u) => mine.has(u.customer_id));
    if (peakPackages.length) peaks = await peakHolders(db, partner.id, null, from, to, peakPackages);
  } else {
    for (let i = 0; i < only.length; i += CHARGES_BATCH) {
      const batch = only.slice(i, i + CHARGES_BATCH);
      usage = usage.concat(await pricedUsage(db, partner.id, pricePartnerId, batch, from, to));
      if (peakPackages.length) peaks = peaks.concat(await peakHolders(db, partner.id, batch, from, to, peakPackages));
    }
  }
  const peakOf = new Map(peaks.map((p) => [`${p.customer_id}\u0000${p.package}`, p.peak]));
  // One pass groups the usage by customer; filtering the whole usage once per customer was quadratic.
  const byCustomer = new Map<string, PricedUsage[]>();
  for (const u of usage) {
    const own = byCustomer.get(u.customer_id);
    if (own) own.push(u);
    else byCustomer.set(u.customer_id, [u]);
  }
  const names = new Map((await namesOf(db, [...byCustomer.keys()])).map((c) => [c.id, c]));
  const out: KeptCustomerCharges[] = [];
  for (const [customerId, own] of byCustomer) {
    const priced = priceCustomerUsage(own, new Map(own.map((u) => [u.package, peakOf.get(`${customerId}\u0000${u.package}`) ?? 0])), days);
    const packages = new Map<string, { package: string; seconds: number; amountMinor: number; unpriced: boolean }>();
    for (const u of own) {
      const p = packages.get(u.package) ?? { package: u.package, seconds: 0, amountMinor: 0, unpriced: false };
      p.seconds += u.seconds;
      packages.set(u.package, p);
    }
    for (const l of priced.lines) packages.get(l.package)!.amountMinor += l.amountMinor;
    for (const x of priced.unpriced) packages.get(x.package)!.unpriced = true;
    const c = names.get(customerId);
    out.push({
      customerId,
      name: c?.name ?? c?.external_id ?? customerId,
      externalId: c?.external_id ?? customerId,
      amountMinor: priced.lines.reduce((a, l) => a + l.amountMinor, 0),
      currency: priced.currency,
      packages: [...packages.values()],
    });
  }
  return out;
}

async function namesOf(db: Db, ids: readonly string[]) {
  let out: Awaited<ReturnType<typeof listCustomerNames>> = [];
  for (let i = 0; i < ids.length; i += CHARGES_BATCH) out = out.concat(await listCustomerNames(db, ids.slice(i, i + CHARGES_BATCH)));
  return out;
}

/**
 * `partnerCharges` from the ledger itself, never from kept totals: every customer's month computed in
 * one pass and summed here.
 */
export async function computePartnerCharges(
  db: Db,
  partner: ActingPartner,
  pricePartnerId: string,
  month: string,
  now: Date,
): Promise<PartnerCharges> {
  const { provisional, through } = monthWindow(month, now);
  const all = await customersCharges(db, partner, pricePartnerId, month, now, null);
  const seconds = new Map<string, number>();
  const amounts = new Map<string, number>();
  const unpriced = new Set<string>();
  let currency: string | null = null;
  // The currency of the last customer (by id) that has one, as the kept sums pick it.
  for (const c of [...all].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0))) {
    currency = c.currency ?? currency;
    for (const p of c.packages) {
      seconds.set(p.package, (seconds.get(p.package) ?? 0) + p.seconds);
      amounts.set(p.package, (amounts.get(p.package) ?? 0) + p.amountMinor);
      if (p.unpriced) unpriced.add(p.package);
    }
  }
  const customers = all
    .map((c) => ({ customerId: c.customerId, name: c.name, externalId: c.externalId, amountMinor: c.amountMinor }))
    .sort(compareCharges);
  const packages = [...seconds.keys()]
    .sort()
    .map((p) => ({ package: p, quantity: formatUnits(secondsToUnits(seconds.get(p)!)), amountMinor: amounts.get(p) ?? 0 }));
  return {
    month,
    provisional,
    through,
    currency,
    packages,
    customers: customers.slice(0, TOP_CUSTOMERS),
    customerCount: customers.length,
    totalMinor: customers.reduce((a, c) => a + c.amountMinor, 0),
    unpricedPackages: [...unpriced].sort(),
  };
}
