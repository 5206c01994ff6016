import { z } from 'zod';
import { pageQuery } from './common.js';

/** POST /v1/upstream/sync: what one sync with Webex Wholesale read, imported and found. */
export const syncSummarySchema = z.object({
  mode: z.enum(['import', 'drift']).describe("import: the partner's first sync, which imports what only Webex has; drift: a later one"),
  webexCustomers: z.number().int(),
  webexSubscribers: z.number().int(),
  customersImported: z.number().int(),
  subscribersImported: z.number().int(),
  subscribersSkipped: z.number().int().describe('not imported: a live subscriber of another partner has the email'),
  customersLinked: z.number().int().describe("the desk's customers matched to Webex's by externalId for the first time"),
  subscribersLinked: z.number().int(),
  inTransition: z.number().int().describe('left out of the comparison: being provisioned, updated or deleted'),
  drift: z.object({
    only_webex: z.number().int(),
    only_desk: z.number().int(),
    status: z.number().int(),
    packages: z.number().int(),
  }),
  openDrift: z.number().int().describe('drift items open after this run'),
});

const driftStateSchema = z.object({ status: z.string(), packages: z.array(z.string()) }).nullable();

/** One difference between the desk and Webex. */
export const driftItemSchema = z.object({
  id: z.string(),
  entityType: z.enum(['customer', 'subscriber', 'workspace', 'location']),
  kind: z.enum(['only_webex', 'only_desk', 'status', 'packages']),
  subject: z.string().describe("the customer's externalId, the subscriber's email, or a workspace's or location's `<externalId>/<name>`"),
  customerExternalId: z.string().nullable(),
  deskId: z.string().nullable(),
  webexId: z.string().nullable(),
  desk: driftStateSchema,
  webex: driftStateSchema,
  status: z.enum(['open', 'resolved']),
  resolution: z.enum(['adopt', 'push', 'gone']).nullable().describe('gone: a later sync no longer found the difference'),
  resolvedBy: z.string().nullable(),
  detected: z.string(),
  lastSeen: z.string(),
  resolved: z.string().nullable(),
});

export const listDriftQuerySchema = z.object({
  status: z.enum(['open', 'resolved']).optional().describe('open (default) or resolved'),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
  ...pageQuery,
});

/** GET /v1/console/upstream/last-sync: the partner's latest sync with Webex, or null before the first. */
export const lastSyncResponseSchema = z.object({
  lastSync: z
    .object({
      id: z.string(),
      mode: z.enum(['import', 'drift']),
      started: z.string(),
      finished: z.string(),
      startedBy: z.string(),
      summary: syncSummarySchema.partial().describe('what the run read, imported and found (as POST /v1/upstream/sync answered)'),
    })
    .nullable(),
});
export type LastSyncResponse = z.infer<typeof lastSyncResponseSchema>;

/** POST /v1/upstream/sync (202, Location) and GET /v1/upstream/syncs/{id}: a sync run in the background, with its progress. */
export const syncRunSchema = z.object({
  id: z.string(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed']),
  requestedBy: z.string(),
  requested: z.string(),
  started: z.string().nullable(),
  finished: z.string().nullable(),
  progress: z.object({
    pagesRead: z.number().int().describe('pages of Webex customers and subscribers read so far'),
    customersSeen: z.number().int(),
    subscribersSeen: z.number().int(),
    orgNamesRead: z.number().int().describe("imported customers' names read from their orgs (GET /organizations/{orgId})"),
    customersImported: z.number().int(),
    subscribersImported: z.number().int(),
    driftFound: z.number().int(),
  }),
  summary: syncSummarySchema.partial().nullable().describe('once succeeded: what the run read, imported and found'),
  errors: z.array(z.string()).describe('why it failed (Webex unavailable or refusing, standalone)'),
});
