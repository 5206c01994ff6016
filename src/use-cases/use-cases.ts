import type { Store } from './store.js';
import { nameAuditEntries, searchAudit } from './audit-log-search.js';
import { recordAudit } from './audit-trail.js';
import { findTokenHolder } from './authenticate-token.js';
import { findDownloadableReport, listBillingReports } from './billing-report-queries.js';
import { getReport, removeReport } from './billing-reports.js';
import {
  createReportAnswering,
  findCompletedReportAnswering,
  generateReportAnswering,
  regenerateReportAnswering,
} from './billing-report-responses.js';
import { bindChatSpace, identifyChatActor } from './chat-actors.js';
import { countCustomerSubscribers, findCustomerByReference, findSubscriberByEmail } from './chat-lookups.js';
import { storeProposal, takeProposal } from './chat-proposals.js';
import { isStoreReachable } from './check-readiness.js';
import {
  approveReview,
  enforceComplianceDeadlines,
  findOpenReviewOfCustomer,
  listReviewQueue,
  listReviews,
  recordContactAttempt,
  rejectReview,
} from './compliance-reviews.js';
import { listConsoleCustomers, loadConsoleCustomer } from './console-customers.js';
import { postConsoleMessages, readConsoleInbox } from './console-inbox.js';
import { beginOidcSignIn, closeConsoleSession, openConsoleSession, resumeConsoleSession, takeSignInState } from './console-sessions.js';
import { validateSubscriber } from './create-subscriber.js';
import {
  createCustomer,
  deleteCustomerRequest,
  findCustomers,
  getCustomer,
  getCustomerLocations,
  updateCustomerRequest,
} from './customers.js';
import { loadDashboard } from './dashboard.js';
import { refreshStaleMonthCharges } from './partner-charges.js';
import { listDataNotices } from './data-notices.js';
import { loadDailyDigest, prepareMonthlyDigest } from './digest-data.js';
import { claimDigestRun, finishDigestRun, listOwedDigestRuns } from './digest-runs.js';
import { listDigestSubscriptions, removeDigestSubscription, setDigestSubscription } from './digest-subscriptions.js';
import { applySubscriberImport, checkSubscriberImport } from './import-subscribers.js';
import {
  countInboundEvents,
  findEventIntakePartnerId,
  listParkedInboundEvents,
  replayFailedInboundEvent,
  storeInboundEvents,
  storeInboundEventsSeparately,
} from './inbound-events.js';
import { getInvoice, getPriceBook, putPriceBook } from './invoices.js';
import { issueInvoicesForMonth } from './issue-invoices.js';
import { listPendingAdjustments } from './list-invoice-adjustments.js';
import { createTemplate, listTemplatesOf } from './onboarding-templates.js';
import {
  addStaff,
  addSubPartner,
  createApiToken,
  describePartner,
  listStaffOf,
  listTokens,
  loadRootPartner,
  revokeToken,
  setCallInNumbers,
  setDelayedBilling,
  setSubPartnerBillingStart,
  setSubPartnerState,
} from './operator-admin.js';
import {
  createPartnerToken,
  listPartnerStaff,
  listPartnerTokens,
  removePartnerStaff,
  revokePartnerToken,
  setPartnerStaff,
} from './partner-access.js';
import { customerExternalId, listSubPartnersOf, listUsableTemplates } from './partner-listings.js';
import { loadQueueStats } from './queue-stats.js';
import { findIssuedInvoiceFor, getIssuedInvoice, listIssuedInvoices } from './read-issued-invoices.js';
import { findSubscribers, getSubscriber } from './read-subscribers.js';
import { reconcileFromWebex } from './reconcile-from-webex.js';
import {
  describePackageDifferences,
  differencesCsv,
  differencesCsvText,
  findPartnerReconciliation,
  getLargestDifferences,
  getReconciliationLines,
  getReconciliationSummary,
  listPartnerReconciliations,
  reconcileBillingReport,
} from './reconciliations.js';
import { deleteSubscriberRequest, validateSubscriberRemoval } from './remove-subscriber.js';
import { csvStream, reportCsvText } from './report-csv.js';
import { createSubscriberAnswering, updateSubscriberAnswering } from './subscriber-responses.js';
import { resolveActingPartner } from './resolve-acting-partner.js';
import { createDeliveryLanes } from './run-delivery-batch.js';
import { runInboxBatch } from './run-inbox-batch.js';
import { runScheduledInvoiceIssue } from './run-scheduled-invoice-issue.js';
import { runTaskBatch } from './run-task-batch.js';
import { describeScreening, loadScreeningList } from './screening-list.js';
import { reencryptSecrets, rotateDownloadKey } from './signing-keys.js';
import { runScheduledSync, syncEveryPartner } from './sync-every-partner.js';
import { countStoppedTasks, listTasks, retryTask, retryTasks } from './task-retries.js';
import { validateSubscriberUpdate } from './update-subscriber.js';
import { createRefreshTokenStore } from './upstream-credentials.js';
import { findOpenDriftId, getLastSyncRun, listDrift, resolveDriftItem } from './upstream-drift.js';
import { loadUpstreamHealth } from './upstream-health.js';
import { precheckCustomer, precheckSubscriber, resendConsentEmail } from './upstream-requests.js';
import { getLatestSyncRun, getSyncRun, requestSync } from './upstream-sync-runs.js';
import { claimWebexEventForHandling, finishWebexEvent, recordWebexEvent, takeStoredWebexEvents } from './webex-inbox.js';
import {
  createWebhookSubscription,
  listWebhookDeliveries,
  listWebhookDeliveryAttempts,
  listWebhookSubscriptions,
  removeWebhookSubscription,
  replayDeadDelivery,
} from './webhook-subscriptions.js';
import { createWorkspace, deleteWorkspaceRequest, findWorkspaces, getWorkspace, validateWorkspace } from './workspaces.js';

