import type { TaskPayload } from '../contracts/task-payloads.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomerById } from '../db/repositories/customers.js';
import { findLocationById, updateLocation } from '../db/repositories/locations.js';
import { appendPackageEvent } from '../db/repositories/package-events.js';
import { findWorkspaceById, updateWorkspace } from '../db/repositories/workspaces.js';
import type { CustomerRow, Db, LocationRow, StoredProblem, WorkspaceRow } from '../db/schema.js';
import { UpstreamError, type UpstreamLocationRequest, type WebexWholesalePort } from '../ports.js';
import type { UseCaseDeps } from './actor.js';
import type { TaskOutcome } from './provisioning-tasks.js';
import type { Store } from './store.js';
import { removeWorkspaceNow, WORKSPACE_PACKAGE } from './workspaces.js';

/*
 * Everything billed exists in Webex (#25): a customer's locations and workspaces are carried to Webex
 * through what a partner administrator uses on the customer's org (`POST /locations?orgId=…`,
 * `POST /workspaces` with `orgId` and `calling.type = webexCalling`, `DELETE /workspaces/{id}`), by
 * queued tasks with the subscribers' guarantees:
 *
 * - a POST is made only after a lookup by name finds nothing (Cisco's POSTs take no key of the desk's),
 *   so a POST whose answer was lost never makes a second one; a 409 adopts what Webex has by name;
 * - the headquarters location is created by Webex with the customer: its task finds it by name;
 * - a workspace bills from Webex's confirmation (or the effectiveAt its request named), and its removal
 *   stops billing once Webex removed it (a 404 is done: an earlier DELETE got there);
 * - Webex's refusals end the location or workspace in `error` with Webex's errors, unbilled; its
 *   unavailability throws, and the queue retries with backoff.
 *
 * Standalone (or a customer the desk holds without a Webex org), the same tasks complete locally.
 */

export type OrgResourceDeps = UseCaseDeps & { upstream?: WebexWholesalePort | undefined };

const IN_WEBEX = ['provisioned', 'provisioned_with_errors', 'updating'];
const ON_ITS_WAY = ['provisioning', 'pending_rpl_review'];

/** Where the customer's org stands: in Webex (with its org id), on its way there, or only in the desk. */
function orgOf(c: CustomerRow | undefined): { kind: 'webex'; orgId: string } | { kind: 'wait' } | { kind: 'local' } | { kind: 'gone' } {
  if (!c || c.status === 'deleted' || c.status === 'deleting' || c.status === 'error') return { kind: 'gone' };
  if (c.webex_customer_id && c.org_id && IN_WEBEX.includes(c.status)) return { kind: 'webex', orgId: c.org_id };
  if (ON_ITS_WAY.includes(c.status) || (c.webex_customer_id && !c.org_id)) return { kind: 'wait' };
  return { kind: 'local' };
}

const refusal = (error: UpstreamError): StoredProblem[] => {
  const errors = (error.details.errors ?? []).map((e) => ({ errorCode: e.errorCode ?? 0, description: e.description ?? error.message }));
  return errors.length ? errors : [{ errorCode: error.details.status ?? 0, description: error.message }];
};
const isRefusal = (error: unknown): error is UpstreamError => error instanceof UpstreamError && error.kind === 'rejected';

/** The location as Cisco's POST /locations takes it. */
export function locationRequest(l: LocationRow): UpstreamLocationRequest {
  const a = l.address;
  const language = l.language.toLowerCase().replace('-', '_');
  return {
    name: l.name,
    timeZone: l.timezone,
    preferredLanguage: language,
    announcementLanguage: language,
    address: {
      address1: a.addressLine1,
      ...(a.addressLine2 ? { address2: a.addressLine2 } : {}),
      city: a.city,
      state: a.stateOrProvince ?? '',
      postalCode: a.zipOrPostalCode ?? '',
      country: a.country,
    },
  };
}

