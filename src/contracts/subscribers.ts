import { z } from 'zod';
import { SUBSCRIBER_STATUSES } from '../domain/lifecycle.js';
import { effectiveAtSchema, email, errorItemSchema, pageQuery, cursorQuery, queryList, text } from './common.js';

const subscriberParametersSchema = z.object({
  // Required, but checked with the other rules (use-cases/create-subscriber.ts) so a missing name hides no other problem.
  firstName: text(64).optional().describe('required (guide: firstName and lastName are mandatory)'),
  lastName: text(64).optional().describe('required (guide: firstName and lastName are mandatory)'),
  primaryPhoneNumber: text(20).optional(),
  extension: text(10).optional(),
  locationId: text(200).optional(),
});

export const createSubscriberBodySchema = z.object({
  customerId: text(200).min(1, 'is required'),
  email,
  package: text(60).optional(),
  packages: z.array(text(60)).max(5).optional(),
  provisioningParameters: subscriberParametersSchema,
  effectiveAt: effectiveAtSchema,
});

/**
 * A subscriber.provision event: an event's rules run later, when it is processed, so the names it must carry
 * are refused at intake, where the sender still hears the answer.
 */
export const subscriberEventBodySchema = createSubscriberBodySchema.extend({
  provisioningParameters: subscriberParametersSchema.extend({
    firstName: text(64).min(1, 'is required'),
    lastName: text(64).min(1, 'is required'),
  }),
});

export const updateSubscriberBodySchema = z.object({
  package: text(60).optional(),
  packages: z.array(text(60)).max(5).optional(),
  provisioningParameters: subscriberParametersSchema.omit({ firstName: true, lastName: true }).optional(),
  effectiveAt: effectiveAtSchema,
});

export const validateSubscriberBodySchema = createSubscriberBodySchema.partial().extend({
  email,
  provisioningId: text(100).optional(),
  customerInfo: z.object({ primaryEmail: email }).optional(),
});

const instantQuery = (description: string) =>
  z.string().max(40).optional().describe(`${description}: epoch milliseconds (preferred) or an ISO 8601 date or date-time with a zone`);

/** Cisco's List Wholesale Subscribers parameters, every one honoured as documented. */
export const listSubscribersQuerySchema = z.object({
  customerId: z.string().optional().describe('Wholesale customer ID'),
  personId: z.string().optional().describe('The person ID of the subscriber'),
  externalCustomerId: z.string().optional().describe("The subscriber's customer's external ID"),
  email: z.string().optional().describe('The email address of the subscriber'),
  status: queryList('The provisioning status of the subscriber'),
  after: instantQuery('Only subscribers created after this date and time'),
  lastStatusChange: instantQuery('Only subscribers whose provisioning status changed after this date and time'),
  sortBy: z.enum(['created', 'lastStatusChange']).optional().describe('created (default) or lastStatusChange'),
  sortOrder: z.enum(['ASC', 'DESC', 'asc', 'desc']).optional().describe('ASC (default) or DESC'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
  ...cursorQuery,
});

export const subscriberResponseSchema = z.object({
  id: z.string(),
  personId: z.string().optional(),
  email: z.string(),
  customerId: z.string(),
  externalCustomerId: z.string(),
  package: z.string(),
  packages: z.array(z.string()),
  status: z.enum(SUBSCRIBER_STATUSES),
  isAdmin: z.boolean(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  primaryPhoneNumber: z.string().optional(),
  extension: z.string().optional(),
  locationId: z.string().optional(),
  errors: z.array(errorItemSchema),
  created: z.string(),
  lastStatusChange: z.string(),
});
export type SubscriberResponse = z.infer<typeof subscriberResponseSchema>;
