// Small pieces the sync (sync-with-webex.ts), its runs (upstream-sync-runs.ts) and the drift repairs
// (upstream-drift.ts) share: the standalone refusal, a partner's call options, Webex's records as the drift plan reads them.
import type { WebexCustomer, WebexSubscriber } from '../contracts/webex-wholesale.js';
import { problem } from '../domain/problems.js';
import type { WebexCustomerSide, WebexSubscriberSide } from '../domain/upstream-drift.js';
import type { UpstreamCallOptions } from '../ports.js';
import type { ActingPartner } from './partner-views.js';

export const standaloneProblem = () =>
  problem(
    'upstream_only',
    'the desk runs standalone: there is no Webex Wholesale to sync with (set WEBEX_WHOLESALE_TOKEN or the OAuth variables)',
  );

/** Calls for a sub-partner's customers carry its org id. */
export const upstreamOptionsOf = (partner: ActingPartner): UpstreamCallOptions =>
  partner.parentId ? { subPartnerOrgId: partner.orgId } : {};

export const toWebexCustomerSide = (w: WebexCustomer): WebexCustomerSide => ({
  id: w.id,
  externalId: w.externalId,
  status: w.status,
  packages: w.packages ?? [],
});

export const toWebexSubscriberSide = (w: WebexSubscriber): WebexSubscriberSide => ({
  id: w.id,
  customerId: w.customerId,
  email: w.email,
  status: w.status,
  packages: w.packages?.length ? w.packages : w.package ? [w.package] : [],
});
