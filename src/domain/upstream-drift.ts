import { isAddOn, toPackageId } from './packages.js';

/*
 * Import and drift (#15): the desk's customers and subscribers beside Webex Wholesale's. Pure: the
 * use-case reads both sides, this decides what is imported, what is linked and what differs.
 *
 * Customers are matched by Webex's id where the desk holds it, else by externalId; subscribers by
 * Webex's id, else by email (case-insensitive). Either side in transition (provisioning, updating,
 * deleting, or a desk hold in review) is left out: a task is carrying it, and its difference is not
 * drift but work in progress.
 */

export type DriftKind = 'only_webex' | 'only_desk' | 'status' | 'packages';
export type DriftEntity = 'customer' | 'subscriber' | 'workspace' | 'location';

export interface DeskCustomerSide {
  id: string;
  externalId: string;
  webexId: string | null;
  status: string;
  packages: readonly string[];
}

export interface WebexCustomerSide {
  id: string;
  externalId: string | undefined;
  status: string;
  packages: readonly string[];
}

export interface DeskSubscriberSide {
  id: string;
  customerId: string;
  email: string;
  webexId: string | null;
  status: string;
  /** The base package first, then the add-ons. */
  packages: readonly string[];
}

export interface WebexSubscriberSide {
  id: string;
  /** Webex's customer id. */
  customerId: string | undefined;
  email: string;
  status: string;
  packages: readonly string[];
}

export interface DriftState {
  status: string;
  packages: string[];
}

export interface DriftFinding {
  entityType: DriftEntity;
  kind: DriftKind;
  /** externalId of a customer, lower-case email of a subscriber. */
  subject: string;
  customerExternalId: string | null;
  deskId: string | null;
  webexId: string | null;
  webexCustomerId: string | null;
  desk: DriftState | null;
  webex: DriftState | null;
}

export interface DriftPlan {
  /** Webex customers the desk does not have (first run only), with the subscribers to import with them. */
  importCustomers: WebexCustomerSide[];
  /** Webex subscribers to import: of imported customers, and (first run) missing from matched ones. */
  importSubscribers: { subscriber: WebexSubscriberSide; deskCustomerId: string | null; webexCustomerId: string }[];
  /** Matched pairs whose Webex id the desk does not hold yet. */
  linkCustomers: { deskId: string; webexId: string }[];
  linkSubscribers: { deskId: string; webexId: string }[];
  findings: DriftFinding[];
  skippedInTransition: number;
}

const DESK_CUSTOMER_MOVING = new Set(['provisioning', 'updating', 'deleting', 'pending_rpl_review', 'deleted']);
const WEBEX_CUSTOMER_MOVING = new Set(['provisioning', 'updating', 'deleting']);
const DESK_SUBSCRIBER_MOVING = new Set(['provisioning', 'deleted']);
const WEBEX_SUBSCRIBER_MOVING = new Set(['provisioning', 'deleting']);

/** A package list as a comparable set: canonical ids, sorted, each once. */
export const normalizePackages = (packages: readonly string[]): string[] => [...new Set(packages.map((p) => toPackageId(p) ?? p))].sort();

const samePackages = (a: readonly string[], b: readonly string[]) => normalizePackages(a).join(',') === normalizePackages(b).join(',');

/** Webex's subscriber packages as the desk stores them: one base package, then its add-ons. */
export function splitSubscriberPackages(packages: readonly string[]): { base: string; addOns: string[] } | undefined {
  const ids = normalizePackages(packages);
  const addOns = ids.filter((p) => {
    const id = toPackageId(p);
    return id !== undefined && isAddOn(id);
  });
  const base = ids.find((p) => !addOns.includes(p));
  return base ? { base, addOns } : undefined;
}

