import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomerById, findCustomerWithCounts } from '../db/repositories/customers.js';
import { appendPackageEvent } from '../db/repositories/package-events.js';
import { findNumberHolders } from '../db/repositories/subscribers.js';
import {
  findWorkspace,
  findWorkspaceByName,
  insertWorkspace,
  listWorkspaces,
  lockLiveWorkspacesOfCustomer,
  updateWorkspace,
} from '../db/repositories/workspaces.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import type { Transaction } from 'kysely';
import type { Database, Db, WorkspaceRow } from '../db/schema.js';
import { resolveEffectiveAt, type CustomerStatus } from '../domain/lifecycle.js';
import { checkWorkspacePackage, type PackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { checkCallingDetails } from '../domain/subscriber-rules.js';
import { checkNumbersFree } from '../domain/subscriber-admin.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { enqueueTask } from './enqueue-task.js';
import { type AcceptedChange, toAcceptedChange, toWorkspaceResponse } from './responses.js';
import type { WorkspaceResponse } from '../contracts/index.js';

/** The one package a workspace holds (guide L53680: Common Area Calling is for workspaces). */
export const WORKSPACE_PACKAGE: PackageId = 'common_area_calling';

/** A workspace is added to a customer whose org exists; it is provisioned at once. */
const ACTIVE_CUSTOMER: readonly CustomerStatus[] = ['provisioned', 'provisioned_with_errors', 'updating'];

export interface CreateWorkspaceInput {
  customerId: string;
  name: string;
  provisioningParameters?:
    | { primaryPhoneNumber?: string | undefined; extension?: string | undefined; locationId?: string | undefined }
    | undefined;
  effectiveAt?: string | undefined;
}

const nameTaken = (name: string) => problem('workspace_name_taken', `the customer already has a workspace called "${name}"`, 'name');

/** Every rule for adding a workspace, all problems at once, without writing (a POST applies it; chat checks it before asking). */
async function planWorkspace(db: Db, actor: Actor, input: CreateWorkspaceInput, deps: UseCaseDeps) {
  const name = input.name.trim();
  const found = await findCustomerWithCounts(db, actor.partner.id, input.customerId, { forUpdate: db.isTransaction });
  if (!found) return fail(problem('customer_not_found', `customer ${input.customerId} not found`, 'customerId'));
  const { customer, holders, locationIds } = found;
  const problems: Problem[] = [];
  if (!ACTIVE_CUSTOMER.includes(customer.status))
    problems.push(
      problem(
        'customer_not_accepting',
        `customer ${customer.name ?? customer.external_id} is ${customer.status}; workspaces are added once it is provisioned`,
        'customerId',
      ),
    );
  problems.push(...checkWorkspacePackage({ customerPackages: customer.packages, limits: customer.package_limits, holders }));
  if (!name) problems.push(problem('invalid_request', 'is required', 'name'));
  else if (await findWorkspaceByName(db, customer.id, name)) problems.push(nameTaken(name));
  const params = input.provisioningParameters ?? {};
  problems.push(...checkCallingDetails(WORKSPACE_PACKAGE, params));
  let locationId: string | null = null;
  if (params.locationId) {
    if (locationIds.includes(params.locationId)) locationId = params.locationId;
    else
      problems.push(
        problem(
          'location_not_found',
          `location ${params.locationId} is not one of the customer's locations`,
          'provisioningParameters.locationId',
        ),
      );
  } else if (locationIds[0]) locationId = locationIds[0];
  else
    problems.push(
      problem(
        'calling_parameters_missing',
        'the customer has no calling location; update it with provisioningParameters.calling.location first',
        'provisioningParameters.locationId',
      ),
    );
  const extension = params.extension?.trim() || null;
  const phone = params.primaryPhoneNumber?.trim() || null;
  problems.push(
    ...checkNumbersFree({ extension, primaryPhoneNumber: phone }, await findNumberHolders(db, customer.id, { extension, phone }), null),
  );
  const effectiveAt = resolveEffectiveAt(input.effectiveAt, deps.now, undefined, deps.backdateMaxDays);
  if (!effectiveAt.ok) problems.push(...effectiveAt.problems);
  // Like a subscriber, a workspace cannot start holding its package before its customer existed.
  else problems.push(...checkNotBeforeCreation(effectiveAt.value, customer.created_at, 'customer'));
  if (problems.length || !effectiveAt.ok) return fail(...problems);
  return ok({ customer, locationId, extension, phone, effectiveAt: effectiveAt.value });
}

/** Checks a new workspace without adding it. */
export async function validateWorkspace(db: Db, actor: Actor, input: CreateWorkspaceInput, deps: UseCaseDeps): Promise<Result<true>> {
  const plan = await planWorkspace(db, actor, input, deps);
  return plan.ok ? ok(true) : plan;
}

/**
 * Adds a workspace holding Common Area Calling: row, ledger fact (billing starts at effectiveAt) and
 * audit in one transaction. Every problem at once.
 */
export async function createWorkspace(
  db: Db,
  actor: Actor,
  input: CreateWorkspaceInput,
  deps: UseCaseDeps,
): Promise<Result<WorkspaceResponse>> {
  const name = input.name.trim();
  try {
    return await runInTransaction(db, async (trx) => {
      const plan = await planWorkspace(trx, actor, input, deps);
      if (!plan.ok) return plan;
      const { customer, locationId, extension, phone, effectiveAt } = plan.value;
      // Upstream, Webex makes it (a task POSTs it to the customer's org) and it bills from Webex's confirmation.
      const viaWebex = deps.viaWebex === true;

      const workspace = await insertWorkspace(trx, {
        id: toWebexId('WORKSPACE', deps.uuid()),
        partner_id: actor.partner.id,
        customer_id: customer.id,
        name,
        package: WORKSPACE_PACKAGE,
        primary_phone_number: phone,
        extension,
        location_id: locationId,
        status: viaWebex ? 'provisioning' : 'provisioned',
        created_at: deps.now,
        last_status_change: deps.now,
      });
      if (viaWebex)
        await enqueueTask(trx, {
          kind: 'workspace.provision',
          entityId: workspace.id,
          now: deps.now,
          payload: input.effectiveAt !== undefined ? { effectiveAt: effectiveAt.toISOString() } : {},
        });
      else
        await appendPackageEvent(trx, {
          subscriberId: null,
          workspaceId: workspace.id,
          customerId: customer.id,
          partnerId: actor.partner.id,
          package: WORKSPACE_PACKAGE,
          effectiveAt,
          recordedAt: deps.now,
          cause: 'workspace.create',
        });
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'workspace.create',
        entityType: 'workspace',
        entityId: workspace.id,
        after: workspaceSnapshot(workspace),
        context: { effectiveAt: effectiveAt.toISOString() },
      });
      return ok(toWorkspaceResponse(workspace, customer.external_id));
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail(nameTaken(name));
    throw error;
  }
}

export async function getWorkspace(db: Db, actor: Actor, id: string): Promise<Result<WorkspaceResponse>> {
  const row = await findWorkspace(db, actor.partner.id, id);
  if (!row) return fail(problem('workspace_not_found', `workspace ${id} not found`));
  return ok(toWorkspaceResponse(row, (await findCustomerById(db, row.customer_id))?.external_id ?? ''));
}

export const findWorkspaces = async (
  db: Db,
  actor: Actor,
  f: { customerId?: string | undefined; offset: number; max: number },
): Promise<WorkspaceResponse[]> =>
  (await listWorkspaces(db, { partnerId: actor.partner.id, ...f })).map((r) => toWorkspaceResponse(r, r.external_customer_id));

/** Removes a workspace at once: its Common Area Calling stops accruing at effectiveAt. */
export async function deleteWorkspaceRequest(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<AcceptedChange<WorkspaceRow['status']>>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  return runInTransaction(db, async (trx) => {
    const before = await findWorkspace(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('workspace_not_found', `workspace ${id} not found`));
    if (before.status === 'provisioning' || before.status === 'deleting')
      return fail(problem('workspace_settling', `the workspace is ${before.status} in Webex; retry when it has settled`));
    // Upstream, a workspace Webex holds is removed there first; billing stops once Webex confirms (or at effectiveAt).
    const viaWebex = deps.viaWebex === true && before.status === 'provisioned' && before.webex_workspace_id !== null;
    const after = viaWebex
      ? await updateWorkspace(trx, id, { status: 'deleting', last_status_change: deps.now })
      : await removeWorkspace(trx, before, effective.value, deps, 'workspace.delete');
    if (viaWebex)
      await enqueueTask(trx, {
        kind: 'workspace.delete',
        entityId: id,
        now: deps.now,
        payload: effectiveAtInput !== undefined ? { effectiveAt: effective.value.toISOString() } : {},
      });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: before.partner_id,
      actor: actor.label,
      action: 'workspace.delete',
      entityType: 'workspace',
      entityId: id,
      before: workspaceSnapshot(before),
      context: { effectiveAt: effective.value.toISOString() },
    });
    return ok(toAcceptedChange(after));
  });
}

