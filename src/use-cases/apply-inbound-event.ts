import { findCustomerByExternalId } from '../db/repositories/customers.js';
import { findPartnerById } from '../db/repositories/partners.js';
import { findLiveSubscriberByEmail } from '../db/repositories/subscribers.js';
import type { ClaimedInboundEvent } from '../db/repositories/inbound-events.js';
import type { Db } from '../db/schema.js';
import { fail, ok, problem, type ProblemCode, type Result } from '../domain/problems.js';
import { EVENT_DATA_SCHEMAS, type EventData, type InboundEventType } from '../contracts/events.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { createCustomer, deleteCustomerRequest, updateCustomerRequest } from './customers.js';
import { resolveActingPartner } from './resolve-acting-partner.js';
import { createSubscriber } from './create-subscriber.js';
import { deleteSubscriberRequest } from './remove-subscriber.js';
import { updateSubscriberRequest } from './update-subscriber.js';
import { toActingPartner } from './partner-views.js';

/** Failures that may clear up by themselves (the customer is still being created or settling): retry. */
export const TRANSIENT_PROBLEMS: readonly ProblemCode[] = [
  'customer_not_found',
  'subscriber_not_found',
  'customer_busy',
  'subscriber_settling',
];

/**
 * Applies one inbound event through the same use cases as the REST API, inside the caller's
 * transaction, so the effect and the event's `done` mark commit together: exactly once in effect.
 */
export async function applyInboundEvent(trx: Db, event: ClaimedInboundEvent, deps: UseCaseDeps): Promise<Result<Record<string, unknown>>> {
  const type = event.type as InboundEventType;
  const parsed = EVENT_DATA_SCHEMAS[type].safeParse(event.data);
  if (!parsed.success)
    return fail(problem('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
  const partner = await findPartnerById(trx, event.partner_id);
  if (!partner) return fail(problem('not_found', 'the partner of this event no longer exists'));
  const data = parsed.data as Record<string, unknown> & { onBehalfOfSubPartnerOrgId?: string };
  const acting = await resolveActingPartner(
    trx,
    toActingPartner(partner),
    data.onBehalfOfSubPartnerOrgId,
    type.endsWith('.delete') ? 'delete' : 'write',
  );
  if (!acting.ok) return acting;
  const actor: Actor = { partner: acting.value, label: `event:${event.id}` };

  switch (type) {
    case 'customer.provision': {
      const { onBehalfOfSubPartnerOrgId: _, ...body } = data as EventData<'customer.provision'>;
      const r = await createCustomer(trx, actor, body, deps);
      return r.ok ? ok({ customerId: r.value.customer.id, created: r.value.created }) : r;
    }
    case 'customer.update': {
      const { customerId, customerExternalId, onBehalfOfSubPartnerOrgId: _, ...body } = data as EventData<'customer.update'>;
      const id = await customerIdOf(trx, actor, customerId, customerExternalId);
      if (!id.ok) return id;
      const r = await updateCustomerRequest(trx, actor, id.value, body, deps);
      return r.ok ? ok({ customerId: r.value.id }) : r;
    }
    case 'customer.delete': {
      const { customerId, customerExternalId, effectiveAt } = data as EventData<'customer.delete'>;
      const id = await customerIdOf(trx, actor, customerId, customerExternalId);
      if (!id.ok) return id;
      const r = await deleteCustomerRequest(trx, actor, id.value, effectiveAt, deps);
      return r.ok ? ok({ customerId: r.value.id }) : r;
    }
    case 'subscriber.provision': {
      const { customerId, customerExternalId, onBehalfOfSubPartnerOrgId: _, ...body } = data as EventData<'subscriber.provision'>;
      const id = await customerIdOf(trx, actor, customerId, customerExternalId);
      if (!id.ok) return id;
      const r = await createSubscriber(trx, actor, { ...body, customerId: id.value }, deps);
      return r.ok ? ok({ subscriberId: r.value.subscriber.id }) : r;
    }
    case 'subscriber.update': {
      const { subscriberId, email, onBehalfOfSubPartnerOrgId: _, ...body } = data as EventData<'subscriber.update'>;
      const id = await subscriberIdOf(trx, actor, subscriberId, email);
      if (!id.ok) return id;
      const r = await updateSubscriberRequest(trx, actor, id.value, body, deps);
      return r.ok ? ok({ subscriberId: r.value.id }) : r;
    }
    case 'subscriber.delete': {
      const { subscriberId, email, effectiveAt } = data as EventData<'subscriber.delete'>;
      const id = await subscriberIdOf(trx, actor, subscriberId, email);
      if (!id.ok) return id;
      const r = await deleteSubscriberRequest(trx, actor, id.value, effectiveAt, deps);
      return r.ok ? ok({ subscriberId: r.value.id }) : r;
    }
  }
}

async function customerIdOf(db: Db, actor: Actor, id: string | undefined, externalId: string | undefined): Promise<Result<string>> {
  if (id) return ok(id);
  const c = await findCustomerByExternalId(db, actor.partner.id, externalId ?? '');
  return c ? ok(c.id) : fail(problem('customer_not_found', `no customer with externalId ${externalId} (yet)`));
}

async function subscriberIdOf(db: Db, actor: Actor, id: string | undefined, email: string | undefined): Promise<Result<string>> {
  if (id) return ok(id);
  const s = await findLiveSubscriberByEmail(db, actor.partner.id, (email ?? '').toLowerCase());
  return s ? ok(s.id) : fail(problem('subscriber_not_found', `no subscriber with email ${email} (yet)`));
}
