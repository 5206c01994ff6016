import {
  customerBillingNow,
  customerDailySeconds,
  listCustomerAudit,
  listCustomerReviews,
  listCustomerStatusEntries,
  searchConsoleCustomers,
  type ConsoleCustomerSort,
} from '../db/repositories/console-customers.js';
import { findCustomer } from '../db/repositories/customers.js';
import { listLocations } from '../db/repositories/locations.js';
import { countHolders, listSubscribers } from '../db/repositories/subscribers.js';
import { listWorkspaces } from '../db/repositories/workspaces.js';
import type { ConsoleCustomerPage } from '../contracts/console-customers.js';
import type { Db } from '../db/schema.js';
import { planBillingMonth } from '../domain/billing-window.js';
import { CUSTOMER_STATUSES } from '../domain/lifecycle.js';
import { formatMinor } from '../domain/money.js';
import { PACKAGES, PACKAGE_IDS, type PackageId } from '../domain/packages.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { licenceAxisTicks } from '../domain/usage-chart.js';
import { nameAuditEntries } from './audit-log-search.js';
import type { Actor } from './actor.js';
import { getInvoice } from './invoices.js';

const packageName = (id: string) => PACKAGES[id as PackageId]?.label ?? id;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export interface ConsoleCustomerListInput {
  search?: string | undefined;
  status?: string | undefined;
  package?: string | undefined;
  sort: ConsoleCustomerSort;
  offset: number;
  max: number;
}

/** The console's customer table: one page of matches, with the total for the pager. */
export async function listConsoleCustomers(db: Db, actor: Actor, input: ConsoleCustomerListInput) {
  const statuses = input.status
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const { rows, total, exact } = await searchConsoleCustomers(db, {
    partnerId: actor.partner.id,
    search: input.search,
    statuses,
    package: input.package,
    sort: input.sort,
    offset: input.offset,
    max: input.max,
  });
  return {
    // The filters' choices, so the page never hardcodes the catalogue.
    statuses: [...CUSTOMER_STATUSES],
    packageCatalogue: PACKAGE_IDS.map((id) => ({ id, name: PACKAGES[id].label })),
    total,
    totalExact: exact,
    offset: input.offset,
    max: input.max,
    items: rows.map((c) => ({
      id: c.id,
      name: c.name,
      externalId: c.external_id,
      status: c.status,
      primaryEmail: c.primary_email,
      adminEmail: c.admin_email,
      packages: c.packages.map((id) => ({ id, name: packageName(id) })),
      subscribers: c.live_subscribers,
      createdAt: iso(c.created_at)!,
    })),
  };
}

const CHART_DAYS = 30;

/**
 * Everything the console's customer page shows, in one call. Parts the caller's scopes do not cover
 * are null (subscribers and workspaces need the subscribers' read scope, the invoice the billing one).
 */
export async function loadConsoleCustomer(
  db: Db,
  actor: Actor,
  customerId: string,
  now: Date,
  can: { subscribers: boolean; billing: boolean },
): Promise<Result<ConsoleCustomerPage>> {
  const c = await findCustomer(db, actor.partner.id, customerId);
  if (!c) return fail(problem('customer_not_found', `customer ${customerId} not found`, 'customerId'));
  return ok(await shape(db, actor, c, now, can));
}

