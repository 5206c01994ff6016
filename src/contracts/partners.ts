import { z } from 'zod';
import { pageQuery, text } from './common.js';

export const listSubPartnersQuerySchema = z.object({ provisioningState: z.enum(['active', 'suspended']).optional(), ...pageQuery });

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