/**
 * The use-case façade: what the edges (api, bot, jobs, webhooks, webex, cli) call. The composition root
 * (src/app.ts, src/start-service.ts, src/cli-direct.ts) builds it once from the database handle; edges
 * receive it and never the handle, so no edge can build a query (`npm run lint:edges` checks that no
 * value an edge touches is typed by kysely). Each entry is the use-case function with the store bound:
 * `findCustomers(db, actor, query)` is called `useCases.findCustomers(actor, query)`, with the same
 * parameter and result types otherwise.
 */
export function createUseCases(deps: { db: Store }) {
  const bind = bindStore(deps.db);
  return {
    // audit-log-search.ts
    nameAuditEntries: bind(nameAuditEntries),
    searchAudit: bind(searchAudit),
    // audit-trail.ts
    recordAudit: bind(recordAudit),
    // authenticate-token.ts
    findTokenHolder: bind(findTokenHolder),
    // billing-report-queries.ts
    findDownloadableReport: bind(findDownloadableReport),
    listBillingReports: bind(listBillingReports),
    // billing-reports.ts (answering the contract's report id or a chat view: billing-report-responses.ts)
    createReport: bind(createReportAnswering),
    findCompletedReportFor: bind(findCompletedReportAnswering),
    generateReport: bind(generateReportAnswering),
    getReport: bind(getReport),
    removeReport: bind(removeReport),
    // chat-actors.ts
    bindChatSpace: bind(bindChatSpace),
    identifyChatActor: bind(identifyChatActor),
    // chat-lookups.ts
    countCustomerSubscribers: bind(countCustomerSubscribers),
    findCustomerByReference: bind(findCustomerByReference),
    findSubscriberByEmail: bind(findSubscriberByEmail),
    // chat-proposals.ts
    storeProposal: bind(storeProposal),
    takeProposal: bind(takeProposal),
    // check-readiness.ts
    isStoreReachable: bind(isStoreReachable),
    // compliance-reviews.ts
    approveReview: bind(approveReview),
    enforceComplianceDeadlines: bind(enforceComplianceDeadlines),
    findOpenReviewOfCustomer: bind(findOpenReviewOfCustomer),
    listReviewQueue: bind(listReviewQueue),
    listReviews: bind(listReviews),
    recordContactAttempt: bind(recordContactAttempt),
    rejectReview: bind(rejectReview),
    // console-customers.ts
    listConsoleCustomers: bind(listConsoleCustomers),
    loadConsoleCustomer: bind(loadConsoleCustomer),
    // console-inbox.ts
    postConsoleMessages: bind(postConsoleMessages),
    readConsoleInbox: bind(readConsoleInbox),
    // console-sessions.ts
    beginOidcSignIn: bind(beginOidcSignIn),
    closeConsoleSession: bind(closeConsoleSession),
    openConsoleSession: bind(openConsoleSession),
    resumeConsoleSession: bind(resumeConsoleSession),
    takeSignInState: bind(takeSignInState),
    // create-subscriber.ts (createSubscriber answers the contract's subscriber: subscriber-responses.ts)
    createSubscriber: bind(createSubscriberAnswering),
    validateSubscriber: bind(validateSubscriber),
    // customers.ts
    createCustomer: bind(createCustomer),
    deleteCustomerRequest: bind(deleteCustomerRequest),
    findCustomers: bind(findCustomers),
    getCustomer: bind(getCustomer),
    getCustomerLocations: bind(getCustomerLocations),
    updateCustomerRequest: bind(updateCustomerRequest),
    // dashboard.ts
    loadDashboard: bind(loadDashboard),
    // partner-charges.ts
    refreshStaleMonthCharges: bind(refreshStaleMonthCharges),
    // data-notices.ts
    listDataNotices: bind(listDataNotices),
    // digest-data.ts
    loadDailyDigest: bind(loadDailyDigest),
    prepareMonthlyDigest: bind(prepareMonthlyDigest),
    // digest-runs.ts
    claimDigestRun: bind(claimDigestRun),
    finishDigestRun: bind(finishDigestRun),
    listOwedDigestRuns: bind(listOwedDigestRuns),
    // digest-subscriptions.ts
    listDigestSubscriptions: bind(listDigestSubscriptions),
    removeDigestSubscription: bind(removeDigestSubscription),
    setDigestSubscription: bind(setDigestSubscription),
    // import-subscribers.ts
    applySubscriberImport: bind(applySubscriberImport),
    checkSubscriberImport: bind(checkSubscriberImport),
    // inbound-events.ts
    countInboundEvents: bind(countInboundEvents),
    findEventIntakePartnerId: bind(findEventIntakePartnerId),
    listParkedInboundEvents: bind(listParkedInboundEvents),
    replayFailedInboundEvent: bind(replayFailedInboundEvent),
    storeInboundEvents: bind(storeInboundEvents),
    storeInboundEventsSeparately: bind(storeInboundEventsSeparately),
    // invoices.ts
    getInvoice: bind(getInvoice),
    getPriceBook: bind(getPriceBook),
    putPriceBook: bind(putPriceBook),
    // issue-invoices.ts
    issueInvoicesForMonth: bind(issueInvoicesForMonth),
    // list-invoice-adjustments.ts
    listPendingAdjustments: bind(listPendingAdjustments),
    // onboarding-templates.ts
    createTemplate: bind(createTemplate),
    listTemplatesOf: bind(listTemplatesOf),
    // operator-admin.ts
    addStaff: bind(addStaff),
    addSubPartner: bind(addSubPartner),
    createApiToken: bind(createApiToken),
    describePartner: bind(describePartner),
    listStaffOf: bind(listStaffOf),
    listTokens: bind(listTokens),
    loadRootPartner: bind(loadRootPartner),
    revokeToken: bind(revokeToken),
    setCallInNumbers: bind(setCallInNumbers),
    setDelayedBilling: bind(setDelayedBilling),
    setSubPartnerBillingStart: bind(setSubPartnerBillingStart),
    setSubPartnerState: bind(setSubPartnerState),
    // partner-access.ts
    createPartnerToken: bind(createPartnerToken),
    listPartnerStaff: bind(listPartnerStaff),
    listPartnerTokens: bind(listPartnerTokens),
    removePartnerStaff: bind(removePartnerStaff),
    revokePartnerToken: bind(revokePartnerToken),
    setPartnerStaff: bind(setPartnerStaff),
    // partner-listings.ts
    customerExternalId: bind(customerExternalId),
    listSubPartnersOf: bind(listSubPartnersOf),
    listUsableTemplates: bind(listUsableTemplates),
    // queue-stats.ts
    loadQueueStats: bind(loadQueueStats),
    // read-issued-invoices.ts
    findIssuedInvoiceFor: bind(findIssuedInvoiceFor),
    getIssuedInvoice: bind(getIssuedInvoice),
    listIssuedInvoices: bind(listIssuedInvoices),
    // read-subscribers.ts
    findSubscribers: bind(findSubscribers),
    getSubscriber: bind(getSubscriber),
    // reconcile-from-webex.ts
    reconcileFromWebex: bind(reconcileFromWebex),
    // reconciliations.ts
    describePackageDifferences: bind(describePackageDifferences),
    differencesCsv: bind(differencesCsv),
    differencesCsvText: bind(differencesCsvText),
    findPartnerReconciliation: bind(findPartnerReconciliation),
    getLargestDifferences: bind(getLargestDifferences),
    getReconciliationLines: bind(getReconciliationLines),
    getReconciliationSummary: bind(getReconciliationSummary),
    listPartnerReconciliations: bind(listPartnerReconciliations),
    reconcileBillingReport: bind(reconcileBillingReport),
    // remove-subscriber.ts
    deleteSubscriberRequest: bind(deleteSubscriberRequest),
    validateSubscriberRemoval: bind(validateSubscriberRemoval),
    // report-csv.ts
    csvStream: bind(csvStream),
    reportCsvText: bind(reportCsvText),
    // report-staleness.ts (answering the contract's report id: billing-report-responses.ts)
    regenerateReport: bind(regenerateReportAnswering),
    // resolve-acting-partner.ts
    resolveActingPartner: bind(resolveActingPartner),
    // run-delivery-batch.ts
    createDeliveryLanes: bind(createDeliveryLanes),
    // run-inbox-batch.ts
    runInboxBatch: bind(runInboxBatch),
    // run-scheduled-invoice-issue.ts
    runScheduledInvoiceIssue: bind(runScheduledInvoiceIssue),
    // run-task-batch.ts
    runTaskBatch: bind(runTaskBatch),
    // screening-list.ts
    describeScreening: bind(describeScreening),
    loadScreeningList: bind(loadScreeningList),
    // signing-keys.ts
    reencryptSecrets: bind(reencryptSecrets),
    rotateDownloadKey: bind(rotateDownloadKey),
    // sync-every-partner.ts
    runScheduledSync: bind(runScheduledSync),
    syncEveryPartner: bind(syncEveryPartner),
    // task-retries.ts
    countStoppedTasks: bind(countStoppedTasks),
    listTasks: bind(listTasks),
    retryTask: bind(retryTask),
    retryTasks: bind(retryTasks),
    // update-subscriber.ts (updateSubscriberRequest answers the contract's subscriber: subscriber-responses.ts)
    updateSubscriberRequest: bind(updateSubscriberAnswering),
    validateSubscriberUpdate: bind(validateSubscriberUpdate),
    // upstream-credentials.ts
    createRefreshTokenStore: bind(createRefreshTokenStore),
    // upstream-drift.ts
    findOpenDriftId: bind(findOpenDriftId),
    getLastSyncRun: bind(getLastSyncRun),
    listDrift: bind(listDrift),
    resolveDriftItem: bind(resolveDriftItem),
    // upstream-health.ts
    loadUpstreamHealth: bind(loadUpstreamHealth),
    // upstream-requests.ts
    precheckCustomer: bind(precheckCustomer),
    precheckSubscriber: bind(precheckSubscriber),
    resendConsentEmail: bind(resendConsentEmail),
    // upstream-sync-runs.ts
    getLatestSyncRun: bind(getLatestSyncRun),
    getSyncRun: bind(getSyncRun),
    requestSync: bind(requestSync),
    // webex-inbox.ts
    claimWebexEventForHandling: bind(claimWebexEventForHandling),
    finishWebexEvent: bind(finishWebexEvent),
    recordWebexEvent: bind(recordWebexEvent),
    takeStoredWebexEvents: bind(takeStoredWebexEvents),
    // webhook-subscriptions.ts
    createWebhookSubscription: bind(createWebhookSubscription),
    listWebhookDeliveries: bind(listWebhookDeliveries),
    listWebhookDeliveryAttempts: bind(listWebhookDeliveryAttempts),
    listWebhookSubscriptions: bind(listWebhookSubscriptions),
    removeWebhookSubscription: bind(removeWebhookSubscription),
    replayDeadDelivery: bind(replayDeadDelivery),
    // workspaces.ts
    createWorkspace: bind(createWorkspace),
    deleteWorkspaceRequest: bind(deleteWorkspaceRequest),
    findWorkspaces: bind(findWorkspaces),
    getWorkspace: bind(getWorkspace),
    validateWorkspace: bind(validateWorkspace),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;

/** `(store, ...rest) => out` with the store given: `(...rest) => out`, the same parameters and result. */
export type WithStore<F> = F extends (store: Store, ...rest: infer R) => infer O ? (...rest: R) => O : never;

const bindStore =
  (store: Store) =>
  <F extends (store: Store, ...rest: never[]) => unknown>(f: F): WithStore<F> =>
    ((...rest: never[]) => f(store, ...rest)) as WithStore<F>;
