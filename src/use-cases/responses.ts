import type { CustomerRow, LocationRow, SubscriberRow, WorkspaceRow } from '../db/schema.js';
import type { z } from 'zod';
import { customerExternalId } from './partner-listings.js';
import type { Store } from './store.js';
import { deskLicenseId } from '../domain/webex-ids.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import type { PackageStatus } from '../contracts/customers.js';
import { SCREENING_SKIPPED, SCREENING_SKIPPED_WARNING } from '../domain/compliance/review-rules.js';
import type { customerResponseSchema, LocationResponse, subscriberResponseSchema, WorkspaceResponse } from '../contracts/index.js';

/*
 * The stored records as the API answers them (the contracts' shapes: camelCase, ISO times), mapped here
 * in the use-case layer so the edges never name a row type (use-cases/records.ts).
 */

/**
 * A request the desk accepted, where no body answers it (the API's 204s; chat says where it stands):
 * which record, and its status now.
 */
export interface AcceptedChange<S extends string = string> {
  id: string;
  status: S;
}

export const toAcceptedChange = <S extends string>(r: { id: string; status: S }): AcceptedChange<S> => ({ id: r.id, status: r.status });

const packageStatus = (customerStatus: CustomerStatus): PackageStatus => {
  if (customerStatus === 'provisioned' || customerStatus === 'provisioned_with_errors') return 'provisioned';
  if (customerStatus === 'deleting') return 'deleting';
  if (customerStatus === 'error') return 'error';
  return 'provisioning';
};

/**
 * The licenseIds of a customer's package: Webex's, as last read, for a customer in Webex (upstream mode);
 * the desk's own otherwise. Undefined when none are known (an upstream customer last read before the desk
 * asked Webex for them): left out rather than shown as an empty list.
 */
function packageLicenseIds(c: CustomerRow, name: string): string[] | undefined {
  if (c.webex_customer_id) {
    const details = readResourceDetails(c.resource_details);
    return details?.packages?.find((p) => p.name === name)?.licenseIds;
  }
  return c.org_id ? [deskLicenseId(c.org_id, name)] : undefined;
}

function readResourceDetails(json: string | null): { packages?: { name?: string; licenseIds?: string[] }[] } | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as { packages?: { name?: string; licenseIds?: string[] }[] };
  } catch {
    return undefined;
  }
}

/**
 * A customer in the Webex Wholesale shape, plus the desk's resolved defaults. `includePackageLicenseInfo`
 * (Cisco's parameter of the customer GET): every provisioned package carries its licenseIds.
 */
export function toCustomerResponse(
  c: CustomerRow,
  o: { includePackageLicenseInfo?: boolean } = {},
): z.infer<typeof customerResponseSchema> {
  return {
    id: c.id,
    ...(c.org_id && c.status !== 'provisioning' ? { orgId: c.org_id } : {}),
    externalId: c.external_id,
    provisioningId: c.provisioning_id,
    address: c.address,
    status: c.status,
    packages: c.packages,
    resourceDetails: {
      packages: c.packages.map((name) => {
        const status = packageStatus(c.status);
        const licenseIds = o.includePackageLicenseInfo && status === 'provisioned' ? packageLicenseIds(c, name) : undefined;
        return { name, status, warnings: [], errors: [], ...(licenseIds ? { licenseIds } : {}) };
      }),
    },
    customerInfo: {
      ...(c.name ? { name: c.name } : {}),
      ...(c.primary_email ? { primaryEmail: c.primary_email } : {}),
      language: c.locale,
    },
    meetingsLocale: c.meetings_locale,
    orgCountry: c.org_country,
    ...(c.call_in_number ? { meetingsCallInNumber: c.call_in_number } : {}),
    ...(c.billing_start_date ? { billingStartDate: c.billing_start_date } : {}),
    errors: c.errors,
    // Provisioned without screening (no list was loaded): said where the partner looks, until a list load screens it.
    warnings: c.unscreened_since ? [...c.warnings, { errorCode: SCREENING_SKIPPED, description: SCREENING_SKIPPED_WARNING }] : c.warnings,
    created: c.created_at.toISOString(),
    lastStatusChange: c.status_changed_at.toISOString(),
  };
}

export function toSubscriberResponse(s: SubscriberRow, externalCustomerId: string): z.infer<typeof subscriberResponseSchema> {
  const opt = <K extends string>(key: K, v: string | null) => (v ? ({ [key]: v } as Record<K, string>) : {});
  return {
    id: s.id,
    ...opt('personId', s.status === 'provisioned' ? s.person_id : null),
    email: s.email,
    customerId: s.customer_id,
    externalCustomerId,
    package: s.package,
    packages: [s.package, ...s.addons],
    status: s.status,
    isAdmin: s.is_admin,
    ...opt('firstName', s.first_name),
    ...opt('lastName', s.last_name),
    ...opt('primaryPhoneNumber', s.primary_phone_number),
    ...opt('extension', s.extension),
    ...opt('locationId', s.location_id),
    errors: s.errors,
    created: s.created_at.toISOString(),
    lastStatusChange: s.last_status_change.toISOString(),
  };
}

/** A subscriber as the API answers it, with its customer's externalId looked up. */
export const presentSubscriber = async (store: Store, s: SubscriberRow) =>
  toSubscriberResponse(s, await customerExternalId(store, s.customer_id));

export function toWorkspaceResponse(w: WorkspaceRow, externalCustomerId: string): WorkspaceResponse {
  return {
    id: w.id,
    customerId: w.customer_id,
    externalCustomerId,
    name: w.name,
    packages: [w.package],
    status: w.status === 'deleted' ? 'provisioned' : w.status,
    ...(w.errors.length ? { errors: w.errors } : {}),
    ...(w.webex_workspace_id ? { webexWorkspaceId: w.webex_workspace_id } : {}),
    ...(w.primary_phone_number ? { primaryPhoneNumber: w.primary_phone_number } : {}),
    ...(w.extension ? { extension: w.extension } : {}),
    ...(w.location_id ? { locationId: w.location_id } : {}),
    created: w.created_at.toISOString(),
  };
}

/** A customer's location; the first one (index 0) is its HQ. */
export function toLocationResponse(l: LocationRow, index: number): LocationResponse {
  return {
    id: l.id,
    name: l.name,
    address: l.address,
    timezone: l.timezone,
    language: l.language,
    ...(l.emergency_location_identifier ? { emergencyLocationIdentifier: l.emergency_location_identifier } : {}),
    headquarters: index === 0,
    created: l.created_at.toISOString(),
    status: l.status,
    ...(l.errors.length ? { errors: l.errors } : {}),
    ...(l.webex_location_id ? { webexLocationId: l.webex_location_id } : {}),
  };
}
