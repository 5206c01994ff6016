import type { ActingPartner } from './partner-views.js';

/** Who acts: the partner whose data is touched (after on-behalf-of resolution) and a label for the audit log. */
export interface Actor {
  partner: ActingPartner;
  /** e.g. `token:<id>`, `staff:<email>`, `event:<id>`. */
  label: string;
}

export interface UseCaseDeps {
  now: Date;
  uuid: () => string;
  /** Upstream mode: provisioning goes through Webex Wholesale, so nothing is provisioned at once, locally. */
  viaWebex?: boolean;
  /** BACKDATE_MAX_DAYS: how far back effectiveAt may reach (the domain's default when unset). */
  backdateMaxDays?: number | undefined;
}
