import type { PartnerRow, PartnerSettings } from '../db/schema.js';
import type { PartnerState } from '../domain/partner-states.js';

/** A partner as the operator CLI lists it (camelCase, mapped from its row here). */
export interface PartnerView {
  id: string;
  name: string;
  orgId: string;
  provisioningState: PartnerState;
  /** A civil date (YYYY-MM-DD), or null for a partner billed from the start. */
  billingStartDate: string | null;
}

export const toPartnerView = (p: PartnerRow): PartnerView => ({
  id: p.id,
  name: p.name,
  orgId: p.org_id,
  provisioningState: p.provisioning_state,
  billingStartDate: p.billing_start_date,
});

/**
 * The partner's settings by the desk's names: `delayedBilling` is Webex's `enable_wholesale_delayed_billing`
 * (the CLI shows and sets it under Webex's name); absent when it was never set.
 */
export interface PartnerSettingsView {
  delayedBilling?: boolean;
}

export const toSettingsView = (s: PartnerSettings): PartnerSettingsView =>
  s.enable_wholesale_delayed_billing === undefined ? {} : { delayedBilling: s.enable_wholesale_delayed_billing };

/**
 * The partner an actor acts as (after on-behalf-of resolution), as the edges hold it and hand it back
 * into use-cases: mapped from its row here, so no edge sees the row's names.
 */
export interface ActingPartner extends PartnerView {
  /** The parent partner's id; null for the root partner. */
  parentId: string | null;
  subscriptionId: string | null;
  settings: PartnerSettingsView;
}

export const toActingPartner = (p: PartnerRow): ActingPartner => ({
  ...toPartnerView(p),
  parentId: p.parent_id,
  subscriptionId: p.subscription_id,
  settings: toSettingsView(p.settings),
});
