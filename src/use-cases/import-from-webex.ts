import type { Insertable } from 'kysely';
import type { WebexCustomer } from '../contracts/webex-wholesale.js';
import { listTemplates } from '../db/repositories/onboarding-templates.js';
import { insertCustomers, insertImportedHoldings, insertSubscribersSkippingTakenEmails } from '../db/repositories/upstream-sync.js';
import type { CustomersTable, Db, SubscribersTable } from '../db/schema.js';
import { isCustomerStatus, isSubscriberStatus } from '../domain/lifecycle.js';
import { normalizePackages, splitSubscriberPackages, type WebexSubscriberSide } from '../domain/upstream-drift.js';
import type { UseCaseDeps } from './actor.js';
import { enqueueTask } from './enqueue-task.js';
import type { ActingPartner } from './partner-views.js';

/**
 * Writes Webex's customers and subscribers into the desk as Webex has them. Imported customers count
 * as attached orgs (their admin is Webex's, not the desk's first subscriber); their usage bills from
 * the import, the first instant the desk knows of it.
 */
export async function importFromWebex(
  trx: Db,
  partner: ActingPartner,
  customers: readonly WebexCustomer[],
  subscribers: readonly { subscriber: WebexSubscriberSide; deskCustomerId: string | null; webexCustomerId: string }[],
  deps: UseCaseDeps,
  /** The orgs' names (`displayName`), by orgId: an imported customer takes its org's. */
  orgNames: ReadonlyMap<string, string> = new Map(),
): Promise<{ customers: number; subscribers: number; skipped: number }> {
  const now = deps.now;
  const deskIdOfWebex = new Map<string, string>();
  if (customers.length) {
    const template = (await listTemplates(trx, partner.parentId ? [partner.id, partner.parentId] : [partner.id]))[0];
    if (!template) throw new Error(`partner ${partner.id} has no onboarding template to import customers under`);
    const rows: Insertable<CustomersTable>[] = customers.map((w) => {
      const id = deps.uuid();
      deskIdOfWebex.set(w.id, id);
      const status = isCustomerStatus(w.status) && w.status !== 'deleted' ? w.status : 'error';
      const address = {
        addressLine1: w.address?.addressLine1 ?? '',
        ...(w.address?.addressLine2 ? { addressLine2: w.address.addressLine2 } : {}),
        city: w.address?.city ?? '',
        ...(w.address?.stateOrProvince ? { stateOrProvince: w.address.stateOrProvince } : {}),
        ...(w.address?.zipOrPostalCode ? { zipOrPostalCode: w.address.zipOrPostalCode } : {}),
        country: w.address?.country ?? template.country,
      };
      const problems = (list: WebexCustomer['errors']) =>
        JSON.stringify((list ?? []).map((e) => ({ errorCode: e.errorCode ?? 0, description: e.description ?? 'Webex reported an error' })));
      return {
        id,
        partner_id: partner.id,
        external_id: w.externalId ?? w.id,
        org_id: w.orgId ?? null,
        attached_org: true,
        provisioning_id: template.id,
        name: (w.orgId && orgNames.get(w.orgId)) || null,
        primary_email: null,
        locale: template.language,
        meetings_locale: template.language,
        org_country: address.country,
        call_in_number: null,
        address: JSON.stringify(address),
        packages: JSON.stringify(normalizePackages(w.packages ?? [])),
        package_limits: '{}',
        provisioning_parameters: '{}',
        status,
        errors: problems(w.errors),
        warnings: problems(w.warnings),
        request_fingerprint: 'upstream:import',
        created_at: now,
        updated_at: now,
        status_changed_at: now,
        billing_from: status === 'provisioned' || status === 'provisioned_with_errors' ? now : null,
        webex_customer_id: w.id,
        resource_details: w.resourceDetails ? JSON.stringify(w.resourceDetails) : null,
      };
    });
    await insertCustomers(trx, rows);
    // Webex is still reviewing these (its denied-party check): the provisioning task follows them until Webex decides.
    for (const r of rows.filter((row) => row.status === 'pending_rpl_review'))
      await enqueueTask(trx, { kind: 'customer.provision', entityId: r.id, payload: { screeningCleared: true }, now });
  }
  const subRows: Insertable<SubscribersTable>[] = [];
  for (const { subscriber: w, deskCustomerId, webexCustomerId } of subscribers) {
    const customerId = deskCustomerId ?? deskIdOfWebex.get(webexCustomerId);
    const packages = splitSubscriberPackages(w.packages);
    if (!customerId || !packages) continue;
    const status = isSubscriberStatus(w.status) && w.status !== 'deleted' && w.status !== 'provisioning' ? w.status : 'error';
    subRows.push({
      id: deps.uuid(),
      partner_id: partner.id,
      customer_id: customerId,
      email: w.email,
      first_name: null,
      last_name: null,
      package: packages.base,
      addons: JSON.stringify(packages.addOns),
      primary_phone_number: null,
      extension: null,
      location_id: null,
      is_admin: false,
      person_id: null,
      webex_subscriber_id: w.id,
      status,
      errors: JSON.stringify(
        status === w.status ? [] : [{ errorCode: 0, description: `Webex reports the status "${w.status}", which the desk does not know` }],
      ),
      created_at: now,
      last_status_change: now,
    });
  }
  const inserted = await insertSubscribersSkippingTakenEmails(trx, subRows);
  await insertImportedHoldings(
    trx,
    inserted.filter((s) => s.status !== 'error'),
    now,
    'upstream.import',
  );
  return { customers: customers.length, subscribers: inserted.length, skipped: subRows.length - inserted.length };
}
