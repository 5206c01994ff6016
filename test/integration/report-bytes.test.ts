import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReconciliationCsv } from '../../src/db/repositories/billing-reports.js';
import { insertPartner } from '../../src/db/repositories/partners.js';
import { REPORT_COLUMNS, reportFormat } from '../../src/domain/billing-reports.js';
import { addDays, startOfDay } from '../../src/domain/calendar.js';
import { toCsvLine } from '../../src/domain/csv.js';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The reports' bytes, held to files written by the SQL before the usage window joined customers
 * ahead of the window (issue 28: the PARTNER report at 1,000,000 subscribers): a change to how the
 * report SQL is planned must not change a byte of what it writes. The ledger is a fixed pseudo-random
 * one (package changes, removals, add-ons, workspaces, facts out of order, customers whose billing
 * opens mid-month, a customer never provisioned, a sub-partner with its own start date). Ids the desk
 * draws at random (customers' org ids, ids and HQ locations) are replaced by stable names before
 * comparing; both databases must write the same files.
 */
describe(`report bytes on ${testDbKind()}`, () => {
  let h: TestHarness;
  const subPartnerId = 'bytes-sub-partner';
  const period = { from: '2026-05-01', to: '2026-05-31' };
  /** Random ids → stable names, longest first so no id is replaced inside another. */
  let stableNames: [string, string][] = [];

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const templateId = await defaultTemplateId(h);
    const packages = ['webex_calling', 'webex_meetings', 'webex_suite'];
    const addOns = ['attendant_console', 'cisco_calling_plan'];
    await insertPartner(h.db, {
      id: subPartnerId,
      orgId: 'bytes-sub-partner-org',
      name: 'Sub',
      parentId: h.partnerId,
      billingStartDate: '2026-05-20',
      createdAt: h.clock.now(),
    });
    const tenants: { partnerId: string; billingFrom: Date | null; billingStartDate: string | null; customerId?: string }[] = [
      { partnerId: h.partnerId, billingFrom: new Date('2026-04-01T00:00:00Z'), billingStartDate: '2026-05-07' },
      { partnerId: h.partnerId, billingFrom: new Date('2026-05-12T13:14:15Z'), billingStartDate: null },
      { partnerId: h.partnerId, billingFrom: null, billingStartDate: null },
      { partnerId: h.partnerId, billingFrom: new Date('2026-03-01T00:00:00Z'), billingStartDate: null },
      { partnerId: subPartnerId, billingFrom: new Date('2026-05-03T08:00:01Z'), billingStartDate: null },
    ];
    // Byte order and CSV quoting: external ids that sort differently in a locale, with a comma and a quote.
    const externalIds = ['b,comma', 'A-upper', '_under', 'q"uote', 'sub-1'];
    for (const [i, t] of tenants.entries()) {
      const customer = await provisionCustomer(
        h,
        customerBody(templateId, {
          externalId: `bytes-${i}`,
          customerInfo: { name: `Bytes ${i}`, primaryEmail: `admin${i}@bytes.example` },
          packages,
        }),
      );
      await h.db
        .updateTable('customers')
        .set({ external_id: externalIds[i]!, billing_start_date: t.billingStartDate, billing_from: t.billingFrom, partner_id: t.partnerId })
        .where('id', '=', customer.id)
        .execute();
      t.customerId = customer.id;
      // A branch location beside the HQ the provisioning made: some holders name it, the others fall back to the HQ.
      await h.db
        .insertInto('locations')
        .values({
          id: `branch-${i}`,
          customer_id: customer.id,
          name: 'Branch',
          address: JSON.stringify({ addressLine1: '1 Main St', city: 'Town', country: 'US' }),
          timezone: 'America/Los_Angeles',
          language: 'en_us',
          emergency_location_identifier: null,
          created_at: new Date('2030-01-01T00:00:00Z'),
        })
        .execute();
    }
    const at = () => new Date(Date.UTC(2026, 3, 15) + Math.floor(rand() * 60 * 86_400) * 1000);
    for (let s = 0; s < 80; s += 1) {
      const tenant = tenants[s % tenants.length]!;
      const id = `bytes-sub-${String(s).padStart(2, '0')}`;
      await h.db
        .insertInto('subscribers')
        .values({
          id,
          partner_id: tenant.partnerId,
          customer_id: tenant.customerId!,
          email: `${id}@bytes.example`,
          first_name: null,
          last_name: null,
          package: 'webex_calling',
          primary_phone_number: null,
          extension: '1',
          // Some subscribers have a location of their own; the others fall back to their customer's HQ.
          location_id: s % 3 === 0 ? `branch-${s % tenants.length}` : null,
          is_admin: false,
          person_id: `person-${s}`,
          status: 'provisioned',
          errors: '[]',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      for (let i = 1 + Math.floor(rand() * 7); i > 0; i -= 1) {
        const slot = rand() < 0.6 ? 'base' : addOns[Math.floor(rand() * addOns.length)]!;
        const pkg = slot === 'base' ? (rand() < 0.15 ? null : packages[Math.floor(rand() * packages.length)]!) : rand() < 0.3 ? null : slot;
        await h.db
          .insertInto('package_events')
          .values({
            subscriber_id: id,
            slot,
            customer_id: tenant.customerId!,
            partner_id: tenant.partnerId,
            package: pkg,
            effective_at: at(),
            recorded_at: h.clock.now(),
            cause: 'test',
          })
          .execute();
      }
    }
    for (let w = 0; w < 15; w += 1) {
      const tenant = tenants[w % tenants.length]!;
      const id = `bytes-ws-${String(w).padStart(2, '0')}`;
      await h.db
        .insertInto('workspaces')
        .values({
          id,
          partner_id: tenant.partnerId,
          customer_id: tenant.customerId!,
          name: `Room ${w}`,
          package: 'common_area_calling',
          primary_phone_number: null,
          extension: '1',
          location_id: w % 2 ? `branch-${w % tenants.length}` : null,
          status: 'provisioned',
          created_at: h.clock.now(),
          last_status_change: h.clock.now(),
        })
        .execute();
      for (let i = 1 + Math.floor(rand() * 3); i > 0; i -= 1)
        await h.db
          .insertInto('package_events')
          .values({
            subscriber_id: null,
            workspace_id: id,
            customer_id: tenant.customerId!,
            partner_id: tenant.partnerId,
            package: rand() < 0.3 ? null : 'common_area_calling',
            effective_at: at(),
            recorded_at: h.clock.now(),
            cause: 'test',
          })
          .execute();
    }
    const customers = await h.db.selectFrom('customers').select(['id', 'org_id', 'external_id']).orderBy('external_id').execute();
    const locations = await h.db
      .selectFrom('locations')
      .select(['id', 'customer_id'])
      .where('id', 'not like', 'branch-%')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const external = new Map(customers.map((c) => [c.id, c.external_id]));
    stableNames = [
      ...customers.flatMap((c): [string, string][] => [
        [c.id, `<customer ${c.external_id}>`],
        ...(c.org_id ? [[c.org_id, `<org of ${c.external_id}>`] as [string, string]] : []),
      ]),
      ...locations.map((l): [string, string] => {
        const n = locations.filter((m) => m.customer_id === l.customer_id).indexOf(l);
        return [l.id, `<location ${n} of ${external.get(l.customer_id)}>`];
      }),
    ].sort((a, b) => b[0].length - a[0].length);
  });
  afterAll(() => h?.close());

  async function csv(partnerId: string, type: 'USER' | 'CUSTOMER' | 'PARTNER'): Promise<string> {
    const id = `bytes-${partnerId}-${type}`;
    const report = await h.db
      .insertInto('billing_reports')
      .values({
        id,
        partner_id: partnerId,
        requested_by_partner_id: h.partnerId,
        sub_partner_org_id: null,
        type,
        category: 'RECONCILIATION',
        billing_start_date: period.from,
        billing_end_date: period.to,
        status: 'IN_PROGRESS',
        errors: '[]',
        row_count: null,
        created_by: 'test',
        created_at: h.clock.now(),
        completed_at: null,
        columns: JSON.stringify(REPORT_COLUMNS[type]),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeReconciliationCsv(
      h.db,
      report,
      startOfDay(period.from),
      startOfDay(addDays(period.to, 1)),
      reportFormat({ name: 'Partner, "Quoted"\nLtd', orgId: 'O', subscriptionId: 'S' }),
    );
    const chunks = await h.db.selectFrom('billing_report_chunks').select('body').where('report_id', '=', id).orderBy('seq').execute();
    let text = toCsvLine(REPORT_COLUMNS[type]) + chunks.map((c) => c.body).join('');
    for (const [from, to] of stableNames) text = text.split(from).join(to);
    return text;
  }

  for (const type of ['PARTNER', 'CUSTOMER', 'USER'] as const)
    it(`writes the ${type} report byte for byte as before, for a partner and its sub-partner`, async () => {
      const own = await csv(h.partnerId, type);
      const sub = await csv(subPartnerId, type);
      // The fixture reaches what the SQL decides: several packages, add-ons and workspaces, both partners.
      expect(own.split('\r\n').length).toBeGreaterThan(type === 'PARTNER' ? 5 : 10);
      expect(sub.split('\r\n').length).toBeGreaterThan(3);
      await expect(`${own}--- sub-partner ---\r\n${sub}`).toMatchFileSnapshot(`../fixtures/report-bytes/${type.toLowerCase()}.csv`);
    });
});
