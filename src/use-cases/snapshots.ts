import type { CustomerRow, SubscriberRow } from '../db/schema.js';

/** What the audit log keeps of a customer: the business fields, not bookkeeping. */
export function customerSnapshot(c: CustomerRow) {
  return {
    externalId: c.external_id,
    status: c.status,
    packages: c.packages,
    address: c.address,
    orgId: c.org_id,
    name: c.name,
    primaryEmail: c.primary_email,
    locale: c.locale,
    limits: c.package_limits,
    billingStartDate: c.billing_start_date,
  };
}

export function subscriberSnapshot(s: SubscriberRow) {
  return {
    email: s.email,
    customerId: s.customer_id,
    package: s.package,
    addOns: s.addons,
    status: s.status,
    isAdmin: s.is_admin,
    locationId: s.location_id,
  };
}