/** Ends every live workspace of a customer (customer deleted, or compliance): billing stops at `at`. */
export async function removeCustomerWorkspaces(
  trx: Transaction<Database>,
  customerId: string,
  at: Date,
  deps: UseCaseDeps,
  cause: string,
): Promise<void> {
  for (const w of await lockLiveWorkspacesOfCustomer(trx, customerId)) await removeWorkspace(trx, w, at, deps, cause);
}

/** Ends a workspace's Common Area Calling at `at` and marks it deleted (the removal task, once Webex removed it). */
export const removeWorkspaceNow = (trx: Db, w: WorkspaceRow, at: Date, deps: UseCaseDeps, cause: string) =>
  removeWorkspace(trx, w, at, deps, cause);

async function removeWorkspace(trx: Db, w: WorkspaceRow, at: Date, deps: UseCaseDeps, cause: string): Promise<WorkspaceRow> {
  await appendPackageEvent(trx, {
    subscriberId: null,
    workspaceId: w.id,
    customerId: w.customer_id,
    partnerId: w.partner_id,
    package: null,
    effectiveAt: at,
    recordedAt: deps.now,
    cause,
  });
  return updateWorkspace(trx, w.id, { status: 'deleted', last_status_change: deps.now });
}

const workspaceSnapshot = (w: WorkspaceRow) => ({
  name: w.name,
  customerId: w.customer_id,
  package: w.package,
  status: w.status,
  extension: w.extension,
  primaryPhoneNumber: w.primary_phone_number,
  locationId: w.location_id,
});
