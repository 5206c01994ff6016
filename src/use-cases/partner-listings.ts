import { findCustomerById } from '../db/repositories/customers.js';
import { listTemplates } from '../db/repositories/onboarding-templates.js';
import { listSubPartners } from '../db/repositories/partners.js';
import type { PartnerRow } from '../db/schema.js';
import type { Store } from './store.js';

export const listSubPartnersOf = (
  store: Store,
  partner: PartnerRow,
  filter: { provisioningState?: 'active' | 'suspended' | undefined; offset: number; max: number },
) => listSubPartners(store, partner.id, filter);

/** A sub-partner also sees its parent's templates. */
export const listUsableTemplates = (store: Store, partner: PartnerRow) =>
  listTemplates(store, partner.parent_id ? [partner.id, partner.parent_id] : [partner.id]);

/** The external id of a customer, '' when it is gone: subscriber answers carry it. */
export const customerExternalId = async (store: Store, customerId: string): Promise<string> =>
  (await findCustomerById(store, customerId))?.external_id ?? '';
