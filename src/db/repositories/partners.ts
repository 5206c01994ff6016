import type { PartnerState } from '../../domain/partner-states.js';
import type { Db, PartnerRow, PartnerSettings } from '../schema.js';

export const findRootPartner = (db: Db): Promise<PartnerRow | undefined> =>
  db.selectFrom('partners').selectAll().where('parent_id', 'is', null).executeTakeFirst();

export const findPartnerByOrgId = (db: Db, orgId: string): Promise<PartnerRow | undefined> =>
  db.selectFrom('partners').selectAll().where('org_id', '=', orgId).executeTakeFirst();

export async function insertPartner(
  db: Db,
  p: {
    id: string;
    orgId: string;
    name: string;
    parentId: string | null;
    subscriptionId?: string | null;
    billingStartDate?: string | null;
    settings?: PartnerSettings;
    createdAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('partners')
    .values({
      id: p.id,
      org_id: p.orgId,
      name: p.name,
      parent_id: p.parentId,
      provisioning_state: 'active',
      subscription_id: p.subscriptionId ?? null,
      billing_start_date: p.billingStartDate ?? null,
      settings: JSON.stringify(p.settings ?? {}),
      created_at: p.createdAt,
    })
    .execute();
}

export function listSubPartners(
  db: Db,
  parentId: string,
  filter: { provisioningState?: PartnerState | undefined; offset: number; max: number },
) {
  let q = db.selectFrom('partners').selectAll().where('parent_id', '=', parentId);
  if (filter.provisioningState) q = q.where('provisioning_state', '=', filter.provisioningState);
  return q
    .orderBy('created_at')
    .orderBy('id')
    .offset(filter.offset)
    .limit(filter.max + 1)
    .execute();
}

export async function updatePartnerSettings(db: Db, id: string, settings: PartnerSettings): Promise<void> {
  await db
    .updateTable('partners')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', id)
    .execute();
}

export async function setPartnerBillingStartDate(db: Db, id: string, date: string): Promise<void> {
  await db.updateTable('partners').set({ billing_start_date: date }).where('id', '=', id).execute();
}

export async function setPartnerState(db: Db, id: string, state: PartnerState): Promise<void> {
  await db.updateTable('partners').set({ provisioning_state: state }).where('id', '=', id).execute();
}

export const findPartnerById = (db: Db, id: string): Promise<PartnerRow | undefined> =>
  db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();

export const listAllSubPartners = (db: Db, parentId: string): Promise<PartnerRow[]> =>
  db.selectFrom('partners').selectAll().where('parent_id', '=', parentId).orderBy('created_at').execute();
