import { z } from 'zod';
import { CUSTOMER_STATUSES } from '../domain/lifecycle.js';
import {
  apiAddressSchema,
  effectiveAtSchema,
  email,
  errorItemSchema,
  civilDateInput,
  pageQuery,
  cursorQuery,
  queryList,
  text,
} from './common.js';

const locationSchema = z.object({
  name: text(80).min(1, 'is required'),
  address: apiAddressSchema,
  timezone: text(64).optional(),
  language: text(10).optional(),
  emergencyLocationIdentifier: text(80).optional(),
});

/** Where one of a customer's packages stands (resourceDetails.packages[].status), from the customer's status. */
export const PACKAGE_STATUSES = ['provisioning', 'provisioned', 'deleting', 'error'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

export const provisioningParametersSchema = z.object({
  calling: z.object({ location: locationSchema }).optional(),
  meetings: z.object({ timezone: text(64).optional() }).optional(),
  packages: z.object({ limits: z.record(z.string(), z.number().int().min(0).max(1_000_000)) }).optional(),
});

export const createCustomerBodySchema = z.object({
  provisioningId: text(100).min(1, 'is required'),
  packages: z.array(text(60)).max(20),
  orgId: text(200).optional(),
  externalId: text(256).min(1, 'is required'),
  address: apiAddressSchema,
  customerInfo: z.object({ name: text(256).min(1, 'is required'), primaryEmail: email, language: text(10).optional() }).optional(),
  provisioningParameters: provisioningParametersSchema.optional(),
  subPartnerAdminEmail: email.optional(),
  billingStartDate: civilDateInput().optional(),
  effectiveAt: effectiveAtSchema,
});

export const updateCustomerBodySchema = z.object({
  packages: z.array(text(60)).max(20).optional().describe('the complete list; left out, the packages stay as they are'),
  /** Only for an attached org that has no name yet: it is screened on this name. */
  customerInfo: z.object({ name: text(256).min(1, 'is required') }).optional(),
  externalId: text(256).min(1).optional(),
  address: apiAddressSchema.optional(),
  provisioningParameters: provisioningParametersSchema.optional(),
  billingStartDate: civilDateInput().optional(),
  effectiveAt: effectiveAtSchema,
});

export const validateCustomerBodySchema = createCustomerBodySchema.partial().extend({
  address: apiAddressSchema,
  customerInfo: z.object({ name: text(256).optional(), primaryEmail: email, language: text(10).optional() }).optional(),
});

export const listCustomersQuerySchema = z.object({
  externalId: z.string().optional(),
  orgId: z.string().optional(),
  status: queryList('Customer API status'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
  ...cursorQuery,
});

/** `GET /customers/{customerId}`: Cisco's two parameters. */
export const getCustomerQuerySchema = z.object({
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  includePackageLicenseInfo: z
    .enum(['true', 'false'], 'must be true or false')
    .optional()
    .describe('true: each provisioned package in resourceDetails carries its licenseIds'),
});

export const customerResponseSchema = z.object({
  id: z.string(),
  orgId: z.string().optional(),
  externalId: z.string(),
  provisioningId: z.string(),
  address: apiAddressSchema,
  status: z.enum(CUSTOMER_STATUSES),
  packages: z.array(z.string()),
  resourceDetails: z.object({
    packages: z.array(
      z.object({
        name: z.string(),
        status: z.enum(PACKAGE_STATUSES),
        warnings: z.array(errorItemSchema),
        errors: z.array(errorItemSchema),
        licenseIds: z.array(z.string()).optional(),
      }),
    ),
  }),
  customerInfo: z.object({ name: z.string().optional(), primaryEmail: z.string().optional(), language: z.string() }),
  meetingsLocale: z.string(),
  orgCountry: z.string(),
  meetingsCallInNumber: z.string().optional(),
  billingStartDate: z.string().optional(),
  errors: z.array(errorItemSchema),
  warnings: z.array(errorItemSchema),
  created: z.string(),
  lastStatusChange: z.string(),
});
export type CustomerResponse = z.infer<typeof customerResponseSchema>;

/** A customer's calling location (ours: Webex's customer API does not list them): HQ first, then branches. */
export const locationResponseSchema = z.object({
  id: z.string().describe("give it as a subscriber's provisioningParameters.locationId"),
  name: z.string(),
  address: apiAddressSchema,
  timezone: z.string(),
  language: z.string(),
  emergencyLocationIdentifier: z.string().optional(),
  headquarters: z.boolean(),
  created: z.string(),
  status: z
    .enum(['provisioning', 'provisioned', 'error'])
    .optional()
    .describe('Upstream mode: provisioning until Webex has it (POST /locations on the customer’s org), error when Webex refused it'),
  errors: z.array(z.object({ errorCode: z.number(), description: z.string() })).optional(),
  webexLocationId: z.string().optional().describe("Upstream mode: the location's id in Webex"),
});
export type LocationResponse = z.infer<typeof locationResponseSchema>;
