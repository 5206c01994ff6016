import { ROOT_PARTNER_SCOPES } from '../domain/scopes.js';
import { insertApiToken, listApiTokens, revokeApiToken } from '../db/repositories/api-tokens.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { replaceCallInNumbers } from '../db/repositories/call-in-numbers.js';
import { listTemplates } from '../db/repositories/onboarding-templates.js';
import {
  findPartnerById,
  findPartnerByOrgId,
  findRootPartner,
  insertPartner,
  listAllSubPartners,
  setPartnerBillingStartDate,
  setPartnerState,
  updatePartnerSettings,
} from '../db/repositories/partners.js';
import { listStaff, upsertStaff } from '../db/repositories/staff.js';
import type { Db, PartnerRow } from '../db/schema.js';
import { checkSubPartnerBillingStart } from '../domain/billing-window.js';
import { toCivilDate } from '../domain/calendar.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { PartnerState } from '../domain/partner-states.js';
import type { StaffRole } from '../domain/staff-roles.js';
import { toWebexId } from '../domain/webex-ids.js';
import { hashToken, TOKEN_PREFIX } from '../platform/token-hash.js';
import type { IdSource } from '../ports.js';
import type { Store } from './store.js';
import {
  type ActingPartner,
  type PartnerSettingsView,
  type PartnerView,
  toActingPartner,
  toPartnerView,
  toSettingsView,
} from './partner-views.js';

/**
 * What the operator CLI does to the service provider's own setup. Every change is audited as `cli`
 * on the root partner, in the transaction that makes it.
 */
export interface OperatorDeps {
  now: Date;
  ids: IdSource;
}

const audit = (db: Db, root: ActingPartner, at: Date, action: string, entityType: string, entityId: string, after?: object) =>
  appendAudit(db, { at, partnerId: root.id, actor: 'cli', action, entityType, entityId, after: after ?? null });

export const loadRootPartner = async (db: Store): Promise<ActingPartner | undefined> => {
  const root = await findRootPartner(db);
  return root && toActingPartner(root);
};

/** What `partner show` prints: the root partner and its settings, its sub-partners and templates. */
export interface PartnerDescription {
  partner: PartnerView & { settings: PartnerSettingsView };
  subPartners: PartnerView[];
  templates: { id: string; name: string; country: string; language: string; authMode: string }[];
}

/** The root partner's sub-partners and onboarding templates. */
export async function describePartner(db: Store, root: ActingPartner): Promise<PartnerDescription> {
  const [subPartners, templates] = [await listAllSubPartners(db, root.id), await listTemplates(db, [root.id])];
  return {
    partner: {
      id: root.id,
      name: root.name,
      orgId: root.orgId,
      provisioningState: root.provisioningState,
      billingStartDate: root.billingStartDate,
      settings: root.settings,
    },
    subPartners: subPartners.map(toPartnerView),
    templates: templates.map((t) => ({ id: t.id, name: t.name, country: t.country, language: t.language, authMode: t.auth_mode })),
  };
}

export async function setDelayedBilling(db: Store, root: ActingPartner, enabled: boolean, now: Date): Promise<PartnerSettingsView> {
  // The stored settings, not the acting partner's view of them: keys the view does not name are kept.
  const settings = await db.transaction().execute(async (trx) => {
    const stored = (await findPartnerById(trx, root.id))?.settings ?? {};
    const next = { ...stored, enable_wholesale_delayed_billing: enabled };
    await updatePartnerSettings(trx, root.id, next);
    await audit(trx, root, now, 'partner.settings', 'partner', root.id, next);
    return next;
  });
  return toSettingsView(settings);
}

/** A new sub-partner; its customers bill from `billingStart` (default: the day it is set up). */
export async function addSubPartner(
  db: Store,
  root: ActingPartner,
  name: string,
  deps: OperatorDeps,
  billingStart?: string,
): Promise<Result<{ id: string; orgId: string; billingStartDate: string }>> {
  const today = toCivilDate(deps.now);
  const start = checkSubPartnerBillingStart(billingStart ?? today, today);
  if (!start.ok) return start;
  const id = deps.ids.uuid();
  const orgId = toWebexId('ORGANIZATION', id);
  await db.transaction().execute(async (trx) => {
    await insertPartner(trx, {
      id,
      orgId,
      name,
      parentId: root.id,
      subscriptionId: toWebexId('SUBSCRIPTION', deps.ids.uuid()),
      billingStartDate: start.value,
      createdAt: deps.now,
    });
    await audit(trx, root, deps.now, 'sub_partner.create', 'partner', id, { name, billingStartDate: start.value });
  });
  return ok({ id, orgId, billingStartDate: start.value });
}

/** Moves a sub-partner's billing start date: only before it has arrived, and never into the past. */
export async function setSubPartnerBillingStart(
  db: Store,
  root: ActingPartner,
  orgId: string | undefined,
  requested: string,
  now: Date,
): Promise<Result<PartnerView>> {
  return db.transaction().execute(async (trx) => {
    const sub = await findSubPartner(trx, root, orgId);
    if (!sub.ok) return sub;
    const checked = checkSubPartnerBillingStart(requested, toCivilDate(now), sub.value.billing_start_date);
    if (!checked.ok) return checked;
    await setPartnerBillingStartDate(trx, sub.value.id, checked.value);
    await audit(trx, root, now, 'sub_partner.billing_start', 'partner', sub.value.id, {
      before: sub.value.billing_start_date,
      billingStartDate: checked.value,
    });
    return ok(toPartnerView({ ...sub.value, billing_start_date: checked.value }));
  });
}

