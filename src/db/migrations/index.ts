import type { Migration } from 'kysely';
import * as foundation from './2026-11-21-0900-foundation.js';
import * as provisioning from './2026-11-21-1000-provisioning.js';
import * as billing from './2026-11-21-1100-billing.js';
import * as webhooks from './2026-11-21-1200-webhooks.js';
import * as compliance from './2026-11-21-1300-compliance.js';
import * as bot from './2026-11-21-1400-bot.js';
import * as chatAndDigests from './2026-11-22-0900-chat-and-digests.js';
import * as tasks from './2026-11-30-0900-tasks.js';
import * as screeningListScope from './2026-11-30-1000-screening-list-scope.js';
import * as csvFormulas from './2026-11-30-1100-csv-formulas.js';
import * as deliveryCancelled from './2026-11-30-1210-delivery-cancelled.js';
import * as secretRotation from './2026-11-30-1250-secret-rotation.js';
import * as billingFrom from './2026-11-30-1300-billing-from.js';
import * as addonsAndWorkspaces from './2026-11-30-1310-addons-and-workspaces.js';
import * as screeningCoverage from './2026-11-30-1330-screening-coverage.js';
import * as upstream from './2026-11-30-1340-upstream.js';
import * as reconciliations from './2026-11-30-1350-reconciliations.js';
import * as invoicePolicies from './2026-11-30-1351-invoice-policies.js';
import * as upstreamSync from './2026-11-30-1410-upstream-sync.js';
import * as reconciliationDifferenceIndex from './2026-11-30-1420-reconciliation-difference-index.js';
import * as consoleSessions from './2026-11-30-1440-console-sessions.js';
import * as auditLogPartnerTime from './2026-11-30-1500-audit-log-partner-time.js';
import * as listFilterIndexes from './2026-12-06-1000-list-filter-indexes.js';
import * as customerCreatedPackages from './2026-12-06-1010-customer-created-packages.js';
import * as screeningInDatabase from './2026-12-06-1100-screening-in-database.js';
import * as signInsPerClient from './2026-12-06-1200-sign-ins-per-client.js';
import * as subscriberEmailPerPartner from './2026-12-06-1210-subscriber-email-per-partner.js';
import * as heldTasks from './2026-12-06-1300-held-tasks.js';
import * as upstreamOrgResources from './2026-12-06-1400-upstream-org-resources.js';
import * as issuedInvoices from './2026-12-06-1500-issued-invoices.js';
import * as reportColumns from './2026-12-06-1700-report-columns.js';
import * as releaseHistory from './2026-12-06-1710-release-history.js';
import * as webhookDisabled from './2026-12-06-1720-webhook-disabled.js';
import * as reportChunksLz4 from './2026-12-07-1200-report-chunks-lz4.js';
import * as scaleReadIndexes from './2026-12-07-1300-scale-read-indexes.js';
import * as customerMonthCharges from './2026-12-08-0200-customer-month-charges.js';
import * as workspacesCustomerIndex from './2026-12-08-0210-workspaces-customer-index.js';
import * as liveRowCounts from './2026-12-08-0300-live-row-counts.js';

/** Explicit, ordered index: no directory scanning, so tsx, vitest and builds all see the same list. */
export const migrations: Record<string, Migration> = {
  '2026-11-21-0900-foundation': foundation,
  '2026-11-21-1000-provisioning': provisioning,
  '2026-11-21-1100-billing': billing,
  '2026-11-21-1200-webhooks': webhooks,
  '2026-11-21-1300-compliance': compliance,
  '2026-11-21-1400-bot': bot,
  '2026-11-22-0900-chat-and-digests': chatAndDigests,
  '2026-11-30-0900-tasks': tasks,
  '2026-11-30-1000-screening-list-scope': screeningListScope,
  '2026-11-30-1100-csv-formulas': csvFormulas,
  '2026-11-30-1210-delivery-cancelled': deliveryCancelled,
  '2026-11-30-1250-secret-rotation': secretRotation,
  '2026-11-30-1300-billing-from': billingFrom,
  '2026-11-30-1310-addons-and-workspaces': addonsAndWorkspaces,
  '2026-11-30-1330-screening-coverage': screeningCoverage,
  '2026-11-30-1340-upstream': upstream,
  '2026-11-30-1350-reconciliations': reconciliations,
  '2026-11-30-1351-invoice-policies': invoicePolicies,
  '2026-11-30-1410-upstream-sync': upstreamSync,
  '2026-11-30-1420-reconciliation-difference-index': reconciliationDifferenceIndex,
  '2026-11-30-1440-console-sessions': consoleSessions,
  '2026-11-30-1500-audit-log-partner-time': auditLogPartnerTime,
  '2026-12-06-1000-list-filter-indexes': listFilterIndexes,
  '2026-12-06-1010-customer-created-packages': customerCreatedPackages,
  '2026-12-06-1100-screening-in-database': screeningInDatabase,
  '2026-12-06-1200-sign-ins-per-client': signInsPerClient,
  '2026-12-06-1210-subscriber-email-per-partner': subscriberEmailPerPartner,
  '2026-12-06-1300-held-tasks': heldTasks,
  '2026-12-06-1400-upstream-org-resources': upstreamOrgResources,
  '2026-12-06-1500-issued-invoices': issuedInvoices,
  '2026-12-06-1700-report-columns': reportColumns,
  '2026-12-06-1710-release-history': releaseHistory,
  '2026-12-06-1720-webhook-disabled': webhookDisabled,
  '2026-12-07-1200-report-chunks-lz4': reportChunksLz4,
  '2026-12-07-1300-scale-read-indexes': scaleReadIndexes,
  '2026-12-08-0200-customer-month-charges': customerMonthCharges,
  '2026-12-08-0210-workspaces-customer-index': workspacesCustomerIndex,
  '2026-12-08-0300-live-row-counts': liveRowCounts,
};