async function settleLocation(
  db: Store,
  id: string,
  patch: { webexId?: string; error?: StoredProblem[] },
  actor: string,
  deps: UseCaseDeps,
) {
  await db.transaction().execute(async (trx) => {
    const l = await findLocationById(trx, id, { forUpdate: true });
    if (!l || l.status !== 'provisioning') return;
    const c = await findCustomerById(trx, l.customer_id);
    const status = patch.error ? 'error' : 'provisioned';
    await updateLocation(trx, id, {
      status,
      ...(patch.webexId ? { webex_location_id: patch.webexId } : {}),
      errors: JSON.stringify(patch.error ?? []),
    });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: c?.partner_id ?? '',
      actor,
      action: patch.error ? 'location.upstream_refused' : 'location.provisioned',
      entityType: 'location',
      entityId: id,
      after: { status, name: l.name, webexLocationId: patch.webexId ?? null },
      ...(patch.error ? { context: { errors: patch.error } } : {}),
    });
  });
}

/** Carries a location to Webex: found by name in the customer's org (the headquarters Webex made, or a POST whose answer was lost), else POSTed. */
export async function provisionLocation(db: Store, id: string, deps: OrgResourceDeps): Promise<TaskOutcome> {
  const l = await findLocationById(db, id);
  if (!l || l.status !== 'provisioning') return 'done';
  const org = orgOf(await findCustomerById(db, l.customer_id));
  if (org.kind === 'wait') return 'wait';
  if (org.kind === 'gone') {
    await settleLocation(
      db,
      id,
      { error: [{ errorCode: 1702, description: 'The customer is not in Webex; the location was not provisioned.' }] },
      'system:worker',
      deps,
    );
    return 'done';
  }
  if (org.kind === 'local' || !deps.upstream) {
    await settleLocation(db, id, {}, 'system:worker', deps);
    return 'done';
  }
  const upstream = deps.upstream;
  let webexId = (await upstream.findLocationByName(org.orgId, l.name))?.id;
  if (!webexId) {
    try {
      webexId = (await upstream.createLocation(org.orgId, locationRequest(l))).id;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (error.details.status === 409) webexId = (await upstream.findLocationByName(org.orgId, l.name))?.id;
      if (!webexId) {
        await settleLocation(db, id, { error: refusal(error) }, 'system:webex', deps);
        return 'done';
      }
    }
  }
  await settleLocation(db, id, { webexId }, 'system:webex', deps);
  return 'done';
}

/** The workspace is in Webex (or, locally, simply accepted): it holds Common Area Calling from `at`. */
async function confirmWorkspace(db: Store, id: string, webexId: string | null, at: Date, actor: string, deps: UseCaseDeps) {
  await db.transaction().execute(async (trx) => {
    const w = await findWorkspaceById(trx, id, { forUpdate: true });
    if (!w || w.status !== 'provisioning') return;
    await appendPackageEvent(trx, {
      subscriberId: null,
      workspaceId: w.id,
      customerId: w.customer_id,
      partnerId: w.partner_id,
      package: WORKSPACE_PACKAGE,
      effectiveAt: at,
      recordedAt: deps.now,
      cause: 'workspace.create',
    });
    await updateWorkspace(trx, w.id, { status: 'provisioned', webex_workspace_id: webexId, errors: '[]', last_status_change: deps.now });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: w.partner_id,
      actor,
      action: 'workspace.provisioned',
      entityType: 'workspace',
      entityId: w.id,
      after: { status: 'provisioned', webexWorkspaceId: webexId },
      context: { effectiveAt: at.toISOString() },
    });
  });
}

/** Webex refused the workspace (or its customer or location is gone): it ends in error, billed nothing. */
async function failWorkspace(
  db: Db | Store,
  w: WorkspaceRow,
  from: WorkspaceRow['status'],
  to: WorkspaceRow['status'],
  errors: StoredProblem[],
  deps: UseCaseDeps,
  action: string,
) {
  await (db as Store).transaction().execute(async (trx) => {
    const locked = await findWorkspaceById(trx, w.id, { forUpdate: true });
    if (!locked || locked.status !== from) return;
    await updateWorkspace(trx, w.id, { status: to, errors: JSON.stringify(errors), last_status_change: deps.now });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: w.partner_id,
      actor: 'system:webex',
      action,
      entityType: 'workspace',
      entityId: w.id,
      context: { errors },
    });
  });
}

