import type { WebexCustomer } from '../contracts/webex-wholesale.js';
import { runLongWork } from '../db/run-in-transaction.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import {
  closeDriftGone,
  hasImportRun,
  insertDrift,
  insertSyncRun,
  linkCustomer,
  linkSubscriber,
  listOpenDrift,
  listCustomersWithOrgs,
  listSyncCustomers,
  listSyncLocations,
  listSyncSubscribers,
  listSyncWorkspaces,
  lockPartnerForSync,
  refreshDrift,
  touchDrift,
} from '../db/repositories/upstream-sync.js';
import type { Db } from '../db/schema.js';
import { planOrgResourceDrift, type WebexOrgItem } from '../domain/org-resource-drift.js';
import { fail, ok, type Result } from '../domain/problems.js';
import { type DriftFinding, type DriftKind, findingKey, planSync } from '../domain/upstream-drift.js';
import type { WebexWholesalePort } from '../ports.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { importFromWebex } from './import-from-webex.js';
import type { Store } from './store.js';
import { standaloneProblem, toWebexCustomerSide, toWebexSubscriberSide, upstreamOptionsOf } from './upstream-sync-helpers.js';

/*
 * `sync` (#15): reads every customer and subscriber the partner has in Webex Wholesale (every page)
 * and sets them beside the desk's. The partner's first sync imports what only Webex has, so an SP
 * with existing customers starts complete; every later one only reports drift, overwriting nothing.
 * Webex is read first, outside any transaction; the comparison and its writes are one transaction
 * holding the partner's row, so two syncs of one partner (the job on two instances, the CLI beside
 * the service) run one after the other.
 */

export interface SyncSummary {
  mode: 'import' | 'drift';
  webexCustomers: number;
  webexSubscribers: number;
  customersImported: number;
  subscribersImported: number;
  /** Webex subscribers not imported because a live desk subscriber (of another partner) has the email. */
  subscribersSkipped: number;
  customersLinked: number;
  subscribersLinked: number;
  /** Left out of the comparison: a task is carrying them (provisioning, updating, deleting). */
  inTransition: number;
  /** What this run found, by kind. */
  drift: Record<DriftKind, number>;
  /** Items open after this run. */
  openDrift: number;
}

async function collect<T>(pages: AsyncIterable<T[]>, onPage?: (items: number) => Promise<void> | void): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) {
    all.push(...page);
    await onPage?.(page.length);
  }
  return all;
}

/** How far a sync has got, as it goes (GET /v1/upstream/syncs/{id}). */
export interface SyncProgress {
  pagesRead: number;
  customersSeen: number;
  subscribersSeen: number;
  orgNamesRead: number;
  customersImported: number;
  subscribersImported: number;
  driftFound: number;
}

export interface SyncOptions {
  /** Told after every page read and at the end; may write progress somewhere. */
  onProgress?: (p: SyncProgress) => Promise<void> | void;
}

/**
 * Org names (or orgs' locations and workspaces) read at once: under the client's concurrency limit
 * (WEBEX_WHOLESALE_CONCURRENCY, 8 by default), so the subscriber page read beside them finds a free slot.
 */
const NAME_READS_AT_ONCE = 6;

/**
 * Webex's wholesale customer carries no name; its org does (`GET /organizations/{orgId}`,
 * `displayName`). Read for the customers this sync will import; one Webex cannot answer stays unnamed.
 */
async function readOrgNames(
  upstream: WebexWholesalePort,
  customers: readonly WebexCustomer[],
  onRead: () => Promise<void> | void,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const orgIds = [...new Set(customers.map((c) => c.orgId).filter((id): id is string => Boolean(id)))];
  for (let i = 0; i < orgIds.length; i += NAME_READS_AT_ONCE) {
    await Promise.all(
      orgIds.slice(i, i + NAME_READS_AT_ONCE).map(async (orgId) => {
        const org = await upstream.getOrganization(orgId);
        if (org?.displayName?.trim()) names.set(orgId, org.displayName.trim());
      }),
    );
    await onRead();
  }
  return names;
}

