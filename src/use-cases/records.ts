/**
 * The stored records use-cases hand to the edges, by the names the edges use: the edges read these
 * types from here, never from `src/db`.
 */
export type {
  BillingReportRow,
  CustomerRow,
  DriftRow,
  LocationRow,
  PartnerRow,
  ReviewRow,
  SubscriberRow,
  TemplateRow,
  WorkspaceRow,
} from '../db/schema.js';