/** Carries a workspace to Webex once its customer's org and its location are there; a later attempt looks it up by name before posting. */
export async function provisionWorkspace(
  db: Store,
  id: string,
  payload: TaskPayload<'workspace.provision'>,
  attempt: number,
  deps: OrgResourceDeps,
): Promise<TaskOutcome> {
  const w = await findWorkspaceById(db, id);
  if (!w || w.status !== 'provisioning') return 'done';
  const requestedAt = payload.effectiveAt ? new Date(payload.effectiveAt) : undefined;
  const org = orgOf(await findCustomerById(db, w.customer_id));
  if (org.kind === 'wait') return 'wait';
  if (org.kind === 'gone') {
    await failWorkspace(
      db,
      w,
      'provisioning',
      'error',
      [{ errorCode: 1702, description: 'The customer is not in Webex; the workspace was not provisioned.' }],
      deps,
      'workspace.provision_failed',
    );
    return 'done';
  }
  if (org.kind === 'local' || !deps.upstream) {
    await confirmWorkspace(db, id, null, requestedAt ?? deps.now, 'system:worker', deps);
    return 'done';
  }
  const location = w.location_id ? await findLocationById(db, w.location_id) : undefined;
  if (location?.status === 'provisioning') return 'wait';
  if (!location?.webex_location_id) {
    await failWorkspace(
      db,
      w,
      'provisioning',
      'error',
      [{ errorCode: 1702, description: `The workspace's location ${location?.name ?? ''} is not in Webex.`.replace(' .', '.') }],
      deps,
      'workspace.provision_failed',
    );
    return 'done';
  }
  const upstream = deps.upstream;
  let found = attempt > 1 ? await upstream.findWorkspaceByName(org.orgId, w.name) : undefined;
  if (!found) {
    try {
      found = await upstream.createWorkspace({
        orgId: org.orgId,
        displayName: w.name,
        locationId: location.webex_location_id,
        calling: {
          type: 'webexCalling',
          webexCalling: {
            ...(w.extension ? { extension: w.extension } : {}),
            ...(w.primary_phone_number ? { phoneNumber: w.primary_phone_number } : {}),
            locationId: location.webex_location_id,
          },
        },
      });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (error.details.status === 409) found = await upstream.findWorkspaceByName(org.orgId, w.name);
      if (!found) {
        await failWorkspace(db, w, 'provisioning', 'error', refusal(error), deps, 'workspace.upstream_refused');
        return 'done';
      }
    }
  }
  await confirmWorkspace(db, id, found.id, requestedAt ?? deps.now, 'system:webex', deps);
  return 'done';
}

/** Removes the workspace in Webex (a 404 is done), then in the desk: billing stops at the request's effectiveAt, else now. */
export async function deleteWorkspace(
  db: Store,
  id: string,
  payload: TaskPayload<'workspace.delete'>,
  deps: OrgResourceDeps,
): Promise<TaskOutcome> {
  const w = await findWorkspaceById(db, id);
  if (!w || w.status !== 'deleting') return 'done';
  const org = orgOf(await findCustomerById(db, w.customer_id));
  if (deps.upstream && org.kind === 'webex') {
    const webexId = w.webex_workspace_id ?? (await deps.upstream.findWorkspaceByName(org.orgId, w.name))?.id;
    if (webexId) {
      try {
        await deps.upstream.deleteWorkspace(webexId);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        await failWorkspace(db, w, 'deleting', 'provisioned', refusal(error), deps, 'workspace.delete_refused');
        return 'done';
      }
    }
  }
  const at = payload.effectiveAt ? new Date(payload.effectiveAt) : deps.now;
  await db.transaction().execute(async (trx) => {
    const locked = await findWorkspaceById(trx, id, { forUpdate: true });
    if (!locked || locked.status !== 'deleting') return;
    await removeWorkspaceNow(trx, locked, at, deps, 'workspace.delete');
    await appendAudit(trx, {
      at: deps.now,
      partnerId: locked.partner_id,
      actor: deps.upstream ? 'system:webex' : 'system:worker',
      action: 'workspace.deleted',
      entityType: 'workspace',
      entityId: id,
      context: { effectiveAt: at.toISOString() },
    });
  });
  return 'done';
}
