import { z } from 'zod';
import { addressSchema } from '../domain/address.js';
import { CUSTOMER_STATUSES, SUBSCRIBER_STATUSES } from '../domain/lifecycle.js';

/** Request and response shapes of the Webex-compatible API; the OpenAPI document is built from these. */

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const email = z.email('must be an email address').max(254);

export const apiAddressSchema = addressSchema.extend({
  addressLine1: text(200),
  addressLine2: text(200).optional(),
  city: text(100),
  stateOrProvince: text(100).optional(),
  zipOrPostalCode: text(20).optional(),
  country: text(10),
});

const locationSchema = z.object({
  name: text(80).min(1, 'is required'),
  address: apiAddressSchema,
  timezone: text(64).optional(),
  language: text(10).optional(),
  emergencyLocationIdentifier: text(80).optional(),
});

export const provisioningParametersSchema = z.object({
  calling: z.object({ location: locationSchema }).optional(),
  meetings: z.object({ timezone: text(64).optional() }).optional(),
  packages: z.object({ limits: z.record(z.string(), z.number().int().min(0).max(1_000_000)) }).optional(),
});

const effectiveAt = z.string().max(40).optional().describe('ISO 8601 instant the change takes effect in the ledger; not in the future, at most 400 days back');

export const createCustomerBodySchema = z.object({
  provisioningId: text(100).min(1, 'is required'),
  packages: z.array(text(60)).max(20),
  orgId: text(200).optional(),
  externalId: text(256).min(1, 'is required'),
  address: apiAddressSchema,
  customerInfo: z
    .object({ name: text(256).min(1, 'is required'), primaryEmail: email, language: text(10).optional() })
    .optional(),
  provisioningParameters: provisioningParametersSchema.optional(),
  subPartnerAdminEmail: email.optional(),
  billingStartDate: text(10).optional(),
  effectiveAt,
});
export type CreateCustomerBody = z.infer<typeof createCustomerBodySchema>;

export const updateCustomerBodySchema = z.object({
  packages: z.array(text(60)).max(20),
  externalId: text(256).min(1).optional(),
  address: apiAddressSchema.optional(),
  provisioningParameters: provisioningParametersSchema.optional(),
  billingStartDate: text(10).optional(),
  effectiveAt,
});
export type UpdateCustomerBody = z.infer<typeof updateCustomerBodySchema>;

export const validateCustomerBodySchema = createCustomerBodySchema.partial().extend({
  address: apiAddressSchema,
  customerInfo: z.object({ name: text(256).optional(), primaryEmail: email, language: text(10).optional() }).optional(),
});
export type ValidateCustomerBody = z.infer<typeof validateCustomerBodySchema>;

const subscriberParametersSchema = z.object({
  firstName: text(64).optional(),
  lastName: text(64).optional(),
  primaryPhoneNumber: text(20).optional(),
  extension: text(10).optional(),
  locationId: text(200).optional(),
});

export const createSubscriberBodySchema = z.object({
  customerId: text(200).min(1, 'is required'),
  email,
  package: text(60).optional(),
  packages: z.array(text(60)).max(5).optional(),
  provisioningParameters: subscriberParametersSchema.optional(),
  effectiveAt,
});
export type CreateSubscriberBody = z.infer<typeof createSubscriberBodySchema>;

export const updateSubscriberBodySchema = z.object({
  package: text(60).optional(),
  packages: z.array(text(60)).max(5).optional(),
  provisioningParameters: subscriberParametersSchema.omit({ firstName: true, lastName: true }).optional(),
  effectiveAt,
});
export type UpdateSubscriberBody = z.infer<typeof updateSubscriberBodySchema>;

export const validateSubscriberBodySchema = createSubscriberBodySchema.partial().extend({
  email,
  provisioningId: text(100).optional(),
  customerInfo: z.object({ primaryEmail: email }).optional(),
});
export type ValidateSubscriberBody = z.infer<typeof validateSubscriberBodySchema>;