/** Reads the partner's Webex customers and subscribers, then imports (first run) and records drift. Throws UpstreamError when Webex fails. */
export async function syncWithWebex(
  db: Store,
  upstream: WebexWholesalePort | undefined,
  actor: Actor,
  deps: UseCaseDeps,
  opts: SyncOptions = {},
): Promise<Result<SyncSummary>> {
  if (!upstream) return fail(standaloneProblem());
  const { partner } = actor;
  const o = upstreamOptionsOf(partner);
  const progress: SyncProgress = {
    pagesRead: 0,
    customersSeen: 0,
    subscribersSeen: 0,
    orgNamesRead: 0,
    customersImported: 0,
    subscribersImported: 0,
    driftFound: 0,
  };
  const tell = () => opts.onProgress?.({ ...progress });
  const webexCustomers = await collect(upstream.listCustomers(o), (n) => {
    progress.pagesRead++;
    progress.customersSeen += n;
    return tell();
  });
  // Names for what this sync will import (Webex's customers the desk knows by neither id nor externalId),
  // read while the subscriber pages come in one after another (each page names the next), not after them.
  let namesRead: Promise<{ ok: true; names: Map<string, string> } | { ok: false; error: unknown }> = Promise.resolve({
    ok: true,
    names: new Map(),
  });
  if (!(await hasImportRun(db, partner.id))) {
    const known = await listSyncCustomers(db, partner.id);
    const ids = new Set(known.flatMap((c) => [c.webex_customer_id ?? '', `x:${c.external_id}`]));
    const fresh = webexCustomers.filter((c) => !ids.has(c.id) && !ids.has(`x:${c.externalId ?? ''}`));
    namesRead = readOrgNames(upstream, fresh, () => {
      progress.orgNamesRead = Math.min(fresh.length, progress.orgNamesRead + NAME_READS_AT_ONCE);
    }).then(
      (names) => ({ ok: true as const, names }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  }
  const webexSubscribers = await collect(upstream.listSubscribers(o), (n) => {
    progress.pagesRead++;
    progress.subscribersSeen += n;
    return tell();
  });
  const fullCustomers = new Map(webexCustomers.map((c) => [c.id, c]));
  const named = await namesRead;
  if (!named.ok) throw named.error;
  const orgNames = named.names;
  await tell();
  // Workspaces and locations of the customers Webex holds, for drift (a later sync; the import brings customers and subscribers).
  const settledInWebex = new Set(
    webexCustomers.filter((c) => c.status === 'provisioned' || c.status === 'provisioned_with_errors').map((c) => c.id),
  );
  const orgResources = (await hasImportRun(db, partner.id))
    ? await readOrgResources(db, upstream, partner.id, settledInWebex, () => tell())
    : undefined;
  const summary = await runLongWork(db, async (trx) => {
    await lockPartnerForSync(trx, partner.id);
    const importing = !(await hasImportRun(trx, partner.id));
    const deskCustomers = await listSyncCustomers(trx, partner.id);
    const deskSubscribers = await listSyncSubscribers(trx, partner.id);
    const plan = planSync({
      importing,
      deskCustomers: deskCustomers.map((c) => ({
        id: c.id,
        externalId: c.external_id,
        webexId: c.webex_customer_id,
        status: c.status,
        packages: c.packages,
      })),
      webexCustomers: webexCustomers.map(toWebexCustomerSide),
      deskSubscribers: deskSubscribers.map((s) => ({
        id: s.id,
        customerId: s.customer_id,
        email: s.email,
        webexId: s.webex_subscriber_id,
        status: s.status,
        packages: [s.package, ...s.addons],
      })),
      webexSubscribers: webexSubscribers.map(toWebexSubscriberSide),
    });
    const imported = await importFromWebex(
      trx,
      partner,
      plan.importCustomers.map((c) => fullCustomers.get(c.id)!),
      plan.importSubscribers,
      deps,
      orgNames,
    );
    if (orgResources) plan.findings.push(...(await findOrgResourceDrift(trx, partner.id, orgResources)));
    for (const l of plan.linkCustomers) await linkCustomer(trx, l.deskId, l.webexId);
    for (const l of plan.linkSubscribers) await linkSubscriber(trx, l.deskId, l.webexId);
    const openDrift = await recordFindings(trx, partner.id, plan.findings, deps);
    const drift: Record<DriftKind, number> = { only_webex: 0, only_desk: 0, status: 0, packages: 0 };
    for (const f of plan.findings) drift[f.kind]++;
    progress.customersImported = imported.customers;
    progress.subscribersImported = imported.subscribers;
    progress.driftFound = plan.findings.length;
    const result: SyncSummary = {
      mode: importing ? 'import' : 'drift',
      webexCustomers: webexCustomers.length,
      webexSubscribers: webexSubscribers.length,
      customersImported: imported.customers,
      subscribersImported: imported.subscribers,
      subscribersSkipped: imported.skipped,
      customersLinked: plan.linkCustomers.length,
      subscribersLinked: plan.linkSubscribers.length,
      inTransition: plan.skippedInTransition,
      drift,
      openDrift,
    };
    await insertSyncRun(trx, {
      id: deps.uuid(),
      partnerId: partner.id,
      mode: result.mode,
      startedAt: deps.now,
      finishedAt: deps.now,
      startedBy: actor.label,
      summary: result,
    });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: partner.id,
      actor: actor.label,
      action: `upstream.sync.${result.mode}`,
      entityType: 'partner',
      entityId: partner.id,
      context: { ...result },
    });
    return result;
  });
  await tell();
  return ok(summary);
}

