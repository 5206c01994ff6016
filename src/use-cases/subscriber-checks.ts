// What creating and changing a subscriber (create-subscriber.ts, update-subscriber.ts) and removing one
// (remove-subscriber.ts) check alike: kept once here so the operations' files do not import each other.
import { listPackageEvents } from '../db/repositories/package-events.js';
import type { Db, SubscriberRow } from '../db/schema.js';
import type { PackageId } from '../domain/packages.js';
import { problem, type Problem } from '../domain/problems.js';
import type { UseCaseDeps } from './actor.js';

export interface SubscriberParameters {
  firstName?: string | undefined;
  lastName?: string | undefined;
  primaryPhoneNumber?: string | undefined;
  extension?: string | undefined;
  locationId?: string | undefined;
}

/** locationId picks a calling location: "calling packages only" (the guide's subscriber field table, seed-provisioning.md line 257). */
export const locationWithoutCalling = (pkg: PackageId): Problem =>
  problem(
    'location_needs_calling_package',
    `locationId is for subscribers with a calling package; ${pkg} has no calling, so leave locationId out`,
    'provisioningParameters.locationId',
  );

/**
 * Cisco's subscriber API takes `attendant_console` as an add-on in `packages`, but not
 * `cisco_calling_plan` (a customer package there, absent from its subscriber packages): upstream, it
 * is refused rather than billed for something Webex never received.
 */
export function checkAddOnsReachWebex(addOns: readonly string[], deps: Pick<UseCaseDeps, 'viaWebex'>): Problem[] {
  if (!deps.viaWebex || !addOns.includes('cisco_calling_plan')) return [];
  return [
    problem(
      'calling_plan_not_upstream',
      "Cisco Calling Plan cannot be given to a subscriber in upstream mode: Webex's subscriber API has no way to receive it (Cisco lists it as a customer package); remove cisco_calling_plan from packages",
      'packages',
    ),
  ];
}

/** When the subscriber came into being: its first ledger fact (a back-dated creation names its own instant). */
export async function subscriberCreatedAt(trx: Db, sub: SubscriberRow): Promise<Date> {
  return (await listPackageEvents(trx, sub.id))[0]?.effective_at ?? sub.created_at;
}
