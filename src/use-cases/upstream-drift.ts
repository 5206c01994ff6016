import type { Transaction } from 'kysely';
import { moveCustomer } from './move-customer.js';
import { moveSubscriber } from './move-subscriber.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomer, findCustomerByExternalId, updateCustomer } from '../db/repositories/customers.js';
import { appendPackageEvent } from '../db/repositories/package-events.js';
import { findSubscriber, lockLiveSubscribersOfCustomer, updateSubscriber } from '../db/repositories/subscribers.js';
import {
  countOpenDrift,
  findDrift,
  findLastSyncRun,
  findLiveCustomerByWebexId,
  listDriftPage,
  listOpenDriftByIdPrefix,
  resolveDrift,
} from '../db/repositories/upstream-sync.js';
import type { Database, DriftRow } from '../db/schema.js';
import { BASE_SLOT } from '../domain/ledger.js';
import { isCustomerStatus, isSubscriberStatus } from '../domain/lifecycle.js';
import { fail, ok, type Problem, problem, type Result, retryLater } from '../domain/problems.js';
import { tokenRefused } from '../domain/upstream-health.js';
import { splitSubscriberPackages } from '../domain/upstream-drift.js';
import { UpstreamError, type WebexWholesalePort } from '../ports.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { enqueueTask } from './enqueue-task.js';
import { finishCustomerDelete } from './provisioning-tasks.js';
import { removeSubscriber } from './remove-subscriber.js';
import type { Store } from './store.js';
import { importFromWebex } from './import-from-webex.js';
import { standaloneProblem, toWebexSubscriberSide, upstreamOptionsOf } from './upstream-sync-helpers.js';

/*
 * Resolving a drift item (#15): "adopt" makes the desk hold what Webex holds; "push" makes Webex hold
 * what the desk holds, through the provisioning tasks where the desk has a task for it (a customer
 * created, updated; a subscriber created) and by one direct call otherwise (a removal, a subscriber's
 * packages). Webex is read or called first, outside the transaction; the desk's side is then changed
 * with the item locked, so an item is resolved once. A status difference can only be adopted: the
 * status is Webex's to report.
 */

export type DriftAction = 'adopt' | 'push';

const stale = (what: string) => problem('drift_stale', `${what}; run sync again to see the difference as it is now`);

/** A drift item as the API and chat show it: the contract's names (camelCase, ISO times), not the row's. */
export const toDriftItem = (r: DriftRow) => ({
  id: r.id,
  entityType: r.entity_type,
  kind: r.kind,
  subject: r.subject,
  customerExternalId: r.customer_external_id,
  deskId: r.desk_id,
  webexId: r.webex_id,
  desk: (r.desk_value as { status: string; packages: string[] } | null) ?? null,
  webex: (r.webex_value as { status: string; packages: string[] } | null) ?? null,
  status: r.status,
  resolution: r.resolution,
  resolvedBy: r.resolved_by,
  detected: r.detected_at.toISOString(),
  lastSeen: r.last_seen_at.toISOString(),
  resolved: r.resolved_at?.toISOString() ?? null,
});
export type DriftItem = ReturnType<typeof toDriftItem>;

export async function listDrift(
  db: Store,
  actor: Actor,
  f: { status: 'open' | 'resolved'; offset: number; max: number },
): Promise<DriftItem[]> {
  return (await listDriftPage(db, actor.partner.id, { status: f.status, offset: f.offset, limit: f.max + 1 })).map(toDriftItem);
}

/** For the daily digest and chat: open items by kind, and the last run. */
export async function describeDrift(db: Store, partnerId: string) {
  const byKind = await countOpenDrift(db, partnerId);
  const last = await findLastSyncRun(db, partnerId);
  return { open: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, lastSyncAt: last?.started_at ?? null };
}

