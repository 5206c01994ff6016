import { z } from 'zod';
import { createCustomerBodySchema, updateCustomerBodySchema } from './customers.js';
import { subscriberEventBodySchema, updateSubscriberBodySchema } from './subscribers.js';

const onBehalf = { onBehalfOfSubPartnerOrgId: z.string().max(200).optional() };
const customerTarget = { customerId: z.string().max(200).optional(), customerExternalId: z.string().max(256).optional() };
const subscriberTarget = { subscriberId: z.string().max(200).optional(), email: z.email().max(254).optional() };
const needsOne = (keys: string[]) => (v: Record<string, unknown>) => keys.some((k) => v[k] !== undefined);

/** `data` of each inbound event type: the matching REST body plus how to find the target. */
export const EVENT_DATA_SCHEMAS = {
  'customer.provision': createCustomerBodySchema.extend(onBehalf),
  'customer.update': updateCustomerBodySchema
    .extend({ ...customerTarget, ...onBehalf })
    .refine(needsOne(['customerId', 'customerExternalId']), 'give customerId or customerExternalId'),
  'customer.delete': z
    .object({ ...customerTarget, ...onBehalf, effectiveAt: z.string().max(40).optional() })
    .refine(needsOne(['customerId', 'customerExternalId']), 'give customerId or customerExternalId'),
  'subscriber.provision': subscriberEventBodySchema
    .extend({ customerId: z.string().max(200).optional(), customerExternalId: z.string().max(256).optional(), ...onBehalf })
    .refine(needsOne(['customerId', 'customerExternalId']), 'give customerId or customerExternalId'),
  'subscriber.update': updateSubscriberBodySchema
    .extend({ ...subscriberTarget, ...onBehalf })
    .refine(needsOne(['subscriberId', 'email']), 'give subscriberId or email'),
  'subscriber.delete': z
    .object({ ...subscriberTarget, ...onBehalf, effectiveAt: z.string().max(40).optional() })
    .refine(needsOne(['subscriberId', 'email']), 'give subscriberId or email'),
} as const;

export type InboundEventType = keyof typeof EVENT_DATA_SCHEMAS;
export const INBOUND_EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as InboundEventType[];

export const envelopeSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(INBOUND_EVENT_TYPES as [InboundEventType, ...InboundEventType[]], {
    error: `type must be one of ${INBOUND_EVENT_TYPES.join(', ')}`,
  }),
  occurredAt: z.iso.datetime({ offset: true, error: 'occurredAt must be an ISO 8601 instant, e.g. 2026-03-01T10:00:00Z' }),
  data: z.record(z.string(), z.unknown()),
});

export type EventData<T extends InboundEventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;

/**
 * Events for one customer are applied in occurredAt order: the key names the customer when the
 * event does (external id first, a BSS's own key), else the subscriber.
 */
export function orderingKey(type: InboundEventType, data: Record<string, unknown>): string {
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  if (type === 'customer.provision') return `customer:${str('externalId')}`;
  const ext = str('customerExternalId');
  if (ext) return `customer:${ext}`;
  const id = str('customerId');
  if (id) return `customer-id:${id}`;
  return `subscriber:${(str('email') ?? '').toLowerCase() || str('subscriberId')}`;
}

/** POST /v1/events, 202: the event is stored and will be applied. */
export const inboundEventAcceptedSchema = z.object({ id: z.string(), status: z.literal('accepted') });
/** POST /v1/events, 200: an event with this id was already received; nothing more is done. */
export const inboundEventDuplicateSchema = z.object({ id: z.string(), status: z.literal('duplicate') });

/** GET /v1/events/failed: an inbound event parked after its attempts failed (replay it: POST /v1/events/{id}/replay). */
export const parkedInboundEventSchema = z.object({
  id: z.string(),
  type: z.string().describe("The envelope's type, as it was received"),
  occurredAt: z.string().describe('ISO 8601 instant, UTC'),
  receivedAt: z.string().describe('ISO 8601 instant, UTC'),
  attempts: z.number().int(),
  error: z.string().nullable().describe("The last attempt's error"),
  data: z.record(z.string(), z.unknown()).describe("The event's data, as it was received"),
});
export type ParkedInboundEvent = z.infer<typeof parkedInboundEventSchema>;

/** GET /v1/events/stats: the partner's inbound events by state. */
export const inboundEventStatsSchema = z.object({ pending: z.number().int(), done: z.number().int(), failed: z.number().int() });