/** A sub-partner of the root partner, by its orgId. */
async function findSubPartner(db: Db, root: ActingPartner, orgId: string | undefined): Promise<Result<PartnerRow>> {
  const sub = orgId ? await findPartnerByOrgId(db, orgId) : undefined;
  if (!sub || sub.parent_id !== root.id) return fail(problem('sub_partner_not_found', `no sub-partner with orgId ${orgId ?? '(missing)'}`));
  return ok(sub);
}

export async function setSubPartnerState(
  db: Store,
  root: ActingPartner,
  orgId: string | undefined,
  state: PartnerState,
  now: Date,
): Promise<Result<PartnerView>> {
  const sub = await findSubPartner(db, root, orgId);
  if (!sub.ok) return sub;
  await db.transaction().execute(async (trx) => {
    await setPartnerState(trx, sub.value.id, state);
    await audit(trx, root, now, `sub_partner.${state === 'suspended' ? 'suspend' : 'activate'}`, 'partner', sub.value.id, { state });
  });
  return ok(toPartnerView({ ...sub.value, provisioning_state: state }));
}

/** A new API token of the root partner or one of its sub-partners: only its hash is stored; the token is shown once. */
export async function createApiToken(
  db: Store,
  root: ActingPartner,
  t: { name: string; scopes: readonly string[]; subPartnerOrgId?: string | undefined },
  deps: OperatorDeps,
): Promise<Result<{ id: string; token: string }>> {
  let partnerId = root.id;
  if (t.subPartnerOrgId) {
    const sub = await findSubPartner(db, root, t.subPartnerOrgId);
    if (!sub.ok) return sub;
    const rootOnly = t.scopes.filter((s) => (ROOT_PARTNER_SCOPES as readonly string[]).includes(s));
    if (rootOnly.length)
      return fail(
        problem(
          'invalid_request',
          `a sub-partner's token cannot hold ${rootOnly.join(', ')}: it acts on what every tenant shares`,
          'scopes',
        ),
      );
    partnerId = sub.value.id;
  }
  let id = '';
  let token = '';
  await db.transaction().execute(async (trx) => {
    ({ id, token } = await issueApiToken(trx, partnerId, t.name, t.scopes, deps.ids));
    await audit(trx, root, deps.now, 'api_token.create', 'api_token', id, { name: t.name, scopes: t.scopes });
  });
  return ok({ id, token });
}

/** Stores a new token of the partner (its hash and first characters) and returns it: the only time it is seen. */
export async function issueApiToken(trx: Db, partnerId: string, name: string, scopes: readonly string[], ids: IdSource) {
  const token = `${TOKEN_PREFIX}${ids.secret(32)}`;
  const id = ids.uuid();
  await insertApiToken(trx, { id, partnerId, name, tokenHash: hashToken(token), tokenPrefix: token.slice(0, 10), scopes });
  return { id, token };
}

/** An API token as `token list` prints it: never the token, its prefix. */
export interface TokenView {
  id: string;
  partnerId: string;
  name: string;
  tokenPrefix: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
}

export async function listTokens(db: Store): Promise<TokenView[]> {
  return (await listApiTokens(db)).map((t) => ({
    id: t.id,
    partnerId: t.partner_id,
    name: t.name,
    tokenPrefix: t.token_prefix,
    scopes: t.scopes,
    createdAt: t.created_at,
    revokedAt: t.revoked_at,
  }));
}

/** Revokes an active token; false when there is none with this id. */
export async function revokeToken(db: Store, root: ActingPartner, id: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, id, now))) return false;
    await audit(trx, root, now, 'api_token.revoke', 'api_token', id);
    return true;
  });
}

/** Adds a staff member of the root partner, or changes their role. */
export async function addStaff(db: Store, root: ActingPartner, email: string, role: StaffRole, deps: OperatorDeps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await upsertStaff(trx, { id: deps.ids.uuid(), partnerId: root.id, email, role });
    await audit(trx, root, deps.now, 'staff.upsert', 'staff', row.id, { email, role });
  });
}

/** A staff member as `staff list` prints it. */
export interface StaffView {
  email: string;
  role: StaffRole;
  displayName: string | null;
}

export async function listStaffOf(db: Store, root: ActingPartner): Promise<StaffView[]> {
  return (await listStaff(db, root.id)).map((s) => ({ email: s.email, role: s.role, displayName: s.display_name }));
}

/** Replaces a country's Meetings call-in numbers, the default first. */
export async function setCallInNumbers(
  db: Store,
  root: ActingPartner,
  country: string,
  numbers: readonly string[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await replaceCallInNumbers(trx, country, numbers);
    await audit(trx, root, now, 'telephony.call_in_set', 'country', country, { numbers });
  });
}