export const createTemplateBodySchema = z.object({
  name: text(80).min(1, 'is required'),
  country: text(2),
  language: text(10),
  authMode: z.enum(['webex', 'partner_saml', 'partner_oidc']).default('webex'),
  idpEntityId: text(500).optional(),
  brandName: text(120).min(1, 'is required'),
  pstnProvider: text(120).optional(),
  allowAdminInviteEmails: z.boolean().default(false),
  disableWebexCalling1to1: z.boolean().default(false),
});
export type CreateTemplateBody = z.infer<typeof createTemplateBodySchema>;

const pageQuery = {
  offset: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
  max: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
};

export const listCustomersQuerySchema = z.object({
  externalId: z.string().optional(),
  orgId: z.string().optional(),
  status: z.string().optional().describe('one status or several separated by commas'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
});

export const listSubscribersQuerySchema = z.object({
  customerId: z.string().optional(),
  email: z.string().optional(),
  status: z.string().optional(),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
});

export const listSubPartnersQuerySchema = z.object({ provisioningState: z.enum(['active', 'suspended']).optional(), ...pageQuery });

const errorItem = z.object({ errorCode: z.number().int(), description: z.string() });

export const customerResponseSchema = z.object({
  id: z.string(),
  orgId: z.string().optional(),
  externalId: z.string(),
  provisioningId: z.string(),
  address: apiAddressSchema,
  status: z.enum(CUSTOMER_STATUSES),
  packages: z.array(z.string()),
  resourceDetails: z.object({
    packages: z.array(z.object({ name: z.string(), status: z.string(), warnings: z.array(errorItem), errors: z.array(errorItem) })),
  }),
  customerInfo: z.object({ name: z.string().optional(), primaryEmail: z.string().optional(), language: z.string() }),
  meetingsLocale: z.string(),
  orgCountry: z.string(),
  meetingsCallInNumber: z.string().optional(),
  billingStartDate: z.string().optional(),
  errors: z.array(errorItem),
  warnings: z.array(errorItem),
  created: z.string(),
  lastStatusChange: z.string(),
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
  errors: z.array(errorItem),
  created: z.string(),
  lastStatusChange: z.string(),
});

export const precheckResponseSchema = z.object({
  message: z.literal('success'),
  info: z.object({ infoCode: z.number(), description: z.string() }),
});

export const errorResponseSchema = z.object({ message: z.string(), errors: z.array(errorItem), trackingId: z.string() });

export const createReportBodySchema = z.object({
  billingStartDate: z.string().max(10).optional(),
  billingEndDate: z.string().max(10).optional(),
  type: z.enum(['PARTNER', 'CUSTOMER', 'USER']).optional(),
  category: z.enum(['RECONCILIATION', 'POINT_IN_TIME']).optional(),
  subPartnerOrgId: z.string().max(200).optional(),
});

export const listReportsQuerySchema = z.object({
  billingStartDate: z.string().optional(),
  billingEndDate: z.string().optional(),
  type: z.enum(['PARTNER', 'CUSTOMER', 'USER']).optional(),
  status: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']).optional(),
  sortBy: z.enum(['id', 'billingStartDate', 'billingEndDate', 'status']).optional(),
  subPartnerOrgId: z.string().optional(),
  offset: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
  max: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
});

export const reportIdResponseSchema = z.object({
  id: z.string(),
  billingStartDate: z.string(),
  billingEndDate: z.string(),
  type: z.enum(['PARTNER', 'CUSTOMER', 'USER']),
  category: z.enum(['RECONCILIATION', 'POINT_IN_TIME']),
});

export const reportResponseSchema = reportIdResponseSchema.extend({
  status: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']),
  created: z.string(),
  createdBy: z.string(),
  tempDownloadURL: z.string().optional(),
  errors: z.array(z.object({ code: z.number(), description: z.string() })),
});

export const priceBookBodySchema = z.object({
  effectiveFrom: z.string().max(10),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  items: z
    .array(
      z.object({
        package: z.string().max(60),
        monthlyPrice: z.number().int('must be an integer amount in minor units (cents)').min(0).max(100_000_000),
        sku: z.string().min(1).max(60).optional(),
      }),
    )
    .min(1)
    .max(50),
});

export const invoiceQuerySchema = z.object({
  customerId: z.string().min(1, 'is required'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
});
