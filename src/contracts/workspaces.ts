import { z } from 'zod';
import { effectiveAtSchema, pageQuery, text } from './common.js';

/**
 * Workspaces are the desk's own resource (the public Wholesale API has none): a customer's shared
 * device (lobby, hallway, door phone) holding Common Area Calling, billed in USER reports with
 * WORKSPACE_ID. Same scopes as subscribers.
 */
export const createWorkspaceBodySchema = z.object({
  customerId: text(200).min(1, 'is required'),
  name: text(100).min(1, 'is required').describe('Unique among the customer’s workspaces (case-insensitive)'),
  provisioningParameters: z
    .object({
      primaryPhoneNumber: text(20).optional(),
      extension: text(10).optional(),
      locationId: text(200).optional().describe('One of the customer’s locations; default: its first (headquarters)'),
    })
    .optional()
    .describe('A phone number, an extension or both are required (Common Area Calling is a calling package)'),
  effectiveAt: effectiveAtSchema,
});

export const listWorkspacesQuerySchema = z.object({
  customerId: z.string().optional(),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
});

export const workspaceResponseSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  externalCustomerId: z.string(),
  name: z.string(),
  packages: z.array(z.string()),
  status: z
    .enum(['provisioning', 'provisioned', 'deleting', 'error'])
    .describe('Upstream mode: provisioning/deleting while a task carries it to Webex; error when Webex refused it (see errors)'),
  errors: z.array(z.object({ errorCode: z.number(), description: z.string() })).optional(),
  webexWorkspaceId: z.string().optional().describe("Upstream mode: the workspace's id in Webex"),
  primaryPhoneNumber: z.string().optional(),
  extension: z.string().optional(),
  locationId: z.string().optional(),
  created: z.string(),
});
export type WorkspaceResponse = z.infer<typeof workspaceResponseSchema>;
