import { describe, expect, it } from 'vitest';
import type { PartnerRow } from '../../src/db/schema.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

const row: PartnerRow = {
  id: 'p-sub',
  org_id: 'org-sub',
  name: 'Sub Partner',
  parent_id: 'p-root',
  provisioning_state: 'suspended',
  subscription_id: 'sub-1',
  billing_start_date: '2026-11-01',
  settings: { enable_wholesale_delayed_billing: true },
  created_at: new Date('2026-10-01T00:00:00Z'),
};

describe('the acting partner, mapped from its row once (toActingPartner)', () => {
  it('carries every column a use-case or an edge reads, under camelCase names', () => {
    expect(toActingPartner(row)).toEqual({
      id: 'p-sub',
      name: 'Sub Partner',
      orgId: 'org-sub',
      provisioningState: 'suspended',
      billingStartDate: '2026-11-01',
      parentId: 'p-root',
      subscriptionId: 'sub-1',
      settings: { delayedBilling: true },
    });
  });

  it('keeps a setting never set absent (not false), and a root partner without a parent', () => {
    const root = toActingPartner({ ...row, parent_id: null, settings: {} });
    expect(root.parentId).toBeNull();
    expect(root.settings).toStrictEqual({});
    expect(toActingPartner({ ...row, settings: { enable_wholesale_delayed_billing: false } }).settings).toEqual({ delayedBilling: false });
  });
});