/** Which of Webex's customers and subscribers the desk imports, links, and reports as drift. */
export function planSync(input: {
  importing: boolean;
  deskCustomers: readonly DeskCustomerSide[];
  webexCustomers: readonly WebexCustomerSide[];
  deskSubscribers: readonly DeskSubscriberSide[];
  webexSubscribers: readonly WebexSubscriberSide[];
}): DriftPlan {
  const plan: DriftPlan = {
    importCustomers: [],
    importSubscribers: [],
    linkCustomers: [],
    linkSubscribers: [],
    findings: [],
    skippedInTransition: 0,
  };
  const deskByWebexId = new Map(input.deskCustomers.filter((c) => c.webexId).map((c) => [c.webexId!, c]));
  const deskByExternalId = new Map(input.deskCustomers.map((c) => [c.externalId, c]));
  const matchedDesk = new Set<string>();
  /** Webex customer id → the desk customer it is (null: imported now, so no desk id yet). */
  const pairs = new Map<string, DeskCustomerSide | null>();

  for (const w of input.webexCustomers) {
    const d = deskByWebexId.get(w.id) ?? (w.externalId !== undefined ? deskByExternalId.get(w.externalId) : undefined);
    if (d && !matchedDesk.has(d.id)) {
      matchedDesk.add(d.id);
      if (DESK_CUSTOMER_MOVING.has(d.status) || WEBEX_CUSTOMER_MOVING.has(w.status)) {
        plan.skippedInTransition++;
        continue;
      }
      if (d.webexId !== w.id) plan.linkCustomers.push({ deskId: d.id, webexId: w.id });
      pairs.set(w.id, d);
      const base = customerFinding(d, w);
      if (d.status !== w.status) plan.findings.push({ ...base, kind: 'status' });
      if (!samePackages(d.packages, w.packages)) plan.findings.push({ ...base, kind: 'packages' });
      continue;
    }
    if (WEBEX_CUSTOMER_MOVING.has(w.status) || w.externalId === undefined) {
      plan.skippedInTransition++;
      continue;
    }
    if (input.importing) {
      plan.importCustomers.push(w);
      pairs.set(w.id, null);
    } else plan.findings.push({ ...customerFinding(undefined, w), kind: 'only_webex' });
  }
  for (const d of input.deskCustomers) {
    // Refused by Webex before it ever held it: the refusal is on the customer already, not drift.
    if (matchedDesk.has(d.id) || (d.status === 'error' && !d.webexId)) continue;
    if (DESK_CUSTOMER_MOVING.has(d.status)) {
      plan.skippedInTransition++;
      continue;
    }
    plan.findings.push({ ...customerFinding(d, undefined), kind: 'only_desk' });
  }

  const webexCustomerOfDesk = new Map<string, string>();
  for (const [webexId, d] of pairs) if (d) webexCustomerOfDesk.set(d.id, webexId);
  const externalIdOfWebex = new Map(input.webexCustomers.map((w) => [w.id, w.externalId ?? null]));
  const deskSubsByWebexId = new Map(input.deskSubscribers.filter((s) => s.webexId).map((s) => [s.webexId!, s]));
  const deskSubsByEmail = new Map(input.deskSubscribers.map((s) => [s.email.toLowerCase(), s]));
  const matchedSubs = new Set<string>();

  for (const w of input.webexSubscribers) {
    if (!w.customerId || !pairs.has(w.customerId)) continue; // its customer is reported (or moving) as a whole
    const deskCustomer = pairs.get(w.customerId) ?? null;
    const d = deskSubsByWebexId.get(w.id) ?? deskSubsByEmail.get(w.email.toLowerCase());
    const customerExternalId = externalIdOfWebex.get(w.customerId) ?? null;
    if (d && !matchedSubs.has(d.id)) {
      matchedSubs.add(d.id);
      if (DESK_SUBSCRIBER_MOVING.has(d.status) || WEBEX_SUBSCRIBER_MOVING.has(w.status)) {
        plan.skippedInTransition++;
        continue;
      }
      if (d.webexId !== w.id) plan.linkSubscribers.push({ deskId: d.id, webexId: w.id });
      const base = subscriberFinding(d, w, customerExternalId);
      if (d.status !== w.status) plan.findings.push({ ...base, kind: 'status' });
      if (!samePackages(d.packages, w.packages)) plan.findings.push({ ...base, kind: 'packages' });
      continue;
    }
    if (WEBEX_SUBSCRIBER_MOVING.has(w.status)) {
      plan.skippedInTransition++;
      continue;
    }
    if (deskCustomer === null || input.importing)
      plan.importSubscribers.push({ subscriber: w, deskCustomerId: deskCustomer?.id ?? null, webexCustomerId: w.customerId });
    else plan.findings.push({ ...subscriberFinding(undefined, w, customerExternalId), kind: 'only_webex' });
  }
  for (const d of input.deskSubscribers) {
    const webexCustomerId = webexCustomerOfDesk.get(d.customerId);
    if (matchedSubs.has(d.id) || !webexCustomerId || (d.status === 'error' && !d.webexId)) continue;
    if (DESK_SUBSCRIBER_MOVING.has(d.status)) {
      plan.skippedInTransition++;
      continue;
    }
    plan.findings.push({
      ...subscriberFinding(d, undefined, externalIdOfWebex.get(webexCustomerId) ?? null),
      webexCustomerId,
      kind: 'only_desk',
    });
  }
  return plan;
}

function customerFinding(d: DeskCustomerSide | undefined, w: WebexCustomerSide | undefined): Omit<DriftFinding, 'kind'> {
  const subject = d?.externalId ?? w?.externalId ?? '';
  return {
    entityType: 'customer',
    subject,
    customerExternalId: subject,
    deskId: d?.id ?? null,
    webexId: w?.id ?? d?.webexId ?? null,
    webexCustomerId: w?.id ?? d?.webexId ?? null,
    desk: d ? { status: d.status, packages: normalizePackages(d.packages) } : null,
    webex: w ? { status: w.status, packages: normalizePackages(w.packages) } : null,
  };
}

function subscriberFinding(
  d: DeskSubscriberSide | undefined,
  w: WebexSubscriberSide | undefined,
  customerExternalId: string | null,
): Omit<DriftFinding, 'kind'> {
  return {
    entityType: 'subscriber',
    subject: (d?.email ?? w?.email ?? '').toLowerCase(),
    customerExternalId,
    deskId: d?.id ?? null,
    webexId: w?.id ?? d?.webexId ?? null,
    webexCustomerId: w?.customerId ?? null,
    desk: d ? { status: d.status, packages: normalizePackages(d.packages) } : null,
    webex: w ? { status: w.status, packages: normalizePackages(w.packages) } : null,
  };
}

/** The key under which a finding stays one open item across runs. */
export const findingKey = (f: { entityType: string; subject: string; kind: string }) => `${f.entityType}|${f.subject}|${f.kind}`;
