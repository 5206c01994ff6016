/**
 * The records use-cases hand to the edges, which present them; the edges name them from here so
 * that they never import `src/db`.
 */
export type { BillingReportRow, CustomerRow, PartnerRow, ReviewRow, SubscriberRow, TemplateRow } from '../db/schema.js';