/** Stored jsonb comes back with its keys in the database's order: compare the fields, not the text. */
const sameState = (stored: unknown, found: { status: string; packages: string[] } | null): boolean => {
  const a = stored as { status?: string; packages?: string[] } | null;
  if (!a || !found) return !a && !found;
  return a.status === found.status && (a.packages ?? []).join(',') === found.packages.join(',');
};

/** Stores what a run found: a difference seen before stays the same open item; one no longer found is closed as gone. */
async function recordFindings(trx: Db, partnerId: string, findings: readonly DriftFinding[], deps: UseCaseDeps): Promise<number> {
  const open = new Map(
    (await listOpenDrift(trx, partnerId)).map((r) => [findingKey({ entityType: r.entity_type, subject: r.subject, kind: r.kind }), r]),
  );
  const fresh = [];
  const unchanged: string[] = [];
  for (const f of findings) {
    const key = findingKey(f);
    const existing = open.get(key);
    const deskValue = f.desk ? JSON.stringify(f.desk) : null;
    const webexValue = f.webex ? JSON.stringify(f.webex) : null;
    if (existing) {
      open.delete(key);
      const same =
        sameState(existing.desk_value, f.desk) &&
        sameState(existing.webex_value, f.webex) &&
        existing.desk_id === f.deskId &&
        existing.webex_id === f.webexId;
      if (same) {
        unchanged.push(existing.id);
        continue;
      }
      await refreshDrift(trx, existing.id, {
        desk_value: deskValue,
        webex_value: webexValue,
        desk_id: f.deskId,
        webex_id: f.webexId,
        last_seen_at: deps.now,
      });
      continue;
    }
    fresh.push({
      id: deps.uuid(),
      partner_id: partnerId,
      entity_type: f.entityType,
      kind: f.kind,
      subject: f.subject,
      customer_external_id: f.customerExternalId,
      desk_id: f.deskId,
      webex_id: f.webexId,
      webex_customer_id: f.webexCustomerId,
      desk_value: deskValue,
      webex_value: webexValue,
      status: 'open' as const,
      detected_at: deps.now,
      last_seen_at: deps.now,
    });
  }
  await insertDrift(trx, fresh);
  await touchDrift(trx, unchanged, deps.now);
  await closeDriftGone(
    trx,
    [...open.values()].map((r) => r.id),
    deps.now,
  );
  return findings.length;
}

type WebexOrgResources = Map<
  string,
  { externalId: string; webexCustomerId: string; locations: WebexOrgItem[]; workspaces: WebexOrgItem[] }
>;

/** Reads the locations and workspaces of every org the partner's customers have in Webex (a few orgs at once). */
async function readOrgResources(
  db: Store,
  upstream: WebexWholesalePort,
  partnerId: string,
  settledInWebex: ReadonlySet<string>,
  onRead: () => Promise<void> | void,
): Promise<WebexOrgResources> {
  const out: WebexOrgResources = new Map();
  // Only orgs Webex holds settled (a customer gone from Webex is drift of its own, not of its workspaces).
  const customers = (await listCustomersWithOrgs(db, partnerId)).filter((c) => settledInWebex.has(c.webex_customer_id!));
  for (let i = 0; i < customers.length; i += NAME_READS_AT_ONCE) {
    await Promise.all(
      customers.slice(i, i + NAME_READS_AT_ONCE).map(async (c) => {
        const [locations, workspaces] = await Promise.all([upstream.listLocations(c.org_id!), upstream.listWorkspaces(c.org_id!)]);
        out.set(c.id, {
          externalId: c.external_id,
          webexCustomerId: c.webex_customer_id!,
          locations: locations.map((l) => ({ id: l.id, name: l.name })),
          workspaces: workspaces.map((w) => ({ id: w.id, name: w.displayName })),
        });
      }),
    );
    await onRead();
  }
  return out;
}

/** The locations and workspaces that differ between the desk and Webex, for the customers read. */
async function findOrgResourceDrift(trx: Db, partnerId: string, webex: WebexOrgResources): Promise<DriftFinding[]> {
  const locations = await listSyncLocations(trx, partnerId);
  const workspaces = await listSyncWorkspaces(trx, partnerId);
  const of = <T extends { customer_id: string }>(rows: readonly T[], customerId: string) =>
    rows.filter((r) => r.customer_id === customerId);
  return planOrgResourceDrift(
    [...webex.entries()].map(([customerId, w]) => ({
      customerExternalId: w.externalId,
      webexCustomerId: w.webexCustomerId,
      desk: {
        locations: of(locations, customerId).map((l) => ({ id: l.id, name: l.name, webexId: l.webex_location_id, status: l.status })),
        workspaces: of(workspaces, customerId).map((x) => ({ id: x.id, name: x.name, webexId: x.webex_workspace_id, status: x.status })),
      },
      webex: { locations: w.locations, workspaces: w.workspaces },
    })),
  );
}
