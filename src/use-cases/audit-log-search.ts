import { findAuditNames, searchPartnerAudit, type AuditSearch } from '../db/repositories/audit-log-search.js';
import type { z } from 'zod';
import type { auditEntrySchema } from '../contracts/console-audit.js';
import type { Store } from './store.js';

export type { AuditSearch };

/** An audit entry as the console answers it, but the names `nameAuditEntries` adds beside its ids. */
export type AuditEntryView = Omit<z.infer<typeof auditEntrySchema>, keyof AuditEntryNames>;

/** The console's audit log: what the partner's people, tokens and jobs did, newest first. */
export async function searchAudit(db: Store, partner: { id: string }, search: AuditSearch): Promise<AuditEntryView[]> {
  const rows = await searchPartnerAudit(db, partner.id, search);
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    context: r.context ?? null,
  }));
}

/** Who acted and what was acted on, in words: the names a person reads instead of ids. */
export interface AuditEntryNames {
  /** A token's name, a person's display name (or email); null for the desk's own jobs and unknown ids. */
  actorName: string | null;
  /** The customer's name, a user's email, a workspace's or location's name, with their customer; null when unknown. */
  entityName: string | null;
  /** The customer the entry concerns (its page links there); null when none. */
  customerId: string | null;
}

/** What naming needs of an entry: who acted and on what. */
type AuditRow = { actor: string; entityType: string; entityId: string | null };

const idsOf = (rows: readonly AuditRow[], type: string) => [
  ...new Set(rows.filter((r) => r.entityType === type && r.entityId).map((r) => r.entityId!)),
];
const actorIds = (rows: readonly AuditRow[], prefix: string) => [
  ...new Set(rows.filter((r) => r.actor.startsWith(prefix)).map((r) => r.actor.slice(prefix.length))),
];

/** The names of one page of entries, in the entries' order (a handful of lookups, whatever the page size). */
export async function nameAuditEntries(db: Store, partner: { id: string }, rows: readonly AuditRow[]): Promise<AuditEntryNames[]> {
  const found = await findAuditNames(db, partner.id, {
    tokenIds: actorIds(rows, 'token:'),
    staffEmails: actorIds(rows, 'staff:'),
    customerIds: idsOf(rows, 'customer'),
    subscriberIds: idsOf(rows, 'subscriber'),
    workspaceIds: idsOf(rows, 'workspace'),
    locationIds: idsOf(rows, 'location'),
    reviewIds: idsOf(rows, 'compliance_review'),
  });
  const ofCustomer = (c: { customer_name: string | null; external_id: string }) => c.customer_name ?? c.external_id;
  const tokens = new Map(found.tokens.map((t) => [`token:${t.id}`, t.name]));
  const staff = new Map(found.staff.map((s) => [`staff:${s.email}`, s.display_name || s.email]));
  const entities = new Map<string, { name: string; customerId: string }>([
    ...found.customers.map((c) => [`customer:${c.id}`, { name: c.name ?? c.external_id, customerId: c.id }] as const),
    ...found.subscribers.map((s) => [`subscriber:${s.id}`, { name: `${s.email} (${ofCustomer(s)})`, customerId: s.customer_id }] as const),
    ...found.workspaces.map((w) => [`workspace:${w.id}`, { name: `${w.name} (${ofCustomer(w)})`, customerId: w.customer_id }] as const),
    ...found.locations.map((l) => [`location:${l.id}`, { name: `${l.name} (${ofCustomer(l)})`, customerId: l.customer_id }] as const),
    ...found.reviews.map((r) => [`compliance_review:${r.id}`, { name: `review of ${ofCustomer(r)}`, customerId: r.customer_id }] as const),
  ]);
  return rows.map((r) => {
    const entity = r.entityId ? entities.get(`${r.entityType}:${r.entityId}`) : undefined;
    return {
      actorName: tokens.get(r.actor) ?? staff.get(r.actor) ?? null,
      entityName: entity?.name ?? null,
      customerId: entity?.customerId ?? null,
    };
  });
}
