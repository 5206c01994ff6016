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

/** A staff entry of the partner, as GET /v1/console/access/staff lists it. */
export const staffEntrySchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(STAFF_ROLES),
  displayName: z.string().nullable(),
});
export type StaffEntryResponse = z.infer<typeof staffEntrySchema>;

export const staffListSchema = z.object({ items: z.array(staffEntrySchema) });

/** PUT /v1/console/access/staff: the saved entry. */
export const staffSavedSchema = staffEntrySchema.pick({ id: true, email: true, role: true });

/** An API token of the partner, as listed (never the token itself). */
export const tokenEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  created: z.string(),
  revoked: z.string().nullable(),
});
export type TokenEntryResponse = z.infer<typeof tokenEntrySchema>;

export const tokenListSchema = z.object({
  items: z.array(tokenEntrySchema),
  grantable: z.array(z.string()).describe('the scopes the caller holds, hence may grant'),
});

/** POST /v1/console/access/tokens: the new token, shown this once. */
export const tokenCreatedSchema = z.object({ id: z.string(), token: z.string(), scopes: z.array(z.enum(ALL_SCOPES)) });
