import { z } from 'zod';
import { ALL_SCOPES } from '../domain/scopes.js';
import { STAFF_ROLES } from '../domain/staff-roles.js';

/** PUT /v1/console/access/staff: add a person to the partner's staff or change their role. */
export const setStaffBodySchema = z
  .object({
    email: z.string().trim().min(3, 'an email address').max(320),
    role: z.enum(STAFF_ROLES, { error: `role must be one of ${STAFF_ROLES.join(', ')}` }),
  })
  .strict();

/** POST /v1/console/access/tokens: a new API token of the partner. */
export const createTokenBodySchema = z
  .object({
    name: z.string().trim().min(1, 'give the token a name, e.g. billing-system').max(100),
    scopes: z
      .array(z.enum(ALL_SCOPES, { error: `each scope is one of ${ALL_SCOPES.join(', ')}` }))
      .min(1, 'choose at least one scope')
      .max(ALL_SCOPES.length * 2),
  })
  .strict();

export interface StaffEntryResponse {
  id: string;
  email: string;
  role: (typeof STAFF_ROLES)[number];
  displayName: string | null;
}

export interface TokenEntryResponse {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created: string;
  revoked: string | null;
}
