import type { OutboundEventData, OutboundEventType } from '../../contracts/webhook-subscriptions.js';
import { type Insertable, sql } from 'kysely';
import { BASE_SLOT, toLedgerInstant } from '../../domain/ledger.js';
import type { NumberHolder } from '../../domain/subscriber-admin.js';
import type { Db, SubscribersTable } from '../schema.js';
import type { EmailUse } from './customers.js';

/** Rows per statement: PostgreSQL takes at most 65,535 parameters, and a subscriber row has 18. */
const ROWS_PER_INSERT = 500;
const KEYS_PER_QUERY = 1_000;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Every extension and phone number the customers' live subscribers and workspaces hold, by customer. */
export async function listNumberHoldersOfCustomers(db: Db, customerIds: readonly string[]): Promise<Map<string, NumberHolder[]>> {
  const byCustomer = new Map<string, NumberHolder[]>(customerIds.map((id) => [id, []]));
  if (!customerIds.length) return byCustomer;
  const rows = await db
    .selectFrom('subscribers')
    .select(['customer_id', 'id', 'email', 'extension', 'primary_phone_number', sql<'subscriber' | 'workspace'>`'subscriber'`.as('kind')])
    .where('customer_id', 'in', customerIds)
    .where('status', '<>', 'deleted')
    .where((eb) => eb.or([eb('extension', 'is not', null), eb('primary_phone_number', 'is not', null)]))
    .unionAll(
      db
        .selectFrom('workspaces')
        .select([
          'customer_id',
          'id',
          'name as email',
          'extension',
          'primary_phone_number',
          sql<'subscriber' | 'workspace'>`'workspace'`.as('kind'),
        ])
        .where('customer_id', 'in', customerIds)
        .where('status', '<>', 'deleted')
        .where((eb) => eb.or([eb('extension', 'is not', null), eb('primary_phone_number', 'is not', null)])),
    )
    .execute();
  for (const r of rows)
    byCustomer.get(r.customer_id)?.push({
      subscriberId: r.id,
      email: r.email,
      kind: r.kind,
      extension: r.extension,
      primaryPhoneNumber: r.primary_phone_number,
    });
  return byCustomer;
}

/** Which of the partner's subscribers and customers already use each of these emails (as findEmailUses, for many at once), by email. */
export async function listEmailUses(db: Db, partnerId: string, emails: readonly string[]): Promise<Map<string, EmailUse[]>> {
  const uses = new Map<string, EmailUse[]>();
  for (const part of chunks([...new Set(emails)], KEYS_PER_QUERY)) {
    const rows = await db
      .selectFrom('subscribers')
      .select([sql<string | null>`email`.as('email'), sql<'subscriber' | 'customer'>`'subscriber'`.as('kind'), 'partner_id', 'customer_id'])
      .where('partner_id', '=', partnerId)
      .where('email', 'in', part)
      .where('status', '<>', 'deleted')
      .unionAll(
        db
          .selectFrom('customers')
          .select(['primary_email as email', sql<'subscriber' | 'customer'>`'customer'`.as('kind'), 'partner_id', 'id as customer_id'])
          .where('partner_id', '=', partnerId)
          .where('primary_email', 'in', part)
          .where('status', '<>', 'deleted'),
      )
      .execute();
    for (const r of rows) {
      if (!r.email) continue;
      uses.set(r.email, [...(uses.get(r.email) ?? []), { kind: r.kind, partner_id: r.partner_id, customer_id: r.customer_id }]);
    }
  }
  return uses;
}

export interface ImportedSubscriber {
  row: Insertable<SubscribersTable>;
  addOns: readonly string[];
  effectiveAt: Date;
  audit: { after: object; context: Record<string, unknown> };
}

/**
 * Inserts subscribers with their first ledger facts (base and add-ons) and audit records, a few
 * hundred rows a statement: the same rows a single POST writes, without a round trip each.
 */
export async function insertImportedSubscribers(
  db: Db,
  items: readonly ImportedSubscriber[],
  facts: { recordedAt: Date; cause: string; actor: string },
): Promise<void> {
  for (const part of chunks(items, ROWS_PER_INSERT)) {
    await db
      .insertInto('subscribers')
      .values(part.map((i) => i.row))
      .execute();
    const events = part.flatMap((i) =>
      [BASE_SLOT, ...i.addOns].map((slot) => ({
        subscriber_id: i.row.id,
        slot,
        customer_id: i.row.customer_id,
        partner_id: i.row.partner_id,
        package: slot === BASE_SLOT ? i.row.package : slot,
        effective_at: toLedgerInstant(i.effectiveAt),
        recorded_at: facts.recordedAt,
        cause: facts.cause,
      })),
    );
    for (const e of chunks(events, ROWS_PER_INSERT)) await db.insertInto('package_events').values(e).execute();
    await db
      .insertInto('audit_log')
      .values(
        part.map((i) => ({
          at: facts.recordedAt,
          partner_id: i.row.partner_id,
          actor: facts.actor,
          action: facts.cause,
          entity_type: 'subscriber',
          entity_id: i.row.id,
          before: null,
          after: JSON.stringify(i.audit.after),
          context: JSON.stringify(i.audit.context),
        })),
      )
      .execute();
  }
}

/** enqueueDeliveries for many events of one type at once: one statement per few hundred events. */
export async function enqueueDeliveriesOfEvents<T extends OutboundEventType>(
  db: Db,
  partnerId: string,
  type: T,
  events: readonly { id: string; occurredAt: Date; data: OutboundEventData<T> }[],
): Promise<void> {
  for (const part of chunks(events, ROWS_PER_INSERT)) {
    const list = JSON.stringify(
      part.map((e) => ({
        id: e.id,
        payload: JSON.stringify({ id: e.id, type, occurredAt: e.occurredAt.toISOString(), data: e.data }),
        at: e.occurredAt.toISOString(),
      })),
    );
    await sql`
      insert into webhook_deliveries (event_id, subscription_id, event_type, payload, next_attempt_at, created_at)
      select e->>'id', s.id, ${type}, e->>'payload', (e->>'at')::timestamptz, (e->>'at')::timestamptz
      from jsonb_array_elements(${list}::jsonb) e
      cross join webhook_subscriptions s
      where s.deleted_at is null and s.disabled_reason is null and s.event_types ? ${type}
        and s.partner_id in (select id from partners where id = ${partnerId} union all select parent_id from partners where id = ${partnerId} and parent_id is not null)`.execute(
      db,
    );
  }
}
