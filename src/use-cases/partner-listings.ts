import { findCustomerById } from '../db/repositories/customers.js';
import { findRootPartner, listSubPartners } from '../db/repositories/partners.js';
import type { PartnerRow } from '../db/schema.js';
import type { Store } from './store.js';
import { listTemplatesOf } from './onboarding-templates.js';
import type { SubPartnerResponse, TemplateResponse } from '../contracts/partners.js';
import type { ActingPartner } from './partner-views.js';

/**
 * The subscription a partner's usage is billed under: the root partner's, shared by every sub-partner
 * (guide: "For SubPartners, the parent's shared subscription ID appears automatically", L54309).
 */
export const sharedSubscriptionIdOf = (root: PartnerRow | undefined): string => root?.subscription_id ?? root?.org_id ?? '';

/** A sub-partner as the API shows it: the contract's names, not the row's. */
export const toSubPartnerResponse = (p: PartnerRow): SubPartnerResponse => ({
  orgId: p.org_id,
  name: p.name,
  subscriptionId: p.subscription_id ?? '',
  provisioningState: p.provisioning_state,
  created: p.created_at.toISOString(),
  ...(p.billing_start_date ? { billingStartDate: p.billing_start_date } : {}),
});

/** A partner's sub-partners, each showing the shared subscription its billing reports carry. */
export async function listSubPartnersOf(
  store: Store,
  partner: ActingPartner,
  filter: { provisioningState?: 'active' | 'suspended' | undefined; offset: number; max: number },
): Promise<SubPartnerResponse[]> {
  const rows = await listSubPartners(store, partner.id, filter);
  const subscriptionId = sharedSubscriptionIdOf(await findRootPartner(store));
  return rows.map((row) => toSubPartnerResponse({ ...row, subscription_id: subscriptionId }));
}

/** A sub-partner also sees its parent's templates. */
export const listUsableTemplates = (store: Store, partner: ActingPartner): Promise<TemplateResponse[]> =>
  listTemplatesOf(store, partner.parentId ? [partner.id, partner.parentId] : [partner.id]);

/** The external id of a customer, '' when it is gone: subscriber answers carry it. */
export const customerExternalId = async (store: Store, customerId: string): Promise<string> =>
  (await findCustomerById(store, customerId))?.external_id ?? '';
