import { z } from 'zod';
import { AUTH_MODES } from '../domain/auth-modes.js';
import { PARTNER_STATES } from '../domain/partner-states.js';
import { pageQuery, text } from './common.js';

export const listSubPartnersQuerySchema = z.object({ provisioningState: z.enum(['active', 'suspended']).optional(), ...pageQuery });

/** GET /v1/wholesale/subPartners: one sub-partner, with the subscription its billing reports carry. */
export const subPartnerResponseSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  subscriptionId: z.string().describe("The root partner's subscription, shared by every sub-partner; '' when it has none"),
  provisioningState: z.enum(PARTNER_STATES),
  created: z.string().describe('ISO 8601 instant, UTC'),
  billingStartDate: z.string().optional().describe('YYYY-MM-DD: usage is billed from this day; absent when not set'),
});
export type SubPartnerResponse = z.infer<typeof subPartnerResponseSchema>;

export const createTemplateBodySchema = z.object({
  name: text(80).min(1, 'is required'),
  country: text(2),
  language: text(10),
  authMode: z.enum(['webex', 'partner_saml', 'partner_oidc']).default('webex'),
  idpEntityId: text(500).optional(),
  brandName: text(120).min(1, 'is required'),
  pstnProvider: text(120).optional(),
  // Partner Hub's "Restrict admin-invite emails when attaching to existing orgs" is off by default: allowed.
  allowAdminInviteEmails: z.boolean().default(true).describe('Required true to attach existing orgs (orgId); default true'),
  disableWebexCalling1to1: z.boolean().default(false),
});

/** An onboarding template (GET and POST /v1/wholesale/onboardingTemplates): customers are created under its provisioningId. */
export const templateResponseSchema = z.object({
  provisioningId: z.string(),
  name: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2: the default country of customers created under it'),
  language: z.string().describe('A five-character locale (en_US): the default language of customers created under it'),
  authMode: z.enum(AUTH_MODES),
  idpEntityId: z.string().optional().describe('With authMode partner_saml or partner_oidc: the identity provider'),
  brandName: z.string(),
  pstnProvider: z.string().optional(),
  allowAdminInviteEmails: z.boolean(),
  disableWebexCalling1to1: z.boolean(),
  created: z.string().describe('ISO 8601 instant, UTC'),
});
export type TemplateResponse = z.infer<typeof templateResponseSchema>;