async function shape(
  db: Db,
  actor: Actor,
  c: NonNullable<Awaited<ReturnType<typeof findCustomer>>>,
  now: Date,
  can: { subscribers: boolean; billing: boolean },
): Promise<ConsoleCustomerPage> {
  const partnerId = actor.partner.id;
  const limits = c.package_limits ?? {};
  const firstDay = new Date(now.getTime() - (CHART_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const month = now.toISOString().slice(0, 7);
  // The page's reads do not depend on one another: issued together they take the pool's connections side by
  // side (PGlite runs them one after another), so the page waits for the slowest, not for the sum.
  const [holders, statusEntries, audit, reviews, locations, subscribers, workspaces, billingNow, daily, inv] = await Promise.all([
    countHolders(db, c.id),
    listCustomerStatusEntries(db, partnerId, c.id),
    listCustomerAudit(db, partnerId, c.id, 50),
    listCustomerReviews(db, partnerId, c.id),
    listLocations(db, c.id),
    can.subscribers ? listSubscribers(db, { partnerId, customerId: c.id, offset: 0, max: 1000 }) : null,
    can.subscribers ? listWorkspaces(db, { partnerId, customerId: c.id, offset: 0, max: 1000 }) : null,
    customerBillingNow(db, partnerId, c.id, now),
    customerDailySeconds(db, partnerId, c.id, firstDay, now),
    can.billing ? getInvoice(db, actor, c.id, month, now) : null,
  ]);

  const days = Array.from({ length: CHART_DAYS }, (_, k) =>
    new Date(Date.parse(`${firstDay}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10),
  );
  const chartPackages = [...new Set(daily.map((d) => d.package))].sort();
  const series = chartPackages.map((id) => ({
    package: id,
    name: packageName(id),
    // Licences held that day (seconds ÷ a day), to two decimals: the chart plots averages.
    values: days.map((day) => Math.round((daily.find((d) => d.day === day && d.package === id)?.seconds ?? 0) / 864) / 100),
  }));
  const max = Math.max(0, ...series.flatMap((s) => s.values));

  let invoice = null;
  if (inv) {
    const window = planBillingMonth(month, now);
    if (inv.ok && window.ok) {
      invoice = {
        month,
        provisional: inv.value.provisional,
        through: inv.value.through,
        currency: inv.value.currency,
        daysInMonth: window.value.daysInMonth,
        lines: inv.value.lines.map((l) => ({
          package: l.package,
          name: packageName(l.package),
          sku: l.sku,
          policy: l.policy,
          priceFrom: l.priceFrom,
          quantity: l.quantity,
          averageDailyLicences: l.averageDailyLicences,
          averageRoundedUp: l.averageRoundedUp,
          peakLicences: l.peakLicences,
          monthlyPrice: formatMinor(l.monthlyPriceMinor),
          amount: formatMinor(l.amountMinor),
        })),
        unpriced: inv.value.unpriced.map((u) => ({ ...u, name: packageName(u.package) })),
        total: formatMinor(inv.value.totalMinor),
      };
    }
  }

  // People and tokens by name (a token's id means nothing to a reader); the raw actor stays beside it.
  const [statusNames, auditNames] = await Promise.all([
    nameAuditEntries(
      db,
      actor.partner,
      statusEntries.map((e) => ({ actor: e.actor, entityType: 'customer', entityId: c.id })),
    ),
    nameAuditEntries(
      db,
      actor.partner,
      audit.map((e) => ({ actor: e.actor, entityType: e.entity_type, entityId: e.entity_id })),
    ),
  ]);
  const statusHistory = statusEntries
    .map((e, i) => ({ e, actorName: statusNames[i]!.actorName }))
    .filter(({ e }) => e.after?.status)
    .map(({ e, actorName }) => ({ at: iso(e.at)!, status: e.after!.status!, action: e.action, actor: e.actor, actorName }));

  return {
    customer: {
      id: c.id,
      name: c.name,
      externalId: c.external_id,
      orgId: c.org_id,
      status: c.status,
      primaryEmail: c.primary_email,
      createdAt: iso(c.created_at)!,
      statusChangedAt: iso(c.status_changed_at)!,
      billingFrom: iso(c.billing_from),
      errors: c.errors.map((e) => e.description),
    },
    statusHistory,
    packages: c.packages.map((id) => ({ id, name: packageName(id), limit: limits[id] ?? null, inUse: holders[id] ?? 0 })),
    /** Packages a subscriber of this customer may be given (the add-user and change-package forms). */
    subscriberPackages: c.packages.filter((id) => PACKAGES[id as PackageId]?.forSubscribers).map((id) => ({ id, name: packageName(id) })),
    packageNames: Object.fromEntries(PACKAGE_IDS.map((id) => [id, PACKAGES[id].label])),
    locations: locations.map((l) => ({ id: l.id, name: l.name, timezone: l.timezone, city: l.address.city, country: l.address.country })),
    subscribers:
      subscribers?.slice(0, 1000).map((s) => ({
        id: s.id,
        email: s.email,
        firstName: s.first_name,
        lastName: s.last_name,
        package: s.package,
        addons: s.addons,
        extension: s.extension,
        primaryPhoneNumber: s.primary_phone_number,
        isAdmin: s.is_admin,
        status: s.status,
        billingSince: iso(
          billingNow.filter((b) => b.subscriber_id === s.id).reduce<Date | null>((a, b) => (a && a < b.since ? a : b.since), null),
        ),
        createdAt: iso(s.created_at)!,
      })) ?? null,
    workspaces:
      workspaces?.map((w) => ({
        id: w.id,
        name: w.name,
        package: w.package,
        extension: w.extension,
        primaryPhoneNumber: w.primary_phone_number,
        status: w.status,
        billingSince: iso(billingNow.find((b) => b.workspace_id === w.id)?.since ?? null),
      })) ?? null,
    billingNow: chartPackages
      .concat([...new Set(billingNow.map((b) => b.package))].filter((p) => !chartPackages.includes(p)))
      .map((id) => ({ package: id, name: packageName(id), licences: billingNow.filter((b) => b.package === id).length }))
      .filter((b) => b.licences > 0),
    compliance: {
      nonCompliantSince: iso(c.non_compliant_since),
      reviews: reviews.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        openedAt: iso(r.opened_at)!,
        deadlineAt: iso(r.deadline_at)!,
        decidedAt: iso(r.decided_at),
        decidedBy: r.decided_by,
        reason: r.reason,
        topMatch: r.matches[0]?.matchedName ?? null,
        unansweredContacts: r.unanswered_contacts,
      })),
    },
    audit: audit.map((a, i) => ({
      id: Number(a.id),
      at: iso(a.at)!,
      actor: a.actor,
      actorName: auditNames[i]!.actorName,
      entityName: auditNames[i]!.entityName,
      action: a.action,
      entityType: a.entity_type,
      entityId: a.entity_id,
    })),
    chart: { days, series, ticks: licenceAxisTicks(max) },
    invoice,
  };
}
