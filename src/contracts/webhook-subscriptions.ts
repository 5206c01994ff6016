import { DELIVERY_STATUSES } from '../domain/delivery-statuses.js';
import { z } from 'zod';
import { CUSTOMER_STATUSES, SUBSCRIBER_STATUSES } from '../domain/lifecycle.js';
import { issuedInvoiceSchema } from './issued-invoices.js';

/** Outbound event types, as subscriptions name them. */
export const OUTBOUND_EVENT_TYPES = [
  'customer.status_changed',
  'subscriber.status_changed',
  'compliance.review_required',
  'billing_report.completed',
  'invoice.issued',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const createSubscriptionBodySchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2000),
  secret: z.string().min(16, 'secret must be at least 16 characters').max(200).optional(),
  eventTypes: z
    .array(z.enum(OUTBOUND_EVENT_TYPES, { error: `event types are ${OUTBOUND_EVENT_TYPES.join(', ')}` }))
    .min(1)
    .max(OUTBOUND_EVENT_TYPES.length),
});

export const subscriptionResponseSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
  created: z.string(),
  status: z
    .enum(['active', 'disabled'])
    .describe("disabled: today's rules refuse the URL (checked at each start); nothing is queued for it until it is allowed again"),
  disabledReason: z.string().nullable().describe('why the URL is refused, and how to allow it; null when active'),
});
export const createdSubscriptionResponseSchema = subscriptionResponseSchema.extend({
  secret: z.string().describe('shown once: verify our Webhook-Signature with it'),
});

export const listDeliveriesQuerySchema = z.object({
  // An empty `?status=` filters nothing, as it always has.
  status: z
    .enum([...DELIVERY_STATUSES, ''], { error: 'status must be pending, delivered, dead or cancelled' })
    .optional()
    .describe('pending, delivered, dead or cancelled; empty filters nothing'),
  subscriptionId: z.string().optional(),
  offset: z.string().optional(),
  max: z.string().optional(),
});

export const deliveryResponseSchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  eventType: z.string(),
  subscriptionId: z.string(),
  url: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  created: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

export const deliveryAttemptResponseSchema = z.object({
  at: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});

const nullableString = z.string().nullable();
const errorList = z.array(z.unknown());

/** `data` of each outbound event type, as the receiving system gets it. */
export const OUTBOUND_EVENT_DATA_SCHEMAS = {
  'customer.status_changed': z.object({
    customerId: z.string(),
    externalId: z.string(),
    orgId: nullableString,
    status: z.enum(CUSTOMER_STATUSES),
    previousStatus: z.enum(CUSTOMER_STATUSES).nullable(),
    errors: errorList,
  }),
  'subscriber.status_changed': z.object({
    subscriberId: z.string(),
    customerId: z.string(),
    email: z.string(),
    package: z.string(),
    status: z.enum(SUBSCRIBER_STATUSES),
    previousStatus: z.enum(SUBSCRIBER_STATUSES).nullable(),
    errors: errorList,
  }),
  'compliance.review_required': z.object({
    reviewId: z.string(),
    customerId: z.string(),
    externalId: z.string(),
    kind: z.string(),
    deadline: z.string(),
    matches: z.array(z.unknown()),
  }),
  'billing_report.completed': z.object({
    reportId: z.string(),
    status: z.string(),
    type: z.string(),
    category: z.string(),
    billingStartDate: z.string(),
    billingEndDate: z.string(),
    errors: errorList,
  }),
  /** The issued invoice as the JSON API returns it (GET /v1/billing/invoices/{number}). */
  'invoice.issued': issuedInvoiceSchema,
} as const satisfies Record<OutboundEventType, z.ZodType>;

/** The `data` of an outbound event of type T, as its producer must build it (typed from that type's schema). */
export type OutboundEventData<T extends OutboundEventType> = z.input<(typeof OUTBOUND_EVENT_DATA_SCHEMAS)[T]>;

/** The body the dispatcher posts (built by `enqueueDeliveries`), signed with `Webhook-Signature: t=…,v1=…`. */
export const outboundEventPayloadSchema = z.object({
  id: z.string(),
  type: z.enum(OUTBOUND_EVENT_TYPES),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
export type OutboundEventPayload = z.infer<typeof outboundEventPayloadSchema>;

/** The payload of each type with that type's `data`: what a subscribed URL receives. */
const payloadOf = <T extends OutboundEventType>(type: T) =>
  outboundEventPayloadSchema.extend({ type: z.literal(type), data: OUTBOUND_EVENT_DATA_SCHEMAS[type] });
export const OUTBOUND_EVENT_SCHEMAS = {
  'customer.status_changed': payloadOf('customer.status_changed'),
  'subscriber.status_changed': payloadOf('subscriber.status_changed'),
  'compliance.review_required': payloadOf('compliance.review_required'),
  'billing_report.completed': payloadOf('billing_report.completed'),
  'invoice.issued': payloadOf('invoice.issued'),
} as const satisfies Record<OutboundEventType, z.ZodType>;
