import { listApiTokensOf, revokeApiTokenOf } from '../db/repositories/api-tokens.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import type { StaffEntryResponse, TokenEntryResponse } from '../contracts/console-access.js';
import { deleteStaff, listStaff, upsertStaff } from '../db/repositories/staff.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { ROOT_PARTNER_SCOPES, type Scope } from '../domain/scopes.js';
import { isStaffEmail, type StaffRole } from '../domain/staff-roles.js';
import type { IdSource } from '../ports.js';
import type { Actor } from './actor.js';
import { issueApiToken } from './operator-admin.js';
import type { Store } from './store.js';

/**
 * Who may sign in to the console and which tokens call the API, for the actor's own partner: the
 * console's Staff & tokens page (the operator CLI does the same for the root partner). Every change is
 * audited under the actor, in the transaction that makes it.
 */
export interface AccessActor extends Actor {
  /** What the actor holds: a token it creates may hold no more. */
  scopes: readonly string[];
  /** The signed-in person's email (a session), so they cannot remove themselves. */
  staffEmail?: string | undefined;
}

export const listPartnerStaff = async (db: Store, actor: AccessActor): Promise<StaffEntryResponse[]> =>
  (await listStaff(db, actor.partner.id)).map((s) => ({ id: s.id, email: s.email, role: s.role, displayName: s.display_name }));

/** Adds a person to the partner's staff, or changes their role. */
export async function setPartnerStaff(
  db: Store,
  actor: AccessActor,
  input: { email: string; role: StaffRole },
  deps: { now: Date; ids: IdSource },
): Promise<Result<{ id: string; email: string; role: StaffRole }>> {
  const email = input.email.trim().toLowerCase();
  if (!isStaffEmail(email)) return fail(problem('invalid_request', `"${input.email}" is not an email address`, 'email'));
  const row = await db.transaction().execute(async (trx) => {
    const saved = await upsertStaff(trx, { id: deps.ids.uuid(), partnerId: actor.partner.id, email, role: input.role });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'staff.upsert',
      entityType: 'staff',
      entityId: saved.id,
      after: { email, role: input.role },
    });
    return saved;
  });
  return ok({ id: row.id, email: row.email, role: row.role });
}

/** Removes a staff entry of the partner (their sessions end with it); never the person doing it. */
export async function removePartnerStaff(db: Store, actor: AccessActor, id: string, now: Date): Promise<Result<{ email: string }>> {
  return db.transaction().execute(async (trx) => {
    const mine = (await listStaff(trx, actor.partner.id)).find((s) => s.id === id);
    if (!mine) return fail(problem('staff_entry_not_found', `no staff entry ${id} in your partner`));
    if (actor.staffEmail && mine.email === actor.staffEmail.toLowerCase())
      return fail(problem('staff_self_removal', 'you cannot remove yourself; another admin can'));
    await deleteStaff(trx, actor.partner.id, id);
    await appendAudit(trx, {
      at: now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'staff.remove',
      entityType: 'staff',
      entityId: id,
      after: { email: mine.email },
    });
    return ok({ email: mine.email });
  });
}

export const listPartnerTokens = async (db: Store, actor: AccessActor): Promise<TokenEntryResponse[]> =>
  (await listApiTokensOf(db, actor.partner.id)).map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.token_prefix,
    scopes: t.scopes,
    created: t.created_at.toISOString(),
    revoked: t.revoked_at?.toISOString() ?? null,
  }));

/** A new token of the actor's partner with at most the actor's own scopes; the token is returned once. */
export async function createPartnerToken(
  db: Store,
  actor: AccessActor,
  input: { name: string; scopes: readonly Scope[] },
  deps: { now: Date; ids: IdSource },
): Promise<Result<{ id: string; token: string; scopes: readonly Scope[] }>> {
  const name = input.name.trim();
  if (!name) return fail(problem('invalid_request', 'give the token a name, e.g. billing-system', 'name'));
  const notHeld = input.scopes.filter((s) => !actor.scopes.includes(s));
  if (notHeld.length) return fail(problem('scope_not_held', `you cannot grant scopes you do not hold: ${notHeld.join(', ')}`, 'scopes'));
  if (actor.partner.parentId !== null) {
    const rootOnly = input.scopes.filter((s) => ROOT_PARTNER_SCOPES.includes(s));
    if (rootOnly.length) return fail(problem('scope_not_held', `a sub-partner's token cannot hold ${rootOnly.join(', ')}`, 'scopes'));
  }
  const scopes = [...new Set(input.scopes)];
  const created = await db.transaction().execute(async (trx) => {
    const issued = await issueApiToken(trx, actor.partner.id, name, scopes, deps.ids);
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'api_token.create',
      entityType: 'api_token',
      entityId: issued.id,
      after: { name, scopes },
    });
    return issued;
  });
  return ok({ ...created, scopes });
}

/** Revokes an active token of the actor's partner. */
export async function revokePartnerToken(db: Store, actor: AccessActor, id: string, now: Date): Promise<Result<{ id: string }>> {
  return db.transaction().execute(async (trx) => {
    if (!(await revokeApiTokenOf(trx, actor.partner.id, id, now)))
      return fail(problem('api_token_not_found', `no active token ${id} of your partner`));
    await appendAudit(trx, {
      at: now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'api_token.revoke',
      entityType: 'api_token',
      entityId: id,
      after: null,
    });
    return ok({ id });
  });
}
