import { z } from 'zod';

/**
 * What Webex Wholesale answers, as the desk relies on it: checked at the boundary (src/webex's client)
 * before anything reaches a use-case. The generated types (src/webex/wholesale-api.d.ts) say what
 * Cisco's document declares; these say what the desk needs and refuses a response without. Unknown
 * fields pass (Webex adds fields), and values the desk does not know (a new package, a new status)
 * are kept as text rather than refused: Webex is the authority on its own state.
 */

export const webexErrorSchema = z.object({
  errorCode: z.number().optional(),
  description: z.string().optional(),
});
export type WebexError = z.infer<typeof webexErrorSchema>;

/** A Webex error body: `{message, errors: [{errorCode, description}], trackingId}`, each part optional. */
export const webexErrorBodySchema = z.object({
  message: z.string().optional(),
  errors: z.array(webexErrorSchema).optional(),
  trackingId: z.string().optional(),
});

export const webexCustomerStatuses = [
  'provisioned',
  'provisioned_with_errors',
  'provisioning',
  'updating',
  'deleting',
  'error',
  'pending_rpl_review',
] as const;

export const webexPackageDetailSchema = z.object({
  name: z.string(),
  status: z.string().optional(),
  warnings: z.array(webexErrorSchema).optional(),
  errors: z.array(webexErrorSchema).optional(),
  licenseIds: z.array(z.string()).optional(),
});

export const webexCustomerSchema = z.object({
  id: z.string().min(1),
  orgId: z.string().optional(),
  externalId: z.string().optional(),
  status: z.string().min(1),
  packages: z.array(z.string()).optional(),
  /** As Webex holds it (an import copies it); the fields Cisco's Address schema names. */
  address: z
    .object({
      addressLine1: z.string().optional(),
      addressLine2: z.string().optional(),
      city: z.string().optional(),
      stateOrProvince: z.string().optional(),
      zipOrPostalCode: z.string().optional(),
      country: z.string().optional(),
    })
    .optional(),
  resourceDetails: z.object({ packages: z.array(webexPackageDetailSchema).optional() }).optional(),
  errors: z.array(webexErrorSchema).optional(),
  warnings: z.array(webexErrorSchema).optional(),
});
export type WebexCustomer = z.infer<typeof webexCustomerSchema>;

export const webexCustomerListSchema = z.object({ items: z.array(webexCustomerSchema) });

/** The 202 of a customer create or update: where to poll (only the id is used; the host is never followed). */
export const webexResourceUrlSchema = z.object({ url: z.string().min(1) });

export const webexSubscriberSchema = z.object({
  id: z.string().min(1),
  personId: z.string().optional(),
  email: z.string().min(1),
  customerId: z.string().optional(),
  externalCustomerId: z.string().optional(),
  package: z.string().optional(),
  packages: z.array(z.string()).optional(),
  status: z.string().min(1),
  errors: z.array(webexErrorSchema).optional(),
  created: z.string().optional(),
  lastStatusChange: z.string().optional(),
});
export type WebexSubscriber = z.infer<typeof webexSubscriberSchema>;

export const webexSubscriberListSchema = z.object({ items: z.array(webexSubscriberSchema) });

/** The answer of POST {base}/access_token with grant_type=refresh_token. */
export const webexTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().optional(),
});
export type WebexTokenResponse = z.infer<typeof webexTokenResponseSchema>;

/** Cisco's billing report (GET /wholesale/billing/reports/{id}): the fields reconciliation's fetch path reads. */
export const webexBillingReportSchema = z.object({
  id: z.string().min(1),
  billingStartDate: z.string().optional(),
  billingEndDate: z.string().optional(),
  type: z.string().optional(),
  status: z.string().min(1),
  tempDownloadURL: z.string().optional(),
});
export const webexBillingReportListSchema = z.object({ items: z.array(webexBillingReportSchema) });
/** The answer of POST /wholesale/billing/reports: the new report's id. */
export const webexBillingReportIdSchema = z.object({ id: z.string().min(1) });