/** The open item a chat reference (its id, or the id's first 8 characters or more) names. */
export async function findOpenDriftId(db: Store, partnerId: string, ref: string): Promise<Result<string>> {
  const wanted = ref.trim().toLowerCase();
  const rows = wanted.length >= 8 ? await listOpenDriftByIdPrefix(db, partnerId, wanted) : [];
  if (rows.length === 1) return ok(rows[0]!.id);
  return fail(
    problem(
      'drift_not_found',
      rows.length ? `several open drift items start with ${wanted}; give more of the id` : `no open drift item ${wanted}`,
    ),
  );
}

/** The desk-side change of one item, run in the transaction that resolves it. */
type DeskChange = (trx: Transaction<Database>) => Promise<Problem[]>;

export async function resolveDriftItem(
  db: Store,
  upstream: WebexWholesalePort | undefined,
  actor: Actor,
  id: string,
  action: DriftAction,
  deps: UseCaseDeps,
): Promise<Result<DriftItem>> {
  if (!upstream) return fail(standaloneProblem());
  const item = await findDrift(db, actor.partner.id, id);
  if (!item) return fail(problem('drift_not_found', `no drift item ${id}`, 'id'));
  if (item.status !== 'open') return fail(problem('drift_resolved', `this drift item was resolved already (${item.resolution})`));
  if (item.kind === 'status' && action === 'push')
    return fail(
      problem('drift_push_unsupported', "a status is Webex's to report: adopt it, or change the desk's request (update, delete) instead"),
    );
  if (item.entity_type === 'workspace' || item.entity_type === 'location')
    return fail(
      problem(
        'drift_push_unsupported',
        `a ${item.entity_type} difference is not resolved here yet: add, remove or re-create the ${item.entity_type} through the API, then sync again`,
      ),
    );
  try {
    const plan = await prepare(db, upstream, actor, item, action, deps);
    if (!plan.ok) return plan;
    return await db.transaction().execute(async (trx) => {
      const locked = await findDrift(trx, actor.partner.id, id, { forUpdate: true });
      if (!locked || locked.status !== 'open') return fail(problem('drift_resolved', 'this drift item was resolved meanwhile'));
      const problems = await plan.value(trx);
      if (problems.length) return fail(...problems);
      const after = await resolveDrift(trx, id, action, actor.label, deps.now);
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: `upstream.drift.${action}`,
        entityType: item.entity_type,
        entityId: item.desk_id ?? item.webex_id ?? item.subject,
        context: { driftId: id, kind: item.kind, subject: item.subject, desk: item.desk_value, webex: item.webex_value },
      });
      return ok(toDriftItem(after));
    });
  } catch (error) {
    // Webex failing or refusing mid-resolution is an answer the edges show, not a crash: nothing was changed.
    const refusal = upstreamFailureProblem(error, upstream);
    if (refusal) return fail(refusal);
    throw error;
  }
}

