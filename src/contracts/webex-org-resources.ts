import { z } from 'zod';

/**
 * What Webex answers on a customer's org beside the Wholesale API (`/organizations`, `/locations`,
 * `/workspaces`; Cisco's document: test/fixtures/webex-locations-workspaces.openapi.json), as the desk
 * relies on it. Unknown fields pass. Cisco's `Location` schema calls the name `displayName` where the
 * live API answers `name`: either is read.
 */
export const webexOrganizationSchema = z.object({ id: z.string(), displayName: z.string().optional() });
export type WebexOrganization = z.infer<typeof webexOrganizationSchema>;

export const webexLocationSchema = z
  .object({ id: z.string(), name: z.string().optional(), displayName: z.string().optional() })
  .transform((l) => ({ id: l.id, name: l.name ?? l.displayName ?? '' }));
export type WebexLocation = z.output<typeof webexLocationSchema>;
export const webexLocationListSchema = z.object({ items: z.array(webexLocationSchema) });
export const webexCreatedIdSchema = z.object({ id: z.string() });

export const webexWorkspaceSchema = z.object({
  id: z.string(),
  orgId: z.string().optional(),
  displayName: z.string(),
  locationId: z.string().optional(),
  calling: z.object({ type: z.string().optional() }).optional(),
});
export type WebexWorkspace = z.infer<typeof webexWorkspaceSchema>;
export const webexWorkspaceListSchema = z.object({ items: z.array(webexWorkspaceSchema) });