/** Reads or calls Webex as the action needs, and answers the desk-side change to make. */
async function prepare(
  db: Store,
  upstream: WebexWholesalePort,
  actor: Actor,
  item: DriftRow,
  action: DriftAction,
  deps: UseCaseDeps,
): Promise<Result<DeskChange>> {
  const o = upstreamOptionsOf(actor.partner);
  const partnerId = actor.partner.id;
  const none: DeskChange = async () => [];
  const webexId = item.webex_id ?? '';

  if (item.entity_type === 'customer') {
    if (item.kind === 'only_webex') {
      if (action === 'push') {
        await upstream.deleteCustomer(webexId, o);
        return ok(none);
      }
      const w = await upstream.getCustomer(webexId, o);
      if (!w) return fail(stale('Webex no longer has this customer'));
      const subs: ReturnType<typeof toWebexSubscriberSide>[] = [];
      for await (const page of upstream.listSubscribers({ ...o, customerId: w.id })) subs.push(...page.map(toWebexSubscriberSide));
      // Named after its org, as an imported customer is.
      const orgName = w.orgId ? (await upstream.getOrganization(w.orgId))?.displayName?.trim() : undefined;
      const orgNames = new Map(w.orgId && orgName ? [[w.orgId, orgName]] : []);
      return ok(async (trx) => {
        if (w.externalId && (await findCustomerByExternalId(trx, partnerId, w.externalId)))
          return [stale('the desk has a customer with this externalId now')];
        await importFromWebex(
          trx,
          actor.partner,
          [w],
          subs.map((s) => ({ subscriber: s, deskCustomerId: null, webexCustomerId: w.id })),
          deps,
          orgNames,
        );
        return [];
      });
    }
    if (item.kind === 'only_desk') {
      return ok(async (trx) => {
        const c = item.desk_id ? await findCustomer(trx, partnerId, item.desk_id, { forUpdate: true }) : undefined;
        if (!c) return [stale('the desk no longer has this customer')];
        if (action === 'adopt') {
          // Webex has no such customer: the desk lets it go as a delete would (billing stops now).
          await moveCustomer(trx, c, { to: 'deleting', audit: null, repair: true }, deps);
          await finishCustomerDelete(trx, c.id, {}, { ...deps, screeningThreshold: 1 });
          return [];
        }
        // Provisioned in Webex afresh, its subscribers after it, by the provisioning tasks.
        await moveCustomer(trx, c, { to: 'provisioning', set: { webex_customer_id: null }, audit: null, repair: true }, deps);
        await enqueueTask(trx, { kind: 'customer.provision', entityId: c.id, payload: { screeningCleared: true }, now: deps.now });
        for (const s of await lockLiveSubscribersOfCustomer(trx, c.id)) {
          await moveSubscriber(trx, s, { to: 'provisioning', set: { webex_subscriber_id: null }, audit: null, repair: true }, deps);
          await enqueueTask(trx, { kind: 'subscriber.provision', entityId: s.id, now: deps.now });
        }
        return [];
      });
    }
    const w = await upstream.getCustomer(webexId, o);
    if (!w) return fail(stale('Webex no longer has this customer'));
    return ok(async (trx) => {
      const c = item.desk_id ? await findCustomer(trx, partnerId, item.desk_id, { forUpdate: true }) : undefined;
      if (!c) return [stale('the desk no longer has this customer')];
      if (item.kind === 'packages' && action === 'push') {
        if (!['provisioned', 'provisioned_with_errors', 'error'].includes(c.status)) return [stale(`the customer is ${c.status}`)];
        await moveCustomer(trx, c, { to: 'updating', audit: null, repair: true }, deps);
        await enqueueTask(trx, { kind: 'customer.update', entityId: c.id, now: deps.now });
        return [];
      }
      if (item.kind === 'packages') {
        await updateCustomer(trx, c.id, { packages: JSON.stringify(w.packages ?? []), updated_at: deps.now });
        return [];
      }
      if (!isCustomerStatus(w.status) || ['provisioning', 'updating', 'deleting', 'deleted'].includes(w.status))
        return [stale(`Webex reports the customer ${w.status}`)];
      await moveCustomer(trx, c, { to: w.status, set: { org_id: w.orgId ?? c.org_id }, audit: null, repair: true }, deps);
      // Webex is reviewing it: the provisioning task follows it until Webex decides.
      if (w.status === 'pending_rpl_review')
        await enqueueTask(trx, { kind: 'customer.provision', entityId: c.id, payload: { screeningCleared: true }, now: deps.now });
      return [];
    });
  }

  // Subscribers.
  if (item.kind === 'only_webex') {
    if (action === 'push') {
      await upstream.deleteSubscriber(webexId, o);
      return ok(none);
    }
    const w = await upstream.getSubscriber(webexId, o);
    if (!w) return fail(stale('Webex no longer has this subscriber'));
    return ok(async (trx) => {
      const customer = w.customerId ? await findLiveCustomerByWebexId(trx, partnerId, w.customerId) : undefined;
      if (!customer) return [stale("the desk does not have this subscriber's customer")];
      const r = await importFromWebex(
        trx,
        actor.partner,
        [],
        [{ subscriber: toWebexSubscriberSide(w), deskCustomerId: customer.id, webexCustomerId: customer.webex_customer_id ?? '' }],
        deps,
      );
      return r.subscribers === 1 ? [] : [problem('email_in_use', `${w.email} is held by another live subscriber`, 'email')];
    });
  }
  if (item.kind === 'only_desk') {
    return ok(async (trx) => {
      const s = item.desk_id ? await findSubscriber(trx, partnerId, item.desk_id, { forUpdate: true }) : undefined;
      if (!s) return [stale('the desk no longer has this subscriber')];
      if (action === 'adopt') {
        await removeSubscriber(trx, s, deps.now, deps, 'upstream.adopt');
        return [];
      }
      await moveSubscriber(trx, s, { to: 'provisioning', set: { webex_subscriber_id: null }, audit: null, repair: true }, deps);
      await enqueueTask(trx, { kind: 'subscriber.provision', entityId: s.id, now: deps.now });
      return [];
    });
  }
  const s = item.desk_id ? await findSubscriber(db, partnerId, item.desk_id) : undefined;
  if (!s) return fail(stale('the desk no longer has this subscriber'));
  if (item.kind === 'packages' && action === 'push') {
    await upstream.updateSubscriber(webexId, { packages: [s.package, ...s.addons] }, o);
    return ok(none);
  }
  const w = await upstream.getSubscriber(webexId, o);
  if (!w) return fail(stale('Webex no longer has this subscriber'));
  const side = toWebexSubscriberSide(w);
  return ok(async (trx) => {
    const locked = await findSubscriber(trx, partnerId, s.id, { forUpdate: true });
    if (!locked) return [stale('the desk no longer has this subscriber')];
    if (item.kind === 'status') {
      if (!isSubscriberStatus(w.status) || ['provisioning', 'deleted'].includes(w.status))
        return [stale(`Webex reports the subscriber ${w.status}`)];
      await moveSubscriber(trx, locked, { to: w.status, audit: null, repair: true }, deps);
      return [];
    }
    const packages = splitSubscriberPackages(side.packages);
    if (!packages) return [stale('Webex reports no base package for this subscriber')];
    const fact = { subscriberId: locked.id, customerId: locked.customer_id, partnerId, effectiveAt: deps.now, recordedAt: deps.now };
    const cause = 'upstream.adopt';
    if (packages.base !== locked.package) await appendPackageEvent(trx, { ...fact, slot: BASE_SLOT, package: packages.base, cause });
    for (const dropped of locked.addons.filter((a) => !packages.addOns.includes(a)))
      await appendPackageEvent(trx, { ...fact, slot: dropped, package: null, cause });
    for (const added of packages.addOns.filter((a) => !locked.addons.includes(a)))
      await appendPackageEvent(trx, { ...fact, slot: added, package: added, cause });
    await updateSubscriber(trx, locked.id, { package: packages.base, addons: JSON.stringify(packages.addOns) });
    return [];
  });
}

/** The partner's latest sync run, for the console's Upstream page; null before the first sync. */
export async function getLastSyncRun(db: Store, actor: Actor) {
  const run = await findLastSyncRun(db, actor.partner.id);
  if (!run) return null;
  return {
    id: run.id,
    mode: run.mode,
    started: run.started_at.toISOString(),
    finished: run.finished_at.toISOString(),
    startedBy: run.started_by,
    summary: run.summary,
  };
}

/** Webex refusing the desk's token (2130), failing (2124, retry after 30 s) or refusing the push or read (2126), as a problem. */
function upstreamFailureProblem(error: unknown, upstream: WebexWholesalePort): Problem | undefined {
  if (!(error instanceof UpstreamError)) return undefined;
  if (error.kind === 'unauthorized')
    return problem(
      'upstream_unauthorized',
      `${tokenRefused(upstream.status().auth, error.details.status)}, then try again; nothing was changed`,
    );
  if (error.kind === 'unavailable')
    return retryLater(
      problem('drift_webex_failed', `Webex Wholesale did not answer usably: ${error.message}; nothing was changed, try again`),
      30,
    );
  return problem('drift_webex_refused', `Webex refused: ${error.message}`);
}
